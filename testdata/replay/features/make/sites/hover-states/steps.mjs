// Each shot with the mouse resting over something with a :hover style;
// between shots it goes back to the page's empty corner.
import { hand } from '../../hand.mjs';

export default async function (page, shot, sleep) {
  const { park, over } = hand(page, sleep);
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
