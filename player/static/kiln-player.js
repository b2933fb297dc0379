// kiln-player: plays a Kiln replay bundle (docs/replay.md) from its
// manifest URL, loading one segment at a time.
//
//   <script type="module" src="https://kiln.example/player/kiln-player.js"></script>
//   <kiln-player src="https://store.example/bundle/manifest.json" t="5000"></kiln-player>
//
// Attributes: src (manifest URL), t (start time, ms), autoplay,
// skip-inactive, video (URL of the replay's video, a download link;
// default: the manifest's video, resolved like its other files), timeline (URL of the item's timeline; default: the
// manifest's timeline field, resolved against the page), no-timeline,
// events-timeline (without an item timeline, list the recorded clicks and
// inputs of every segment, read after the first frame).
// Properties: files (Map or object of bundle file names to URLs, for
// bundles whose files have their own signed URLs: a job's results),
// headers (sent with the timeline request only, and only to the page's
// origin, e.g. an API key).
// Methods: play(), pause(), seek(ms). Events: kiln-ready (the frame at the
// requested time is painted), kiln-time (detail: {ms}), kiln-error.
//
// The recorded DOM is untrusted. rrweb rebuilds it in an iframe with
// sandbox="allow-same-origin" (no allow-scripts), which the player checks
// after each rebuild; the page that embeds the player should also send a
// CSP that limits images, fonts and styles to the bundle's origin
// (docs/player.md). Timeline texts are set with textContent only.

import { Replayer } from "./vendor/rrweb/rrweb.js";

const ASSET = /kiln-asset:([0-9a-f]{64})/g;
const MAX_TIMELINE = 2000; // entries shown; a longer list is cut
const MAX_TIMELINE_PAGES = 20;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function fmtAt(ms) {
  const s = Math.max(0, ms) / 1000;
  return Math.floor(s / 60) + ":" + (s % 60).toFixed(1).padStart(4, "0");
}

async function inflateText(resp) {
  const bytes = new Uint8Array(await resp.arrayBuffer());
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    // A plain folder serves the gzip file as it is; object storage sends
    // Content-Encoding: gzip and fetch has inflated it already.
    const s = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(s).text();
  }
  return new TextDecoder().decode(bytes);
}

// definePlugin: the names a recording's CustomElement events define
// (customElements.define on the live page; bundles also repeat them after
// each segment's snapshot) are defined in the replay's document with an
// empty class of the player's, so :defined matches as it did live. rrweb
// defines only the nodes its snapshots mark isCustom, and an element
// recorded before its name was defined is not. Nothing of the page runs:
// the class has no behaviour.
const definePlugin = {
  handler(ev, isSync, { replayer }) {
    const d = ev.type === 3 && ev.data;
    if (!d || d.source !== 16 || !d.define || typeof d.define.name !== "string") return;
    const w = replayer.iframe && replayer.iframe.contentWindow;
    try {
      if (w && !w.customElements.get(d.define.name)) w.customElements.define(d.define.name, class extends w.HTMLElement {});
    } catch (e) {
      // not a valid custom element name
    }
  },
};

let stylesAdded = false;
function addStyles() {
  if (stylesAdded) return;
  stylesAdded = true;
  for (const f of ["./vendor/rrweb/style.css", "./kiln-player.css"]) {
    const l = document.createElement("link");
    l.rel = "stylesheet";
    l.href = new URL(f, import.meta.url).href;
    document.head.append(l);
  }
}

// describe names a recorded node for people: its tag and what identifies
// it (label text, name, id, placeholder), from the serialized node.
function describe(n, text) {
  if (!n) return "";
  const a = n.attributes || {};
  let d = n.tagName || "node";
  if (a.type && d === "input") d += "[type=" + a.type + "]";
  const label = a["aria-label"] || text || a.title || a.alt || a.placeholder || a.name || (a.id ? "#" + a.id : "");
  if (label) d += " “" + String(label).trim().slice(0, 60) + "”";
  return d;
}

