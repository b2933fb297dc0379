// Two shots: the grid at 1280 wide, then after the window got narrower
// (a container of 1014 px in both: its columns end on half pixels).
export default async function (page, shot, sleep) {
  await page.mouse.move(1270, 790);
  await sleep(300);
  await shot('initial');
  await page.setViewportSize({ width: 1100, height: 800 });
  await sleep(300);
  await page.mouse.move(1090, 790);
  await shot('resized-1100');
}
