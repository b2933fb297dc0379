// The page as loaded (three components defined while it parsed, a chart
// placeholder), then the chart's element defined by a click.
export default async function (page, shot, sleep) {
  await sleep(400);
  await page.mouse.move(1270, 790);
  await shot('loaded');
  await page.click('#load');
  await page.mouse.move(1270, 790, { steps: 4 });
  await sleep(100);
  await page.mouse.move(1271, 790);
  await shot('chart-defined');
}