function textOf(n, depth = 0) {
  if (!n || depth > 4) return "";
  if (n.type === 3) return n.textContent || "";
  let s = "";
  for (const c of n.childNodes || []) {
    s += " " + textOf(c, depth + 1);
    if (s.length > 80) break;
  }
  return s.replace(/\s+/g, " ").trim();
}

const masked = (v) => typeof v === "string" && v.length > 0 && /^[*\s]+$/.test(v);

export class KilnPlayer extends HTMLElement {
  static observedAttributes = ["src"];

  constructor() {
    super();
    this.files = null;
    this.headers = null;
    this._segs = new Map(); // index → Promise of events
    this._nodes = new Map(); // recorded node id → description
    this._entries = [];
    this._replayer = null;
    this._base = -1; // first segment of the current replayer
    this._last = -1; // last segment appended to it
    this._playing = false;
    this._gen = 0; // bumps on every seek: late loads of an old seek are ignored
    this._loadGen = 0; // bumps on every new src
  }

  connectedCallback() {
    if (this._root) return;
    addStyles();
    this._root = el("div", "kp");
    this._stage = el("div", "kp-stage");
    this._frame = el("div", "kp-frame");
    this._stage.append(this._frame);
    const bar = el("div", "kp-controls");
    this._playBtn = el("button", "kp-play", "Play");
    this._playBtn.type = "button";
    this._playBtn.addEventListener("click", () => (this._playing ? this.pause() : this.play()));
    this._track = el("div", "kp-track");
    this._fill = el("div", "kp-fill");
    this._track.append(this._fill);
    this._track.addEventListener("click", (ev) => {
      const r = this._track.getBoundingClientRect();
      this.seek(((ev.clientX - r.left) / r.width) * this.duration, this._playing);
    });
    this._clock = el("time", "kp-clock", "0:00.0");
    const skip = el("label", "kp-skip");
    this._skip = el("input");
    this._skip.type = "checkbox";
    this._skip.checked = this.hasAttribute("skip-inactive");
    this._skip.addEventListener("change", () => this._replayer?.setConfig({ skipInactive: this._skip.checked }));
    skip.append(this._skip, " skip inactivity");
    bar.append(this._playBtn, this._track, this._clock, skip);
    // A video of the replay (made from the same bundle): the video
    // attribute, or the manifest's video (_load).
    this._bar = bar;
    this._videoLink(this.getAttribute("video"));
    this._list = el("ol", "kp-timeline");
    const main = el("div", "kp-main");
    main.append(this._stage, bar);
    this._root.append(main);
    if (!this.hasAttribute("no-timeline")) {
      // The list scrolls within the replay's height: it never makes the
      // player taller.
      const side = el("div", "kp-side");
      side.append(this._list);
      this._root.append(side);
    }
    this.append(this._root);
    new ResizeObserver(() => this._fit()).observe(this._stage);
    if (this.getAttribute("src")) this._load();
  }

  attributeChangedCallback() {
    if (this._root) this._load();
  }

  get duration() {
    return this._m ? this._m.durationMs : 0;
  }

  // currentTime is the playing position in ms after the manifest's startTime.
  get currentTime() {
    if (!this._replayer || !this._playing) return this._t || 0;
    return this._replayer.getMetaData().startTime + this._replayer.getCurrentTime() - this._m.startTime;
  }

  _url(name) {
    const f = this.files;
    const u = f instanceof Map ? f.get(name) : f ? f[name] : undefined;
    return u || new URL(name, this._src).href;
  }

