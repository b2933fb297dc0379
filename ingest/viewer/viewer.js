// Kiln viewer: submit a file to the API, follow its jobs, show results.
// Plain DOM code: every value from the API or a file is set with
// textContent or as an attribute, never parsed as HTML.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k === "style") Object.assign(e.style, v); // CSSOM: the page's CSP refuses style attributes
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
};
const fmtMs = (ms) => (ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : Math.round(ms) + " ms");
const fmtBytes = (n) => (n >= 1 << 20 ? (n / (1 << 20)).toFixed(1) + " MB" : n >= 1024 ? (n / 1024).toFixed(0) + " kB" : n + " B");
const fmtAt = (ms) => {
  const s = Math.max(0, ms) / 1000;
  return Math.floor(s / 60) + ":" + (s % 60).toFixed(1).padStart(4, "0");
};

const KEY_STORE = "kiln-key";
let apiKey = "";

function api(path, opts = {}) {
  const headers = Object.assign({ Authorization: "Bearer " + apiKey }, opts.headers || {});
  return fetch(path, Object.assign({}, opts, { headers }));
}

async function errorText(resp) {
  try {
    const j = await resp.json();
    if (j && j.error) return j.error.message + " (" + j.error.code + ", HTTP " + resp.status + ")";
  } catch (_) { /* not JSON */ }
  return "HTTP " + resp.status;
}

// ---- key ----

async function useKey(key) {
  apiKey = key;
  const resp = await api("/v1/stats");
  if (!resp.ok) {
    apiKey = "";
    throw new Error(resp.status === 401 ? "this key is not valid" : await errorText(resp));
  }
  const stats = await resp.json();
  project = stats.project.name;
  $("#project").textContent = "project " + project;
  $("#key-panel").hidden = true;
  $("#submit-panel").hidden = false;
  if (!jobsShown) {
    jobsShown = true;
    restoreJobs();
  }
  return stats;
}

async function initKey() {
  const injected = $('meta[name="kiln-key"]').content;
  const stored = sessionStorage.getItem(KEY_STORE);
  const form = $("#key-form");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const key = $("#key").value.trim();
    try {
      await useKey(key);
      sessionStorage.setItem(KEY_STORE, key);
      $("#forget").hidden = false;
      $("#key-error").hidden = true;
    } catch (e) {
      showError("#key-error", e.message);
    }
  });
  $("#forget").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_STORE);
    location.reload();
  });
  for (const key of [injected, stored]) {
    if (!key) continue;
    try {
      await useKey(key);
      $("#forget").hidden = key === injected;
      return;
    } catch (_) { /* fall through to the form */ }
  }
  $("#key-panel").hidden = false;
}

function showError(sel, msg) {
  const p = $(sel);
  p.textContent = msg;
  p.hidden = !msg;
}

// ---- submit ----

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// detect decides the endpoint from the file's content.
function detect(text) {
  const t = text.trimStart();
  if (t.startsWith("<")) return { path: "/v1/screenshots", type: "text/html" };
  let doc;
  try { doc = JSON.parse(t); } catch (_) { return { path: "/v1/screenshots", type: "text/html" }; }
  const json = "application/json";
  if (doc && !Array.isArray(doc) && (doc.screenshotData || doc.webReplay)) return { path: "/v1/items", type: json };
  const events = Array.isArray(doc) ? doc : doc && Array.isArray(doc.events) ? doc.events : null;
  if (events && events.some((e) => typeof e === "string" || (e && e.type === 3))) return { path: "/v1/replays", type: json };
  return { path: "/v1/screenshots", type: json };
}

async function submitFile(file) {
  showError("#submit-error", "");
  try {
    const raw = new Uint8Array(await file.arrayBuffer());
    const gzipped = raw.length > 2 && raw[0] === 0x1f && raw[1] === 0x8b;
    const plain = gzipped ? await inflate(raw) : raw;
    let target = detect(new TextDecoder().decode(plain));
    const kind = $("#kind").value;
    if (kind !== "auto") target = { path: "/v1/" + (kind === "item" ? "items" : kind + "s"), type: target.type };
    const headers = { "Content-Type": target.type };
    if (gzipped) headers["Content-Encoding"] = "gzip";
    const resp = await api(target.path + "?thumbWidth=320", { method: "POST", headers, body: raw });
    if (!resp.ok) throw new Error(await errorText(resp));
    const ref = await resp.json();
    const refs = ref.itemId ? [ref.screenshot, ref.replay].filter(Boolean) : [ref];
    for (const r of refs) follow(r, file.name);
  } catch (e) {
    showError("#submit-error", file.name + ": " + e.message);
  }
}

