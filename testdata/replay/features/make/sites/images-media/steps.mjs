export default async function (page, shot, sleep) {
  await sleep(500);
  await shot('initial');
  await page.evaluate(() => { document.getElementById('swap').src = 'img/b.png'; document.getElementById('bg').classList.add('alt'); document.getElementById('late').src = 'img/c.jpg';
    const s = document.getElementById('inl'); s.querySelector('#r1').setAttribute('fill', '#3949ab'); s.querySelector('#r1').setAttribute('width', '160'); s.querySelector('#c1').setAttribute('r', '60'); s.querySelector('#t1').textContent = 'mutated svg';
    const p = document.createElementNS('http://www.w3.org/2000/svg', 'polygon'); p.setAttribute('points', '250,10 290,140 210,140'); p.setAttribute('fill', '#fdd835'); s.appendChild(p);
    const u = document.querySelector('use'); u.setAttribute('href', 'img/sprite.svg#heart'); });
  await sleep(800);
  await shot('swapped');
  await page.setViewportSize({ width: 800, height: 800 });
  await sleep(800);
  await shot('resized-800');
}