  async _load() {
    const src = this.getAttribute("src");
    this._src = new URL(src, location.href).href;
    this._gen++;
    const gen = ++this._loadGen;
    this._segs.clear();
    this._nodes.clear();
    if (this._replayer) this._replayer.destroy();
    this._replayer = null;
    this._base = this._last = -1;
    this._setPlaying(false);
    try {
      const resp = await fetch(this._src);
      if (!resp.ok) throw new Error("manifest.json: HTTP " + resp.status);
      const m = JSON.parse(await inflateText(resp));
      if (m.format !== "kiln-replay" || !Array.isArray(m.segments) || !m.segments.length) throw new Error("manifest.json: not a Kiln replay bundle");
      this._m = m;
      if (m.video && typeof m.video.name === "string") {
        const u = new URL(this._url(m.video.name), location.href);
        if (u.protocol === "https:" || u.protocol === "http:") this._videoLink(u.href); // a manifest is data: no other scheme
      }
      this._entries = [];
      for (const p of m.pages || []) this._entries.push({ atMs: p.atMs, kind: "navigation", text: p.href });
      for (const v of (m.viewports || []).slice(1)) this._entries.push({ atMs: v.atMs, kind: "resize", text: v.width + "×" + v.height });
      this._markers();
      this._renderTimeline();
      this._loadTimeline();
      const t = Number(this.getAttribute("t") ?? new URLSearchParams(location.search).get("t") ?? 0);
      await this.seek(Number.isFinite(t) ? t : 0, this.hasAttribute("autoplay"));
      if (this.hasAttribute("events-timeline") && !m.timeline && !this.getAttribute("timeline")) this._scan(gen);
    } catch (e) {
      this._fail(e);
    }
  }

  _videoLink(href) {
    if (!href || this._bar.querySelector("a.kp-video")) return;
    const a = el("a", "kp-video", "Download video");
    a.href = href;
    a.download = "";
    a.rel = "noopener";
    this._bar.append(a);
  }

  _fail(e) {
    this.setAttribute("error", e.message);
    this.dispatchEvent(new CustomEvent("kiln-error", { detail: { message: e.message } }));
  }

  _segment(ms) {
    const segs = this._m.segments;
    let k = 0;
    for (let i = 0; i < segs.length; i++) if (segs[i].startMs <= ms) k = i;
    return k;
  }

  // _events loads segment k once: inflate, map stored assets, parse.
  _events(k) {
    if (!this._segs.has(k)) {
      const seg = this._m.segments[k];
      const p = fetch(this._url(seg.name)).then(async (resp) => {
        if (!resp.ok) throw new Error(seg.name + ": HTTP " + resp.status);
        const text = (await inflateText(resp)).replace(ASSET, (_, sha) => JSON.stringify(this._url("assets/" + sha)).slice(1, -1));
        const events = JSON.parse(text);
        if (!Array.isArray(events) || events.length < 2) throw new Error(seg.name + ": not a segment");
        this._learn(events);
        return events;
      });
      p.catch(() => this._segs.delete(k)); // a failed load may be retried
      this._segs.set(k, p);
    }
    return this._segs.get(k);
  }

  // _learn remembers what recorded nodes are (for timeline entries).
  _learn(events) {
    const walk = (n, depth) => {
      if (!n || depth > 200) return;
      if (n.type === 2) this._nodes.set(n.id, describe(n, textOf(n)));
      for (const c of n.childNodes || []) walk(c, depth + 1);
    };
    for (const ev of events) {
      if (ev.type === 2) walk(ev.data && ev.data.node, 0);
      else if (ev.type === 3 && ev.data && ev.data.source === 0) for (const a of ev.data.adds || []) walk(a.node, 0);
    }
    this._renderTimeline();
  }

