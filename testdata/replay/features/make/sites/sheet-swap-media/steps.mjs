export default async function (page, shot, sleep) {
  await sleep(800); await shot('initial');
  await page.evaluate(() => { document.getElementById('themelink').href = 'assets/css/dark.css'; document.getElementById('removeme').remove(); });
  await sleep(500); await shot('swapped-removed');
  await page.setViewportSize({ width: 800, height: 800 }); await sleep(600);
  await shot('narrow-800');
}
