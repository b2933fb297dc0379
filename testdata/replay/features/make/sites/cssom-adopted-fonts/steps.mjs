export default async function (page, shot, sleep) {
  await sleep(400);
  await page.evaluate(() => document.getElementById('anim').classList.add('paused'));
  await shot('initial');
  await page.evaluate(async () => {
    document.documentElement.style.setProperty('--accent', '#0d47a1');
    document.documentElement.style.setProperty('--pad', '24px');
    const s = document.getElementById('dyn').sheet;
    s.insertRule('.dyn-a{color:#d50000;font-size:30px;font-weight:bold}', s.cssRules.length);
    s.insertRule('.dyn-b{background:#c6ff00;padding:10px}', s.cssRules.length);
    s.insertRule('.dyn-b{border:4px solid black}', s.cssRules.length);
    s.deleteRule(0);
    const f1 = new FontFace('ProbeUrl', 'url(fonts/a.woff2)');
    document.fonts.add(f1); await f1.load();
    const buf = await (await fetch('fonts/b.woff2')).arrayBuffer();
    const f2 = new FontFace('ProbeBin', buf);
    document.fonts.add(f2); await f2.load();
  });
  await sleep(300);
  await shot('vars-cssom-fonts');
  await page.evaluate(() => {
    docSheet.replaceSync('.adopted{background:#b71c1c;color:#fff;padding:24px;font-size:30px;border-radius:30px}');
    shSheet.insertRule('div{border:6px dashed #00e5ff}', 1);
    const extra = new CSSStyleSheet(); extra.replaceSync('body{background:#fffde7}');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, extra];
    const s = document.getElementById('dyn').sheet; s.deleteRule(0);
  });
  await sleep(300);
  await shot('adopted-changed');
  await page.setViewportSize({ width: 800, height: 800 });
  await sleep(500);
  await shot('resized-800');
}
