// The mouse of the hover cases' steps, moving as a hand does: a glide in
// a few steps, then a last small move after it stopped (the recorder
// samples positions every 50 ms and drops the last one of a burst).
export function hand(page, sleep) {
  const glide = async (x, y) => {
    await page.mouse.move(x, y, { steps: 6 });
    await sleep(80);
    await page.mouse.move(x + 1, y);
  };
  // park goes back to the page's empty corner.
  const park = async () => { await glide(1270, 790); await sleep(300); };
  // over glides to the middle of sel (in the frame #fr when frame is set).
  const over = async (sel, frame) => {
    const el = frame ? await (await page.$('#fr')).contentFrame().then((f) => f.$(sel)) : await page.$(sel);
    const b = await el.boundingBox();
    await glide(b.x + b.width / 2, b.y + b.height / 2);
  };
  return { glide, park, over };
}