  // _scan reads every segment after the first frame, for a timeline of
  // the recorded clicks and inputs (attribute events-timeline, when the
  // bundle links no item timeline).
  async _scan(gen) {
    const at = (ev) => ev.timestamp - this._m.startTime;
    const found = [];
    for (let k = 0; k < this._m.segments.length && gen === this._loadGen; k++) {
      let events;
      try {
        events = await this._events(k);
      } catch (_) {
        continue;
      }
      for (const ev of events.slice(this._m.segments[k].synthetic || 0)) {
        const d = ev.data;
        if (ev.type !== 3 || !d) continue;
        if (d.source === 2 && (d.type === 2 || d.type === 4)) {
          found.push({ atMs: at(ev), kind: "click", node: d.id, text: (d.type === 4 ? "double click" : "click") + " at " + Math.round(d.x) + "," + Math.round(d.y) });
        } else if (d.source === 5) {
          found.push({ atMs: at(ev), kind: "input", node: d.id, checked: typeof d.isChecked === "boolean" && this._checkable(d.id) ? d.isChecked : undefined, value: typeof d.text === "string" ? d.text : undefined });
        }
      }
    }
    if (gen === this._loadGen) this.addEntries(found);
  }

  _checkable(id) {
    return /\[type=(checkbox|radio)\]/.test(this._nodes.get(id) || "");
  }

  // seek shows the state at ms (after startTime), paused unless play.
  async seek(ms, play = false) {
    if (!this._m) return;
    ms = Math.max(0, Math.min(ms, this.duration));
    this._t = ms;
    this._ended = false;
    const gen = ++this._gen;
    const k = this._segment(ms);
    try {
      if (!this._replayer || k < this._base || k > this._last) {
        const events = await this._events(k);
        if (gen !== this._gen) return;
        this._newReplayer(events, k);
        // rrweb applies its first Meta's size and snapshot in timeouts
        // after construction: let them run before seeking past them.
        await new Promise((ok) => setTimeout(ok, 0));
        if (gen !== this._gen) return;
      }
      const r = this._replayer;
      // rrweb applies the events before its offset; the state at ms (as
      // kiln replay --at shows it) includes the events at ms.
      const offset = this._m.startTime + ms - r.getMetaData().startTime + 1;
      if (play) {
        r.play(Math.max(0, offset));
        this._setPlaying(true);
        this._appendNext();
      } else {
        r.pause(Math.max(0, offset));
        this._setPlaying(false);
        if (k + 1 < this._m.segments.length) this._events(k + 1).catch(() => {}); // prefetch
      }
      this._tick();
      await this._painted();
      if (gen !== this._gen) return;
      this.setAttribute("ready", "");
      this.dispatchEvent(new CustomEvent("kiln-ready", { detail: { ms } }));
    } catch (e) {
      if (gen === this._gen) this._fail(e);
    }
  }

  play() {
    if (!this._m) return;
    let t = this.currentTime;
    if (t >= this.duration - 1) t = 0;
    return this.seek(t, true);
  }

  pause() {
    if (!this._replayer) return;
    this._t = this.currentTime;
    this._replayer.pause();
    this._setPlaying(false);
    this._tick();
  }

  _newReplayer(events, k) {
    if (this._replayer) this._replayer.destroy();
    this._frame.replaceChildren();
    const r = new Replayer(events, {
      root: this._frame,
      skipInactive: this._skip.checked,
      mouseTail: false,
      showWarning: false,
      UNSAFE_replayCanvas: false,
      triggerFocus: false,
      plugins: [definePlugin],
    });
    this._replayer = r;
    this._base = this._last = k;
    this._guard();
    r.on("resize", (d) => {
      this._size = d;
      this._fit();
    });
    r.on("fullsnapshot-rebuilded", () => this._guard());
    r.on("finish", () => this._finished(r));
    const v = (this._m.viewports || []).filter((x) => x.atMs <= this._m.segments[k].startMs).pop();
    if (v) this._size = { width: v.width, height: v.height };
    this._fit();
  }

  // _guard enforces the sandbox: the recorded DOM may never run script.
  _guard() {
    const f = this._replayer && this._replayer.iframe;
    if (!f) return;
    if (f.getAttribute("sandbox") !== "allow-same-origin") {
      this._replayer.destroy();
      this._replayer = null;
      throw new Error("kiln-player: the replay iframe is not sandboxed");
    }
  }

