export default async function (page, shot, sleep) {
  await sleep(600); await shot('initial');
  await page.evaluate(() => { document.getElementById('swap').srcset = 'img/alt400.png 400w, img/alt800.png 800w'; document.getElementById('bgbox').style.backgroundImage = 'url(img/bg2.png)'; });
  await sleep(600); await shot('srcset-bg-mutated');
  await page.mouse.move(600,400); await page.mouse.wheel(0, 1500); await sleep(1000); await shot('lazy-scrolled');
  await page.setViewportSize({ width: 800, height: 800 }); await page.evaluate(()=>scrollTo(0,0)); await sleep(1000); await shot('resized-800');
}
