// The peer: what a team that does not adopt Kiln would write. One warm
// Chromium (the system one, through playwright-core), a pool of reused
// pages, setContent with the snapshot's resources served from memory by
// page.route, and the same outputs as Kiln: a full-size WebP q80 and a
// 320px JPEG thumbnail, both captured by Chromium (Page.captureScreenshot
// through CDP, since Playwright's own screenshot has no WebP).
//
// It speaks the harness's line protocol: it prints {"ready":true} when
// warm, then answers each command read on stdin with one JSON line:
//   {"op":"run","n":N,"conc":C}  → {"lat":[ms...],"wallMs":..,"errors":..}
//   {"op":"save","dir":D}        → writes D/<case>.png (lossless, no thumb)
//   {"op":"quit"}
//
// With --out DIR it is instead a whole process doing one batch, the way
// `kiln render -o DIR` is used: it renders every file given once (a file
// may repeat), --pages at a time, writes DIR/<i>-<case>.webp and
// DIR/<i>-<case>.thumb.jpg (or only DIR/<i>-<case>.png with --format
// png), and exits.
//
// usage: node playwright.mjs --chrome /usr/bin/chromium --pages 4 [--out DIR [--format png]] case.peer.json...
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const args = process.argv.slice(2);
let chrome = '/usr/bin/chromium';
let pages = 2;
let outDir = '';
let format = 'webp';
let steps = 0;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--chrome') chrome = args[++i];
  else if (args[i] === '--pages') pages = Number(args[++i]);
  else if (args[i] === '--out') outDir = args[++i];
  else if (args[i] === '--format') format = args[++i];
  else if (args[i] === '--steps') steps = Number(args[++i]);
  else files.push(args[i]);
}
// KILN_PEER_ISOLATE=1 makes the peer isolate jobs as Kiln does, to
// measure what that costs: responses carry no-store (else Blink's memory
// cache hands one job's resources to the next without asking) and each
// job gets a fresh document (else the document's list of available images
// does).
const isolate = process.env.KILN_PEER_ISOLATE === '1';
// The input of a job is its bytes; parsing them is part of the job.
const inputs = files.map((f) => readFileSync(f, 'utf8'));
const names = inputs.map((s) => JSON.parse(s).name);

const browser = await chromium.launch({
  executablePath: chrome,
  headless: true,
  // The settings that change what a page draws are Kiln's (hover and
  // pointer media queries as on a desktop with a mouse, no lazy loading),
  // so that both sides draw the same pixels.
  args: [
    '--hide-scrollbars', '--force-color-profile=srgb', '--disable-gpu',
    '--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4,imagesEnabled=true',
    '--disable-features=PaintHolding,LazyImageLoading,LazyFrameLoading',
  ],
});
// viewport: null leaves device metrics to the per-page CDP override, so a
// page can switch between desktop DPR 1 and mobile DPR 3.
const context = await browser.newContext({ viewport: null, javaScriptEnabled: true });

async function newSlot() {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const slot = { page, cdp, job: null, vp: '' };
  await page.route('**/*', (route) => {
    const r = slot.job && slot.job.res.get(route.request().url().split('#')[0]);
    if (r) return route.fulfill({ status: 200, contentType: r.contentType, body: r.body, headers: isolate ? { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' } : { 'Access-Control-Allow-Origin': '*' } });
    if (process.env.KILN_PEER_DEBUG) process.stderr.write(`peer: blocked ${route.request().url()}\n`);
    return route.abort('blockedbyclient');
  });
  return slot;
}
const slots = [];
for (let i = 0; i < pages; i++) slots.push(await newSlot());
const free = [...slots];
const waiters = [];
// A free page already set to the job's viewport is preferred: switching
// metrics needs a fresh document (see render).
const acquire = (key) => {
  if (!free.length) return new Promise((r) => waiters.push(r));
  const i = free.findIndex((s) => s.vp === key);
  return Promise.resolve(free.splice(i >= 0 ? i : free.length - 1, 1)[0]);
};
const release = (s) => (waiters.length ? waiters.shift()(s) : free.push(s));

// mark(name) closes the step that ended now (--steps mode; else a no-op).
let mark = () => {};

async function render(i, png, out) {
  mark('queue');
  const p = JSON.parse(inputs[i]);
  const res = new Map();
  for (const r of p.resources || []) res.set(r.url.split('#')[0], { contentType: r.contentType, body: Buffer.from(r.data, 'base64') });
  const v = p.viewport;
  const key = `${v.width}x${v.height}@${v.deviceScaleFactor}${v.mobile}`;
  const s = await acquire(key);
  try {
    s.job = { res };
    if (isolate && s.used) await s.page.goto('about:blank');
    s.used = true;
    if (s.vp !== key) {
      // A document written over one laid out for other metrics keeps
      // stale viewport state (1 px off): start from a fresh document.
      if (s.vp && !isolate) await s.page.goto('about:blank');
      await s.cdp.send('Emulation.setDeviceMetricsOverride', { width: v.width, height: v.height, deviceScaleFactor: v.deviceScaleFactor, mobile: v.mobile });
      s.vp = key;
    }
    mark('parse');
    await s.page.setContent(p.html, { waitUntil: 'load' });
    mark('load');
    // Web fonts can still be loading at the load event (SB Admin 2's
    // Nunito came out as the fallback font without this).
    // Reading offsetHeight lays the page out, which starts the font loads.
    // A document written into a page starts CSS transitions as its
    // stylesheets arrive (Bootstrap's buttons came out grey): end them.
    await s.page.evaluate(async () => {
      void document.documentElement.offsetHeight;
      await document.fonts.ready;
      for (const a of document.getAnimations()) { try { a.finish(); } catch (e) { a.cancel(); } }
    });
    if (p.scroll && (p.scroll.x || p.scroll.y)) await s.page.evaluate(([x, y]) => window.scrollTo({ left: x, top: y, behavior: 'instant' }), [p.scroll.x, p.scroll.y]);
    mark('settle');
    const clip = { x: p.scroll.x || 0, y: p.scroll.y || 0, width: v.width, height: v.height, scale: 1 };
    if (png) {
      const shot = await s.cdp.send('Page.captureScreenshot', { format: 'png', clip, optimizeForSpeed: true });
      return Buffer.from(shot.data, 'base64');
    }
    const shot = await s.cdp.send('Page.captureScreenshot', { format: 'webp', quality: 80, clip, optimizeForSpeed: true });
    mark('capture');
    const thumb = await s.cdp.send('Page.captureScreenshot', {
      format: 'jpeg', quality: 82, clip: { ...clip, scale: 320 / (v.width * v.deviceScaleFactor) }, optimizeForSpeed: true,
    });
    mark('thumb');
    const img = Buffer.from(shot.data, 'base64');
    const th = Buffer.from(thumb.data, 'base64');
    if (!img.length || !th.length) throw new Error('empty capture');
    return out ? { img, th } : img;
  } finally {
    s.job = null;
    release(s);
  }
}

async function run(n, conc) {
  const lat = new Array(n).fill(0);
  let next = 0, errors = 0, err;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const st = performance.now();
      try { await render(i % inputs.length, false); } catch (e) { errors++; err = err || String(e); }
      lat[i] = performance.now() - st;
    }
  }));
  return { lat, wallMs: performance.now() - t0, errors, err };
}