  // _appendNext adds the segment after the last appended one, without its
  // synthetic snapshot (the replayer has that state already).
  async _appendNext() {
    const r = this._replayer;
    const next = this._last + 1;
    if (!r || next >= this._m.segments.length || this._appending) return;
    this._appending = true;
    try {
      const events = await this._events(next);
      if (r !== this._replayer || next !== this._last + 1) return;
      for (const ev of events.slice(this._m.segments[next].synthetic || 0)) r.addEvent(ev);
      this._last = next;
      await Promise.resolve(); // addEvent queues its work in a microtask
      if (this._ended && this._playing) {
        this._ended = false;
        r.play(this._m.startTime + this._endAt - r.getMetaData().startTime);
      }
    } catch (e) {
      this._fail(e);
    } finally {
      this._appending = false;
    }
  }

  _finished(r) {
    // rrweb finishes when it has played its last event, also right after
    // a pause past it: only a playing player goes on.
    if (r !== this._replayer || !this._playing) return;
    this._t = this.currentTime;
    if (this._last + 1 < this._m.segments.length) {
      this._ended = true;
      this._endAt = this.currentTime;
      this._appendNext();
      return;
    }
    this._setPlaying(false);
  }

  _setPlaying(on) {
    this._playing = on;
    this._playBtn.textContent = on ? "Pause" : "Play";
    this.toggleAttribute("playing", on);
    if (on && !this._timer) this._timer = setInterval(() => this._tick(), 200);
    if (!on && this._timer) {
      clearInterval(this._timer);
      this._timer = 0;
    }
  }

  _tick() {
    const t = this.currentTime;
    this._fill.style.width = (this.duration ? (100 * Math.min(t, this.duration)) / this.duration : 0) + "%";
    this._clock.textContent = fmtAt(t) + " / " + fmtAt(this.duration);
    if (this._playing && this._last >= 0 && t >= this._m.segments[this._last].startMs) this._appendNext();
    this._past(t);
    this.dispatchEvent(new CustomEvent("kiln-time", { detail: { ms: t } }));
  }

  _past(t) {
    for (const li of this._list.children) li.classList.toggle("kp-past", Number(li.dataset.at) <= t);
  }

  // _fit scales the recorded viewport into the stage (never up).
  _fit() {
    const s = this._size;
    const w = this._replayer && this._replayer.wrapper;
    if (!s || !w) return;
    this._stage.style.aspectRatio = s.width + " / " + s.height;
    const box = this._stage.getBoundingClientRect();
    const scale = Math.min(1, box.width / s.width, (box.height || Infinity) / s.height);
    w.style.transform = "scale(" + scale + ")";
    w.style.left = Math.max(0, (box.width - s.width * scale) / 2) + "px";
    this._scale = scale;
    this.dataset.scale = String(scale);
  }

  // _painted resolves once the iframe's images and fonts are in and a
  // frame has been drawn.
  async _painted() {
    const doc = this._replayer && this._replayer.iframe.contentDocument;
    if (doc) {
      const waits = [...doc.images].filter((i) => !i.complete).map((i) => new Promise((ok) => {
        i.addEventListener("load", ok, { once: true });
        i.addEventListener("error", ok, { once: true });
      }));
      if (doc.fonts) waits.push(doc.fonts.ready);
      await Promise.race([Promise.all(waits), new Promise((ok) => setTimeout(ok, 5000))]);
    }
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
  }

  _markers() {
    this._track.querySelectorAll(".kp-mark").forEach((m) => m.remove());
    for (const kf of this._m.keyframes || []) {
      const b = el("button", "kp-mark");
      b.type = "button";
      b.title = kf.reason + " at " + fmtAt(kf.atMs);
      b.style.left = (100 * kf.atMs) / Math.max(1, this.duration) + "%";
      b.addEventListener("click", (ev) => {
        ev.stopPropagation();
        this.seek(kf.atMs, this._playing);
      });
      this._track.append(b);
    }
  }

