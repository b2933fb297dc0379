export default async function (page, shot, sleep) {
  await sleep(400);
  await shot('initial');
  await page.mouse.move(150, 200); await page.mouse.wheel(0, 900); await sleep(400);
  for (const [id, prop, v] of [['o1','scrollTop',180],['in1','scrollTop',300],['tw','scrollLeft',500]]) { await page.evaluate(([id,prop,v]) => { document.getElementById(id)[prop] = v; }, [id,prop,v]); await sleep(300); }
  await page.evaluate(() => { document.getElementById('sn').scrollTo({left: 610, behavior: 'instant'}); });
  await sleep(800);
  await shot('containers-scrolled');
  await page.mouse.move(1100, 600); await page.mouse.wheel(0, 1500); await sleep(1000);
  await shot('window-scrolled-sticky');
  await page.evaluate(() => window.scrollTo(0, 99999)); await sleep(600);
  await shot('window-bottom');
}
