// A looping hero video plays throughout; a clip is played by a click and
// paused 1.7 s later; another is seeked without playing. The mouse rests
// in the page's empty corner at each shot.
export default async function (page, shot, sleep) {
  const park = () => page.mouse.move(1270, 790);
  await sleep(1200);
  await park();
  await shot('hero-playing');
  await page.click('#play');
  await park();
  await sleep(600);
  await shot('clip-playing');
  await sleep(700);
  await page.click('#pause');
  await page.click('#jump');
  await park();
  await shot('paused-and-seeked');
  await sleep(2500);
  await shot('hero-looped');
}