  async _loadTimeline() {
    const u = this.getAttribute("timeline") || this._m.timeline;
    if (!u || this.hasAttribute("no-timeline")) return;
    let next = new URL(u, location.href).href;
    try {
      for (let page = 0; next && page < MAX_TIMELINE_PAGES; page++) {
        // The headers (an API key) go to the page's own origin only: the
        // manifest names the timeline's URL, and a manifest is data.
        const own = new URL(next).origin === location.origin;
        const resp = await fetch(next, { headers: own ? this.headers || {} : {} });
        if (!resp.ok) return;
        const j = await resp.json();
        const tl = Array.isArray(j) ? { entries: j } : j.timeline || j;
        // The item's timeline holds navigations and resizes too.
        if (page === 0) this._entries = this._entries.filter((e) => e.kind !== "navigation" && e.kind !== "resize");
        for (const e of tl.entries || []) if (e && typeof e.atMs === "number") this._entries.push(e);
        next = tl.next ? new URL(tl.next, next).href : "";
        this._renderTimeline();
      }
    } catch (_) {
      /* the replay plays without its timeline */
    }
  }

  // addEntries adds timeline entries ({atMs, kind, text, node, level}).
  addEntries(entries) {
    for (const e of entries) this._entries.push(e);
    this._renderTimeline();
  }

  // learn lets a page that read segments itself name their nodes.
  learn(events) {
    this._learn(events);
  }

  // entryText is what a timeline entry says, in words.
  entryText(e) {
    const node = e.node ? this._nodes.get(e.node) : "";
    if (e.kind === "click" && node) return (String(e.text || "").startsWith("double") ? "double click on " : "click on ") + node;
    if (e.kind === "input") {
      const what = node || (e.node ? "field " + e.node : "a field");
      const t = String(e.text || "");
      // rrweb records isChecked on every input: it means something only
      // for checkboxes and radios (or nodes the player has not seen).
      const checkable = !node || this._checkable(e.node);
      if (checkable && (e.checked === true || t === "checked")) return "checked " + what;
      if (checkable && (e.checked === false || t === "unchecked")) return "unchecked " + what;
      if (masked(e.value) || /masked/.test(t)) return "changed " + what + " (value masked)";
      if (typeof e.value === "string") return "typed in " + what + ": “" + e.value.slice(0, 80) + "”";
      return "changed " + what;
    }
    if (e.kind === "network" && e.network) {
      const n = e.network;
      return [n.method || "GET", n.url, n.failed ? "failed" : n.status ? n.status + (n.statusText ? " " + n.statusText : "") : ""].filter(Boolean).join(" ");
    }
    return String(e.text || e.kind);
  }

  _renderTimeline() {
    if (!this._list) return;
    // Keystrokes in one field become one entry with the last value.
    const list = [];
    for (const e of this._entries.slice().sort((a, b) => a.atMs - b.atMs)) {
      const p = list[list.length - 1];
      if (p && e.kind === "input" && p.kind === "input" && e.node && p.node === e.node && typeof e.value === "string" &&
          typeof p.value === "string" && e.atMs - p.atMs < 2000) list[list.length - 1] = e;
      else if (list.length < MAX_TIMELINE) list.push(e);
    }
    this._list.replaceChildren(...list.map((e) => {
      const li = el("li", "kp-entry kp-" + String(e.kind).replace(/[^a-z]/g, ""));
      li.dataset.at = String(e.atMs);
      li.dataset.kind = String(e.kind);
      if (e.level) li.dataset.level = String(e.level);
      const b = el("button");
      b.type = "button";
      b.append(el("time", "", fmtAt(e.atMs)), el("span", "kp-kind", String(e.kind)), el("span", "kp-text", this.entryText(e)));
      b.addEventListener("click", () => this.seek(Math.max(0, e.atMs), false));
      li.append(b);
      return li;
    }));
    this._past(this.currentTime);
  }
}

if (!customElements.get("kiln-player")) customElements.define("kiln-player", KilnPlayer);
