// Each shot with the mouse resting over something with a :hover style;
// between shots it goes back to the page's empty corner. The mouse moves
// as a hand does, with a last small move after it stopped: the recorder
// samples positions every 50 ms and drops the last one of a burst.
export default async function (page, shot, sleep) {
  const glide = async (x, y) => {
    await page.mouse.move(x, y, { steps: 6 });
    await sleep(80);
    await page.mouse.move(x + 1, y);
  };
  const park = async () => { await glide(1270, 790); await sleep(300); };
  const over = async (sel, frame) => {
    const el = frame ? await (await page.$('#fr')).contentFrame().then((f) => f.$(sel)) : await page.$(sel);
    const b = await el.boundingBox();
    await glide(b.x + b.width / 2, b.y + b.height / 2);
  };
  await sleep(400);
  await shot('parked');
  await over('#products'); await sleep(200); await over('#lenses');
  await shot('menu-open');
  await park(); await over('#row2');
  await shot('row-hovered');
  await park(); await over('#star3'); await sleep(100);
  await over('#card');
  await shot('card-overlay');
  await park(); await over('#second', true);
  await shot('frame-link');
  await park(); await over('#star3');
  await shot('stars');
  await over('#save'); await page.mouse.down(); await page.mouse.up();
  await shot('button-clicked');
}
