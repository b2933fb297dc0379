// The window scrolled by the wheel (a progress bar, cards revealed as
// they enter), then a side panel scrolled (a badge turned by the panel's
// own scroll timeline). The mouse rests in the page's empty corner.
export default async function (page, shot, sleep) {
  await sleep(400);
  await page.mouse.move(600, 400);
  await shot('top');
  await page.mouse.wheel(0, 700);
  await sleep(400);
  await page.mouse.move(1270, 790);
  await shot('scrolled-700');
  await page.mouse.move(1150, 250);
  await page.mouse.wheel(0, 200);
  await sleep(400);
  await page.mouse.move(1270, 790);
  await shot('panel-scrolled');
  await page.mouse.wheel(0, 900);
  await sleep(400);
  await shot('scrolled-1600');
}
