export default async function (page, shot, sleep) {
  await sleep(500);
  await shot('initial');
  await page.click('#add'); await sleep(200); await page.click('#add');
  await page.click('user-card'); // toggles first card
  const f = page.frame({ url: /frame.html/ });
  await f.evaluate(() => { document.getElementById('t').textContent = 'Frame changed!'; for (let i = 0; i < 4; i++) { const li = document.createElement('li'); li.textContent = 'item ' + i; document.getElementById('l').appendChild(li); } document.getElementById('box').classList.add('big'); });
  await sleep(300);
  await shot('cards-added-frame-changed');
  // iframe navigates to new doc via srcdoc-less: replace body and add a style
  await f.evaluate(() => { const s = document.createElement('style'); s.textContent = 'body{background:#fff3e0} h2{color:#bf360c;font-size:40px}'; document.head.appendChild(s); });
  await page.evaluate(() => { const fr = document.createElement('iframe'); fr.id='f2'; fr.src = 'frame.html'; fr.style.cssText='width:300px;height:150px'; document.body.appendChild(fr); });
  await sleep(1000);
  await shot('frame-restyled-second-iframe');
}
