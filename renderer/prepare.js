async (o) => {
  const out = { warnings: [], content: false };
  const roots = [document];
  // Open shadow roots (declarative ones included) and the documents of
  // frames (srcdoc, same origin) hold state too.
  const hyphenated = []; // elements whose name could be a custom element's
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.localName.includes('-') && hyphenated.length < 100000) hyphenated.push(el);
      if (el.shadowRoot) { roots.push(el.shadowRoot); walk(el.shadowRoot); }
      if (el.localName === 'iframe' || el.localName === 'frame') {
        let d = null;
        try { d = el.contentDocument; } catch (e) {}
        if (d && d.documentElement && roots.length < 1000) { roots.push(d); walk(d); }
      }
    }
  };
  walk(document);
  const all = (sel) => roots.flatMap((r) => Array.from(r.querySelectorAll(sel)));

  // Custom elements match :defined as on the live page, whose scripts had
  // defined them (pages hide the ones not upgraded yet, as in
  // my-card:not(:defined) { visibility: hidden }). Page scripts never run
  // here: each name is defined with an empty class of Kiln's, which has
  // no behaviour. The names are those of the elements carrying
  // o.definedAttr when any element does (the input said which were
  // defined: rrweb's isCustom); an input that says nothing defines every
  // element whose name is a valid custom element name. Each document
  // (frames) has its own registry; names are bounded.
  {
    const marked = all('[' + o.definedAttr + ']');
    const done = new Map(); // window -> names tried
    let n = 0;
    for (const el of marked.length ? marked : hyphenated) {
      const win = el.ownerDocument.defaultView;
      if (!win || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') continue;
      let names = done.get(win);
      if (!names) done.set(win, names = new Set());
      if (names.has(el.localName)) continue;
      if (++n > 2000) break;
      names.add(el.localName);
      try {
        if (!win.customElements.get(el.localName)) win.customElements.define(el.localName, class extends win.HTMLElement {});
      } catch (e) {} // not a valid custom element name
    }
  }

  // :target as on the live page, whose URL had a fragment (o.hash): a
  // fragment navigation of the written document (its URL is about:blank,
  // the next job's navigation replaces it). It scrolls to the element:
  // the scroll containers around it get back to their own recorded
  // offsets below, or to 0 (where they were before).
  if (o.hash) {
    try {
      location.hash = o.hash;
      for (let e = document.querySelector(':target'); e; e = e.parentElement) {
        if (!e.hasAttribute(o.topAttr) && !e.hasAttribute(o.leftAttr)) { e.scrollTop = 0; e.scrollLeft = 0; }
      }
    } catch (e) {}
  }

  // Freeze: no transitions, smooth scrolling, caret or scroll anchoring is
  // the document's own first style sheet (load.go's freezeStyle); what
  // still runs (CSS animations) is ended here.
  try {
    for (const a of roots.filter((r) => r.nodeType === 9).flatMap((d) => d.getAnimations())) {
      // Animations driven by scroll (animation-timeline: scroll(), view())
      // follow the scroll set below, as on the live page.
      if (a.timeline && typeof DocumentTimeline === 'function' && !(a.timeline instanceof DocumentTimeline)) continue;
      try {
        const t = a.effect && a.effect.getComputedTiming();
        if (t && Number.isFinite(t.endTime)) a.finish(); else a.cancel();
      } catch (e) { a.cancel(); }
    }
  } catch (e) {}

  // Every wait below shares one budget (o.settleMs) and none can outlast
  // it: a resource that never arrives becomes a warning, never a hung or
  // failed render.
  const end = performance.now() + o.settleMs;
  const bounded = (p, warning, share) => {
    const left = Math.max(0, end - performance.now());
    const ms = share ? Math.min(left, o.settleMs * share) : left;
    let timer;
    return Promise.race([
      Promise.resolve(p).then(() => false, () => false),
      new Promise((r) => { timer = setTimeout(() => r(true), ms); }),
    ]).then((late) => {
      clearTimeout(timer);
      if (late) out.warnings.push(typeof warning === 'function' ? warning() : warning);
      return late;
    });
  };

  // Canvas pixels recorded by the SDK.
  const paints = all('canvas[' + o.canvasAttr + ']').map((c) => {
    const src = c.getAttribute(o.canvasAttr);
    c.removeAttribute(o.canvasAttr);
    const im = new Image();
    im.src = src;
    return im.decode().then(() => {
      const ctx = c.getContext('2d');
      if (ctx && !c.__kilnDrawn) { ctx.clearRect(0, 0, c.width, c.height); ctx.drawImage(im, 0, 0, c.width, c.height); }
    }).catch(() => out.warnings.push('canvas image could not be decoded'));
  });
  await bounded(Promise.all(paints), 'canvas pictures still decoding at capture', 0.25);

  // Canvas drawing recorded as 2D commands (the replay mirror's
  // data-kiln-canvas-commands: rrweb's {property, args, setter}, one per
  // line), drawn over the picture. Only whitelisted methods and setters
  // run, with plain arguments (finite numbers, short strings, booleans,
  // short number arrays) and images by URL for drawImage; nothing is
  // evaluated. A fill or stroke style rrweb could not serialize (a
  // gradient or pattern, recorded as {}) paints from the canvas's last
  // picture, the nearest to the recorded colors there is (see barStyle).
  const cmdAttr = o.canvasAttr + '-commands';
  const methods = {
    arc: 6, arcTo: 5, beginPath: 0, bezierCurveTo: 6, clearRect: 4, clip: 1, closePath: 0,
    drawImage: 9, ellipse: 8, fill: 1, fillRect: 4, fillText: 4, lineTo: 2, moveTo: 2,
    quadraticCurveTo: 4, rect: 4, reset: 0, resetTransform: 0, restore: 0, rotate: 1,
    roundRect: 5, save: 0, scale: 2, setLineDash: 1, setTransform: 6, stroke: 0,
    strokeRect: 4, strokeText: 4, transform: 6, translate: 2,
  };
  const setters = new Set(['direction', 'fillStyle', 'filter', 'font', 'fontKerning', 'globalAlpha',
    'globalCompositeOperation', 'imageSmoothingEnabled', 'imageSmoothingQuality', 'letterSpacing',
    'lineCap', 'lineDashOffset', 'lineJoin', 'lineWidth', 'miterLimit', 'shadowBlur', 'shadowColor',
    'shadowOffsetX', 'shadowOffsetY', 'strokeStyle', 'textAlign', 'textBaseline', 'wordSpacing']);
  const maxCommands = 200000; // all canvases of the page
  const plain = (a) => (typeof a === 'number' && Number.isFinite(a)) || typeof a === 'boolean' ||
    (typeof a === 'string' && a.length <= 4096) ||
    (Array.isArray(a) && a.length <= 256 && a.every((x) => typeof x === 'number' && Number.isFinite(x)));
  const isImage = (a) => a && typeof a === 'object' && !Array.isArray(a) && a.rr_type === 'HTMLImageElement' && typeof a.src === 'string';
  const drawings = [];
  const images = new Map(); // src -> Image
  for (const c of all('canvas[' + cmdAttr + ']')) {
    // One command per line; a line that is not JSON is one skipped.
    const list = c.getAttribute(cmdAttr).split('\n', maxCommands).filter((l) => l !== '').map((l) => {
      try { return JSON.parse(l); } catch (e) { return null; }
    });
    c.removeAttribute(cmdAttr);
    drawings.push([c, list]);
    for (const cmd of list) {
      const a = cmd && cmd.property === 'drawImage' && Array.isArray(cmd.args) ? cmd.args[0] : null;
      if (isImage(a) && !images.has(a.src) && images.size < 64) {
        const im = new Image();
        im.src = a.src;
        images.set(a.src, im);
      }
    }
  }
  await bounded(Promise.all(Array.from(images.values()).map((i) => i.decode().catch(() => {}))),
    'canvas images still loading at capture', 0.25);
  let budget = maxCommands;
  let skipped = 0;
  for (const [c, list] of drawings) {
    const ctx = c.getContext('2d');
    if (!ctx) continue;
    c.__kilnDrawn = true;
    // The last picture, for styles rrweb could not record: taken before
    // the commands clear the canvas.
    let picture, pixels = null, unknown = false;
    const isObj = (v) => v && typeof v === 'object' && !Array.isArray(v);
    if (list.some((cmd) => cmd && cmd.setter === true && Array.isArray(cmd.args) && isObj(cmd.args[0]))) {
      try {
        const off = document.createElement('canvas');
        off.width = c.width; off.height = c.height;
        const octx = off.getContext('2d');
        octx.drawImage(c, 0, 0);
        picture = ctx.createPattern(off, 'no-repeat') || undefined;
        pixels = octx.getImageData(0, 0, off.width, off.height);
      } catch (e) {}
    }
    // A rectangle filled with an unknown style (a chart's bar: a gradient
    // in canvas pixels) takes the colors of the nearest bar of the last
    // picture: the longest opaque run of a column near it, its first and
    // last colors spread over the rectangle. Else the picture itself.
    const barStyle = (x, y, w, h) => {
      if (w < 0) { x += w; w = -w; }
      if (h < 0) { y += h; h = -h; }
      if (!pixels || !(w > 0) || !(h > 0)) return null;
      const t = ctx.getTransform();
      if (!t.isIdentity) return null;
      const W = pixels.width, H = pixels.height, d = pixels.data, m = Math.round(h / 4) + 20;
      const alpha = (cx, cy) => d[(cy * W + cx) * 4 + 3];
      // The column nearest the rectangle's middle with a run wins: a
      // longer run further off is likely the next bar.
      const lo = Math.max(0, Math.floor(y) - m), hi = Math.min(H - 1, Math.ceil(y + h) + m);
      const run = (cx) => {
        let found = null, start = -1;
        for (let cy = lo; cy <= hi + 1; cy++) {
          const opaque = cy <= hi && alpha(cx, cy) > 200;
          if (opaque && start < 0) start = cy;
          if (!opaque && start >= 0) {
            if (!found || cy - start > found.len) found = { cx, top: start, bottom: cy - 1, len: cy - start };
            start = -1;
          }
        }
        return found && found.len >= 3 ? found : null;
      };
      const mid = Math.round(x + w / 2);
      let best = null;
      for (let k = 0; !best && k <= Math.ceil(w) + 2; k++) {
        for (const cx of k ? [mid - k, mid + k] : [mid]) {
          if (!best && cx >= 0 && cx < W) best = run(cx);
        }
      }
      if (!best) return null;
      const color = (cy) => {
        const i = (cy * W + best.cx) * 4;
        return 'rgba(' + d[i] + ',' + d[i + 1] + ',' + d[i + 2] + ',' + (d[i + 3] / 255) + ')';
      };
      const g = ctx.createLinearGradient(0, y, 0, y + h);
      g.addColorStop(0, color(Math.min(best.bottom, best.top + 1)));
      g.addColorStop(1, color(Math.max(best.top, best.bottom - 1)));
      return g;
    };
    for (const cmd of list) {
      if (budget-- <= 0) break;
      if (!cmd || typeof cmd.property !== 'string' || !Array.isArray(cmd.args)) { skipped++; continue; }
      const p = cmd.property;
      // rrweb writes an argument left out (undefined: Chart.js's
      // fillText(text, x, y, undefined)) as null, which the method would
      // read as 0 or refuse: trailing nulls are arguments left out.
      let args = cmd.args;
      while (args.length > 0 && args[args.length - 1] === null) args = args.slice(0, -1);
      try {
        if (cmd.setter === true) {
          if (!setters.has(p) || args.length !== 1) { skipped++; continue; }
          let v = args[0];
          if ((p === 'fillStyle' || p === 'strokeStyle') && isObj(v)) {
            if (p === 'fillStyle') unknown = true;
            v = picture;
            if (v === undefined) continue; // as rrweb's player: the style stays
          } else if (!plain(v) || Array.isArray(v)) { skipped++; continue; }
          else if (p === 'fillStyle') unknown = false;
          ctx[p] = v;
          continue;
        }
        if (!Object.prototype.hasOwnProperty.call(methods, p) || args.length > methods[p]) { skipped++; continue; }
        const real = args.map((a, i) => {
          if (p === 'drawImage' && i === 0 && isImage(a)) return images.get(a.src);
          return plain(a) ? a : undefined;
        });
        if (real.some((a) => a === undefined)) { skipped++; continue; }
        if (p === 'drawImage' && !(real[0] && real[0].complete && real[0].naturalWidth > 0)) { skipped++; continue; }
        const bar = p === 'fillRect' && unknown ? barStyle(real[0], real[1], real[2], real[3]) : null;
        if (bar) {
          const was = ctx.fillStyle;
          ctx.fillStyle = bar;
          ctx.fillRect(real[0], real[1], real[2], real[3]);
          ctx.fillStyle = was;
          continue;
        }
        CanvasRenderingContext2D.prototype[p].apply(ctx, real);
      } catch (e) { skipped++; }
    }
  }
  if (budget < 0) out.warnings.push('canvas commands over ' + maxCommands + ', the rest not drawn');
  if (skipped > 0) out.warnings.push(skipped + ' canvas commands skipped');

  // Images the snapshot carries load whatever their loading attribute says:
  // a lazy image outside the viewport never loads in a tab that does not
  // scroll, and its decode() would never settle. (The snapshot package
  // drops the attribute already; this covers documents built elsewhere.)
  const imgs = all('img');
  for (const i of imgs) {
    if (i.loading !== 'eager') i.loading = 'eager';
    if (i.decoding === 'async') i.decoding = 'sync';
  }

  // Web fonts (the frames' too), at most half the budget.
  const docs = roots.filter((r) => r.nodeType === 9);
  await bounded(Promise.all(docs.map((d) => d.fonts && d.fonts.ready)), 'web fonts still loading at capture', 0.5);

  // Images still loading or decoding (large data: URLs) would paint late.
  const pending = imgs.filter((i) => !i.complete);
  await bounded(Promise.all(pending.map((i) => i.decode().catch(() => {}))),
    () => pending.filter((i) => !i.complete).length + ' images still loading at capture');

  // Videos at the recorded moment (o.mediaAttr: "T" or "T loop", seconds
  // into it): paused on the frame at T (modulo the duration when it
  // loops), as the live page showed it; at most half the budget, shared.
  // Other videos show their poster, or their first frame once loaded, or
  // nothing with preload="none", as on a live page. A frame counts once a
  // frame callback says it is on screen: seeked and loadeddata come
  // before it is painted.
  const videos = all('video').slice(0, 16);
  const event = (v, names) => new Promise((r) => { for (const n of names) v.addEventListener(n, r, { once: true }); });
  const loading = (v) => v.readyState < 2 && !v.error && v.networkState !== HTMLMediaElement.NETWORK_NO_SOURCE;
  // painted resolves at the first frame callback for which ok(metadata)
  // holds, or a second after the caller stops waiting for anything else
  // (wait()) when none comes: then the frame was painted unseen.
  const painted = (v, ok) => {
    let cap;
    const p = new Promise((r) => {
      if (!v.requestVideoFrameCallback) { r(); return; }
      cap = () => setTimeout(r, 1000);
      const f = (now, md) => { if (ok(md)) r(); else v.requestVideoFrameCallback(f); };
      v.requestVideoFrameCallback(f);
    });
    return { wait: () => { if (cap) cap(); return p; } };
  };
  await bounded(Promise.all(videos.map(async (v) => {
    const mark = v.getAttribute(o.mediaAttr);
    if (mark === null) {
      if (v.poster) {
        const im = new Image();
        im.src = v.poster;
        return im.decode().catch(() => {});
      }
      if (v.preload === 'none' || !loading(v)) return;
      const shown = painted(v, () => true); // the first frame, not painted yet
      await event(v, ['loadeddata', 'error']);
      if (!v.error) await shown.wait();
      return;
    }
    const [ts, loop] = mark.trim().split(/\s+/);
    let t = Number(ts);
    if (!Number.isFinite(t) || t < 0) return;
    v.autoplay = false;
    v.pause();
    if (v.readyState < 1) {
      if (v.preload === 'none') v.preload = 'auto';
      await event(v, ['loadedmetadata', 'error']);
    }
    const d = v.duration;
    if (!Number.isFinite(d) || d <= 0) return;
    t = loop === 'loop' ? t % d : Math.min(t, d);
    if (Math.abs(v.currentTime - t) > 0.001 || v.readyState < 2) {
      // The frame of t: one painted once the seek ended, or one whose
      // time is just before t (it can be painted before seeked fires).
      let sought = false;
      const shown = painted(v, (md) => sought || (md.mediaTime <= t + 0.001 && t - md.mediaTime < 0.5));
      const done = event(v, ['seeked', 'error']);
      v.currentTime = t;
      await done;
      sought = true;
      if (!v.error) await shown.wait();
    }
    if (loading(v)) await event(v, ['loadeddata', 'canplay', 'error']);
  })), () => videos.filter((v) => loading(v) || v.seeking).length + ' videos still loading at capture', 0.5);

  // Dialogs the page opened with showModal(): the top layer, the
  // backdrop, the rest inert. An open dialog must be closed first.
  for (const d of all('dialog[' + o.modalAttr + ']')) {
    if (!d.open || !d.isConnected) continue;
    try { d.close(); d.showModal(); } catch (e) { d.open = true; }
  }

  // Element scroll, after layout.
  const scrolled = [];
  for (const el of all('[' + o.topAttr + '],[' + o.leftAttr + ']')) {
    const top = parseFloat(el.getAttribute(o.topAttr) || '0') || 0;
    const left = parseFloat(el.getAttribute(o.leftAttr) || '0') || 0;
    // The window's offsets are o.x, o.y. A <body> that scrolls itself
    // (html{overflow:hidden} body{overflow:auto}) is an element like any
    // other; one that does not ignores scrollTop in standards mode.
    if (el === document.documentElement || el === document.body && document.compatMode !== 'CSS1Compat') continue;
    el.scrollTop = top; el.scrollLeft = left;
    scrolled.push([el, top, left]);
  }

  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();

  // The text selection: the ends o.selectionAttr marks ("start J N",
  // "end J N": after the J-th element child of the marked element, N
  // UTF-16 units into the text that follows), selected again in their
  // document, painted as the live page painted it.
  {
    const at = (el, j, n) => {
      const kids = el.childNodes;
      let i = 0;
      for (let seen = 0; seen < j && i < kids.length; i++) if (kids[i].nodeType === 1) seen++;
      for (; i < kids.length; i++) {
        const k = kids[i];
        if (k.nodeType === 1) return [el, i];
        if (k.nodeType === 3) { if (n <= k.length) return [k, n]; n -= k.length; }
      }
      return [el, kids.length];
    };
    let start = null, end = null;
    for (const el of all('[' + o.selectionAttr + ']').slice(0, 2)) {
      const t = el.getAttribute(o.selectionAttr).trim().split(/\s+/);
      for (let i = 0; i + 2 < t.length && i < 6; i += 3) {
        const j = Number(t[i + 1]), n = Number(t[i + 2]);
        if (!Number.isSafeInteger(j) || !Number.isSafeInteger(n) || j < 0 || n < 0) continue;
        if (t[i] === 'start' && !start) start = at(el, j, n);
        if (t[i] === 'end' && !end) end = at(el, j, n);
      }
    }
    if (start && end && start[0].ownerDocument === end[0].ownerDocument) {
      try {
        const d = start[0].ownerDocument, r = d.createRange();
        r.setStart(start[0], start[1]);
        r.setEnd(end[0], end[1]);
        const sel = d.getSelection();
        sel.removeAllRanges();
        sel.addRange(r);
        // A frame's selection paints in the active colours when the frame
        // has the focus, as it had when the user selected in it.
        if (d !== document) d.defaultView.focus();
      } catch (e) {}
    }
  }
  window.scrollTo({ left: o.x, top: o.y, behavior: 'instant' });
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  // A late layout (fonts, images, a frame's style sheets) can move the
  // scroll: set it again where it moved.
  let moved = false;
  for (const [el, top, left] of scrolled) {
    if (Math.abs(el.scrollTop - top) > 1 || Math.abs(el.scrollLeft - left) > 1) {
      el.scrollTop = top; el.scrollLeft = left; moved = true;
    }
  }
  if (Math.abs(window.scrollY - o.y) > 1 || Math.abs(window.scrollX - o.x) > 1) {
    window.scrollTo({ left: o.x, top: o.y, behavior: 'instant' });
    moved = true;
  }
  if (moved) await new Promise((r) => requestAnimationFrame(r));

  // Where the mouse was: the element carrying o.pointerAttr ("X Y" in
  // the viewport of its document, after the earlier positions of its way
  // there: "x y x y ... X Y") is the one it was over. out.pointer is that
  // point in the top viewport, where the caller moves the mouse, and
  // out.pointer.path the earlier positions (at most 16) it goes through
  // first; window.__kilnHover keeps the element for hoverStep.
  window.__kilnHover = null;
  const marked = all('[' + o.pointerAttr + ']')[0];
  if (marked) {
    const xy = marked.getAttribute(o.pointerAttr).trim().split(/\s+/).map(Number);
    const n = xy.length;
    let px = xy[n - 2], py = xy[n - 1], ok = n >= 2 && n % 2 === 0 && n <= 34 && xy.every(Number.isFinite);
    const local = { x: px, y: py };
    for (let w = marked.ownerDocument.defaultView; ok && w && w !== window; w = w.parent) {
      const f = w.frameElement;
      if (!f) { ok = false; break; }
      const r = f.getBoundingClientRect(), cs = getComputedStyle(f);
      px += r.left + f.clientLeft + (parseFloat(cs.paddingLeft) || 0);
      py += r.top + f.clientTop + (parseFloat(cs.paddingTop) || 0);
    }
    if (ok && px >= 0 && py >= 0 && px < innerWidth && py < innerHeight) {
      const path = [];
      for (let i = 0; i + 2 < n; i += 2) {
        const x = xy[i] + px - local.x, y = xy[i + 1] + py - local.y;
        if (x >= 0 && y >= 0 && x < innerWidth && y < innerHeight) path.push({ x, y });
      }
      out.pointer = { x: px, y: py, path };
      window.__kilnHover = { el: marked, local, dx: px - local.x, dy: py - local.y };
    }
  }

  const de = document.documentElement;
  out.scrollX = window.scrollX;
  out.scrollY = window.scrollY;
  out.docWidth = Math.max(de.scrollWidth, document.body ? document.body.scrollWidth : 0);
  out.docHeight = Math.max(de.scrollHeight, document.body ? document.body.scrollHeight : 0);
  const b = document.body;
  out.content = !!b && ((b.innerText || '').trim().length > 0 ||
    !!b.querySelector('img,svg,canvas,video,input,textarea,select,iframe,picture'));
  return out;
}
