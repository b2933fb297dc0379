// Each shot with the mouse over something shown only because the mouse
// went over a sibling first (a button, a help icon, a tab), as a hand
// goes; between shots it goes back to the page's empty corner.
import { hand } from '../../hand.mjs';

export default async function (page, shot, sleep) {
  const { park, over } = hand(page, sleep);
  await sleep(400);
  await shot('parked');
  await over('#products'); await sleep(200); await over('#lenses');
  await shot('dropdown-item');
  await park(); await over('#help'); await sleep(200); await over('#more');
  await shot('help-card-link');
  await park(); await over('#tab1'); await sleep(200); await over('#tile2');
  await shot('tab-panel-tile');
  await park(); await over('#support'); await sleep(200); await over('#returns');
  await shot('second-dropdown');
}