function initSubmit() {
  const drop = $("#drop");
  const input = $("#file");
  input.addEventListener("change", () => {
    for (const f of input.files) submitFile(f);
    input.value = "";
  });
  drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (ev) => {
    ev.preventDefault();
    drop.classList.remove("over");
    for (const f of ev.dataTransfer.files) submitFile(f);
  });
}

// ---- jobs ----

async function follow(ref, name, restored = false) {
  if (!restored) remember(ref, name);
  $("#clear-jobs").hidden = false;
  const card = $("#job-template").content.firstElementChild.cloneNode(true);
  card.dataset.id = ref.id;
  $(".job-title", card).textContent = (ref.type === "render:replay" ? "Replay" : "Screenshot") + " of " + name;
  $(".job-id", card).textContent = ref.id;
  $("#jobs").prepend(card);
  setState(card, ref.state);
  for (;;) {
    let resp;
    try {
      resp = await api("/v1/jobs/" + encodeURIComponent(ref.id) + "?wait=25s");
    } catch (e) {
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    if (!resp.ok) {
      setState(card, "failed", await errorText(resp));
      if (resp.status === 404) forgetJob(ref.id); // expired or deleted
      return;
    }
    const job = await resp.json();
    setState(card, job.state, job.reason, job.lastErrorClass, job.attempt);
    if (job.state === "done") return showResult(card, job);
    if (job.state === "failed") return;
  }
}

function setState(card, state, reason, errorClass, attempt) {
  const s = $(".state", card);
  let text = state;
  if (state === "retrying" && errorClass) text += " (" + errorClass + ")";
  if (attempt > 1) text += " · attempt " + attempt;
  s.textContent = text;
  s.className = "state " + state;
  card.dataset.state = state;
  const r = $(".reason", card);
  r.textContent = reason || "";
  r.hidden = !reason;
}

function resultsByName(job) {
  const m = new Map();
  for (const r of job.results || []) m.set(r.name, r);
  return m;
}

function showResult(card, job) {
  const body = $(".body", card);
  body.replaceChildren();
  if (job.type === "render:replay") return showReplay(body, job);
  const res = resultsByName(job);
  const shots = el("div", { class: "shots" });
  const image = res.get("image");
  if (image) {
    const img = el("img", { class: "shot", src: image.url, alt: "screenshot" });
    shots.append(el("figure", {}, el("a", { href: image.url, target: "_blank", rel: "noopener" }, img),
      el("figcaption", { text: image.width + "×" + image.height + " px · " + image.contentType + " · " + fmtBytes(image.size) })));
  }
  const thumb = res.get("thumb");
  if (thumb) {
    shots.append(el("figure", {}, el("img", { class: "thumb", src: thumb.url, alt: "thumbnail" }),
      el("figcaption", { text: "thumbnail " + thumb.width + "×" + thumb.height + " · " + fmtBytes(thumb.size) })));
  }
  body.append(shots);
  showReport(body, job);
}

function showReport(body, job) {
  const rep = job.report;
  if (job.warnings && job.warnings.length) {
    body.append(el("h3", { text: "Warnings" }));
    const ul = el("ul", { class: "warnings" });
    for (const w of job.warnings) ul.append(el("li", { text: w }));
    body.append(ul);
  }
  if (!rep) return;
  body.append(el("h3", { text: "Timings" }));
  const table = el("table", { class: "timings" });
  const max = Math.max(1, ...(rep.steps || []).map((s) => s.ms), rep.queueWaitMs || 0, rep.totalMs || 0);
  const row = (name, ms) => table.append(el("tr", {}, el("td", { text: name }), el("td", { class: "num", text: fmtMs(ms) }),
    el("td", {}, el("span", { class: "bar", style: { width: Math.max(1, (ms / max) * 240) + "px" } }))));
  if (rep.queueWaitMs) row("queue wait", rep.queueWaitMs);
  for (const s of rep.steps || []) row(s.name.replaceAll("_", " "), s.ms);
  row("total (attempt)", rep.totalMs || 0);
  body.append(table);
  if (rep.fetched || rep.served) {
    const n = (k, one, many) => k + " " + (k === 1 ? one : many);
    body.append(el("p", { class: "muted", text: n(rep.served || 0, "resource", "resources") + " served from the snapshot, " + n(rep.fetched || 0, "fetched from the network", "fetched from the network") }));
  }
  if (rep.blockedTotal) {
    body.append(el("h3", { text: "Blocked requests (" + rep.blockedTotal + ")" }));
    const bt = el("table", { class: "blocked" });
    for (const b of rep.blocked || []) bt.append(el("tr", {}, el("td", { text: b.url }), el("td", { text: b.reason })));
    body.append(bt);
  }
}

// ---- replays ----

async function loadJSON(url) {
  const resp = await fetch(url);
  if (!resp.ok) throw new Error("HTTP " + resp.status);
  let bytes = new Uint8Array(await resp.arrayBuffer());
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = await inflate(bytes);
  return JSON.parse(new TextDecoder().decode(bytes));
}

// showReplay plays the bundle in the player page (/player/, an iframe
// with its own, stricter CSP), with the filmstrip under it: a click on a
// picture seeks the player there.
async function showReplay(body, job) {
  const res = resultsByName(job);
  const mres = res.get("manifest.json");
  if (!mres) {
    body.append(el("p", { class: "muted", text: "The job produced no manifest.json." }));
    showReport(body, job);
    return;
  }
  let m;
  try {
    m = await loadJSON(mres.url);
  } catch (e) {
    body.append(el("p", { class: "error", text: "manifest.json: " + e.message }));
    return;
  }
  const url = (name) => (res.get(name) || {}).url;
  const facts = [fmtMs(m.durationMs || 0), plural((m.segments || []).length, "segment")];
  if (m.input) facts.push(plural(m.input.events, "event"));
  body.append(el("p", {}, el("a", { href: mres.url, target: "_blank", rel: "noopener", text: "manifest.json" }), " · " + facts.join(" · ")));
  const frame = el("iframe", { class: "player", src: "/player/?job=" + encodeURIComponent(job.id), title: "replay of " + job.id });
  body.append(frame);
  // The frame is as tall as the player page (same origin).
  frame.addEventListener("load", () => {
    const doc = frame.contentDocument;
    if (!doc || !doc.body) return;
    new ResizeObserver(() => { frame.style.height = Math.min(2000, doc.documentElement.scrollHeight) + "px"; }).observe(doc.body);
  });
  const seek = (ms) => {
    const p = frame.contentDocument && frame.contentDocument.querySelector("kiln-player");
    if (p) p.seek(ms);
  };
  const frames = (m.keyframes || []).filter((k) => url(k.thumb || k.image));
  if (frames.length) {
    body.append(el("h3", { text: "Filmstrip" }));
    const strip = el("div", { class: "filmstrip" });
    for (const k of frames) {
      const b = el("button", { type: "button", title: "show " + fmtAt(k.atMs) + " in the player" },
        el("img", { src: url(k.thumb || k.image), alt: k.reason + " at " + fmtAt(k.atMs) }));
      b.addEventListener("click", () => seek(k.atMs));
      strip.append(el("figure", {}, b, el("figcaption", {}, el("time", { text: fmtAt(k.atMs) }), " " + k.reason)));
    }
    body.append(strip);
  } else if ((m.keyframes || []).length) {
    body.append(el("p", { class: "muted", text: plural(m.keyframes.length, "keyframe") + " listed without pictures" }));
  }
  showReport(body, job);
}

const plural = (n, what) => n + " " + what + (n === 1 ? "" : "s");

// ---- the job list, kept in localStorage (ids and file names only) ----

const JOBS_STORE = "kiln-jobs";
const MAX_SAVED_JOBS = 30;
let project = "";
let jobsShown = false; // the saved job list is shown once a key works

function savedJobs() {
  try {
    const list = JSON.parse(localStorage.getItem(JOBS_STORE) || "[]");
    return Array.isArray(list) ? list.filter((j) => j && typeof j.id === "string") : [];
  } catch (_) {
    return [];
  }
}

function saveJobs(list) {
  try {
    localStorage.setItem(JOBS_STORE, JSON.stringify(list.slice(0, MAX_SAVED_JOBS)));
  } catch (_) { /* storage full or off: the list lasts as long as the page */ }
}

function remember(ref, name) {
  saveJobs([{ id: ref.id, type: ref.type, name, project }, ...savedJobs().filter((j) => j.id !== ref.id)]);
}

function forgetJob(id) {
  saveJobs(savedJobs().filter((j) => j.id !== id));
}

function restoreJobs() {
  const list = savedJobs().filter((j) => j.project === project);
  for (const j of list.reverse()) follow({ id: j.id, type: j.type, state: "…" }, String(j.name || j.id), true);
  $("#clear-jobs").hidden = savedJobs().length === 0;
}

function initJobs() {
  $("#clear-jobs").addEventListener("click", () => {
    saveJobs(savedJobs().filter((j) => j.project !== project));
    $("#jobs").replaceChildren();
    $("#clear-jobs").hidden = true;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  initSubmit();
  initJobs();
  initKey();
});
