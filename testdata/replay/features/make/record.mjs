// Records a feature page with the real rrweb recorder and writes what the
// fixtures in ../ hold (see ../README.md).
// usage: npm install rrweb@2.2.2 playwright-core && node record.mjs CASE
// (the page: sites/CASE/index.html and its files, the scripted interaction:
// sites/CASE/steps.mjs); writes out/CASE/.
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';

const CASE = process.argv[2];
const ROOT = path.dirname(fileURLToPath(import.meta.url));
const SITE = path.join(ROOT, 'sites', CASE);
const OUT = path.join(ROOT, 'out', CASE + (process.env.DPR ? '-dpr' + process.env.DPR : ''));
fs.mkdirSync(OUT, { recursive: true });
const PORT = +(process.env.PORT || 8799);
const types = { html: 'text/html', css: 'text/css', js: 'application/javascript', png: 'image/png', jpg: 'image/jpeg', svg: 'image/svg+xml', woff2: 'font/woff2', woff: 'font/woff', ttf: 'font/ttf', json: 'application/json', webp: 'image/webp', gif: 'image/gif' };
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let f;
  if (p.startsWith('/__rrweb/')) f = path.join(ROOT, 'node_modules/rrweb/dist', p.slice(9));
  else if (p === '/__replay.html') f = path.join(ROOT, 'replay.html');
  else f = path.join(SITE, p.endsWith('/') ? p + 'index.html' : p);
  fs.readFile(f, (err, data) => {
    if (err) { res.writeHead(404); res.end('nf'); return; }
    res.writeHead(200, { 'content-type': types[f.split('.').pop()] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(data);
  });
});
await new Promise(r => server.listen(PORT, '127.0.0.1', r));
const BASE = `http://127.0.0.1:${PORT}/`;

const browser = await chromium.launch({ executablePath: execSync('which chromium').toString().trim(), headless: true, args: ['--hide-scrollbars', '--font-render-hinting=none'] });
const DPR = +(process.env.DPR || 1);
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: DPR });
const page = await ctx.newPage();
const resources = new Map();
page.on('response', async resp => {
  const u = resp.url();
  if (!u.startsWith(BASE) || u.includes('/__rrweb/') || u.includes('__replay')) return;
  try { const body = await resp.body(); resources.set(u.split('#')[0], { url: u.split('#')[0], contentType: (resp.headers()['content-type'] || 'application/octet-stream'), data: body.toString('base64') }); } catch (e) {}
});
page.on('console', m => { if (m.type() === 'error' || m.text().startsWith('PROBE')) console.log('[page]', m.type(), m.text()); });
page.on('pageerror', e => console.log('[pageerror]', e.message));
const rrwebSrc = fs.readFileSync(path.join(ROOT, 'node_modules/rrweb/dist/rrweb.umd.cjs'), 'utf8');
await page.addInitScript({ content: `if (window.top === window) { ${rrwebSrc}\n;window.__rr=[];window.__rrStop = rrweb.record({emit(e){window.__rr.push(JSON.parse(JSON.stringify(e)))}, recordCanvas:true, inlineImages:true, collectFonts:true, inlineStylesheet:true}); }` });
await page.goto(BASE + 'index.html', { waitUntil: 'load' });
await page.waitForFunction(() => window.__rr && window.__rr.some(e => e.type === 2));
const frames = [];
const sleep = ms => new Promise(r => setTimeout(r, ms));
async function shot(label) {
  await sleep(400);
  const t0 = await page.evaluate(() => Date.now() - window.__rr[0].timestamp);
  const file = `truth-${label}.png`;
  await page.screenshot({ path: path.join(OUT, file) });
  const t1 = await page.evaluate(() => Date.now() - window.__rr[0].timestamp);
  const vp = page.viewportSize();
  const scroll = await page.evaluate(() => ({ x: scrollX, y: scrollY }));
  frames.push({ file, label, t_ms: Math.round((t0 + t1) / 2), t0, t1, viewport: vp, device_scale_factor: DPR, scroll });
  console.log('shot', label, t0, t1);
  await sleep(400);
}
const steps = (await import(path.join(SITE, 'steps.mjs'))).default;
await steps(page, shot, sleep);
await sleep(300);
const events = await page.evaluate(() => window.__rr);
fs.writeFileSync(path.join(OUT, 'recording.rrweb.json'), JSON.stringify(events));
const replay = { version: 1, viewport: { deviceScaleFactor: DPR, mobile: false }, resources: [...resources.values()].sort((a, b) => a.url < b.url ? -1 : 1), events };
fs.writeFileSync(path.join(OUT, 'replay.kiln.json'), JSON.stringify(replay));
fs.writeFileSync(path.join(OUT, 'frames.json'), JSON.stringify(frames, null, 1));
console.log('events', events.length, 'resources', resources.size, [...resources.keys()].join(' '));

// official rrweb Replayer, same server still up
const rctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: DPR });
for (const fr of frames) {
  const rp = await rctx.newPage();
  await rp.setViewportSize(fr.viewport);
  rp.on('pageerror', e => console.log('[replay pageerror]', e.message));
  await rp.goto(BASE + '__replay.html', { waitUntil: 'load' });
  await rp.evaluate(async ({ events, t }) => { await window.replayAt(events, t); }, { events, t: fr.t_ms });
  await sleep(1500);
  await rp.evaluate(async ({ t }) => { window.__replayer.pause(t); }, { t: fr.t_ms });
  await sleep(700);
  const el = await rp.$('iframe');
  await rp.screenshot({ path: path.join(OUT, `official-${fr.label}.png`), clip: { x: 0, y: 0, width: fr.viewport.width, height: fr.viewport.height } });
  await rp.close();
}
await browser.close();
server.close();
