async (o) => {
  const out = { warnings: [], content: false };
  const roots = [document];
  // Open shadow roots (declarative ones included) hold state too.
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { roots.push(el.shadowRoot); walk(el.shadowRoot); }
    }
  };
  walk(document);
  const all = (sel) => roots.flatMap((r) => Array.from(r.querySelectorAll(sel)));

  // Freeze: no transitions, no smooth scrolling, no caret, no scroll anchoring.
  const st = document.createElement('style');
  st.textContent = '*,*::before,*::after{transition:none!important;caret-color:transparent!important;scroll-behavior:auto!important}html{scroll-behavior:auto!important;overflow-anchor:none!important}';
  (document.head || document.documentElement).appendChild(st);
  try {
    for (const a of document.getAnimations()) {
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
      if (ctx) { ctx.clearRect(0, 0, c.width, c.height); ctx.drawImage(im, 0, 0, c.width, c.height); }
    }).catch(() => out.warnings.push('canvas image could not be decoded'));
  });
  await bounded(Promise.all(paints), 'canvas pictures still decoding at capture', 0.25);

  // Images the snapshot carries load whatever their loading attribute says:
  // a lazy image outside the viewport never loads in a tab that does not
  // scroll, and its decode() would never settle. (The snapshot package
  // drops the attribute already; this covers documents built elsewhere.)
  const imgs = all('img');
  for (const i of imgs) {
    if (i.loading !== 'eager') i.loading = 'eager';
    if (i.decoding === 'async') i.decoding = 'sync';
  }

  // Web fonts, at most half the budget.
  await bounded(document.fonts.ready, 'web fonts still loading at capture', 0.5);

  // Images still loading or decoding (large data: URLs) would paint late.
  const pending = imgs.filter((i) => !i.complete);
  await bounded(Promise.all(pending.map((i) => i.decode().catch(() => {}))),
    () => pending.filter((i) => !i.complete).length + ' images still loading at capture');

  // Element scroll, after layout.
  for (const el of all('[' + o.topAttr + '],[' + o.leftAttr + ']')) {
    const top = parseFloat(el.getAttribute(o.topAttr) || '0') || 0;
    const left = parseFloat(el.getAttribute(o.leftAttr) || '0') || 0;
    if (el === document.documentElement || el === document.body) continue;
    el.scrollTop = top; el.scrollLeft = left;
  }

  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  window.scrollTo({ left: o.x, top: o.y, behavior: 'instant' });
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  // A late layout (fonts, images) can move the scroll: set it again.
  if (Math.abs(window.scrollY - o.y) > 1 || Math.abs(window.scrollX - o.x) > 1) {
    window.scrollTo({ left: o.x, top: o.y, behavior: 'instant' });
    await new Promise((r) => requestAnimationFrame(r));
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
