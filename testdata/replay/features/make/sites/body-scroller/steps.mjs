export default async function (page, shot, sleep) {
  await sleep(300); await shot('top');
  await page.mouse.move(600, 400); await page.mouse.wheel(0, 1500); await sleep(500);
  await shot('wheel1500');
  await page.evaluate(() => document.body.scrollTop = 3200); await sleep(300);
  await shot('js3200');
}