if (steps) {
  // Where the CPU goes, per step and per process kind: the cases one after
  // another on one page (after one warm render each), the CPU time of
  // this process and every one below it read from /proc at each step's end.
  // Prints CPU-ms per render: {"step/kind": ms}.
  const { readdirSync } = await import('node:fs');
  const sample = () => {
    const procs = {};
    for (const d of readdirSync('/proc')) {
      if (!/^[0-9]+$/.test(d)) continue;
      let st;
      try { st = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch (e) { continue; }
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      procs[d] = { ppid: f[1], cpu: (Number(f[11]) + Number(f[12])) / 100 };
    }
    const out = {};
    const walk = (pid, kind) => {
      if (!procs[pid]) return;
      let k = kind;
      if (!k) {
        let cmd = '';
        try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '); } catch (e) {}
        const m = / --type=(\S+)/.exec(cmd);
        k = m ? m[1] : 'browser';
      }
      out[k] = (out[k] || 0) + procs[pid].cpu;
      for (const [c, p] of Object.entries(procs)) if (p.ppid === pid) walk(c, '');
    };
    walk(String(process.pid), 'node');
    return out;
  };
  const desktop = inputs.map((s, i) => [JSON.parse(s).viewport, i]).filter(([v]) => !v.mobile && v.deviceScaleFactor <= 1).map(([, i]) => i);
  for (const i of desktop) await render(i, false);
  const cpu = {};
  let last = sample();
  mark = (step) => {
    const now = sample();
    for (const k of Object.keys(now)) cpu[step + '/' + k] = (cpu[step + '/' + k] || 0) + now[k] - (last[k] || 0);
    last = now;
  };
  const t0 = sample();
  for (let n = 0; n < steps; n++) await render(desktop[n % desktop.length], false);
  mark('queue');
  const t1 = sample();
  const out = { total: 0 };
  for (const k of Object.keys(t1)) out.total += (t1[k] - (t0[k] || 0)) * 1000 / steps;
  for (const [k, v] of Object.entries(cpu)) out[k] = Math.round(v * 1000 / steps * 10) / 10;
  process.stdout.write(JSON.stringify(out) + '\n');
  await browser.close();
  process.exit(0);
}

if (outDir) {
  // One batch as a whole process: no warm-up, the job starts at once.
  let next = 0, errors = 0;
  await Promise.all(Array.from({ length: pages }, async () => {
    for (;;) {
      const i = next++;
      if (i >= inputs.length) return;
      const base = join(outDir, `${i}-${names[i]}`);
      try {
        if (format === 'png') {
          writeFileSync(base + '.png', await render(i, true));
        } else {
          const { img, th } = await render(i, false, true);
          writeFileSync(base + '.thumb.jpg', th);
          writeFileSync(base + '.webp', img);
        }
      } catch (e) {
        errors++;
        process.stderr.write(`peer: ${files[i]}: ${e}\n`);
      }
    }
  }));
  await browser.close();
  process.exit(errors ? 1 : 0);
}

for (let i = 0; i < inputs.length; i++) await render(i, false);
process.stdout.write(JSON.stringify({ ready: true }) + '\n');

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  const c = JSON.parse(line);
  if (c.op === 'quit') break;
  if (c.op === 'run') {
    process.stdout.write(JSON.stringify(await run(c.n, c.conc)) + '\n');
  } else if (c.op === 'save') {
    let errors = 0, err;
    for (let i = 0; i < inputs.length; i++) {
      try { writeFileSync(join(c.dir, names[i] + '.png'), await render(i, true)); } catch (e) { errors++; err = String(e); }
    }
    process.stdout.write(JSON.stringify({ errors, err }) + '\n');
  }
}
await browser.close();
process.exit(0);
