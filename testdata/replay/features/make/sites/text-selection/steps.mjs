// Text selected by the mouse as a user does to point at something: a
// drag within a line, a triple click on a paragraph, a drag across
// elements into a paragraph with its own ::selection colours; then a
// click that clears it.
export default async function (page, shot, sleep) {
  const box = async (sel) => (await page.$(sel)).boundingBox();
  const drag = async (x0, y0, x1, y1) => {
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(x1, y1, { steps: 8 });
    await page.mouse.up();
  };
  await sleep(400);
  await shot('none');
  let b = await box('#p1');
  await drag(b.x + 60, b.y + 14, b.x + 420, b.y + 14);
  await shot('drag-in-line');
  b = await box('#p2');
  await page.mouse.click(b.x + 100, b.y + 14, { clickCount: 3 });
  await shot('triple-click');
  const a = await box('#p2'), c = await box('#p3');
  await page.mouse.click(b.x + 700, b.y + 400);
  await sleep(200);
  await drag(a.x + 300, a.y + 40, c.x + 250, c.y + 20);
  await shot('across-elements');
  await page.mouse.click(b.x + 700, b.y + 400);
  await shot('cleared');
}
