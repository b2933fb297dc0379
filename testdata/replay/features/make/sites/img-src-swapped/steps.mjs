export default async (page, shot, sleep) => { await sleep(300); await page.evaluate(() => { document.getElementById('i').src = 'b.png'; }); await sleep(300); await shot('swapped'); }
