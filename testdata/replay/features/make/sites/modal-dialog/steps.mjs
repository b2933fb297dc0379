export default async (page, shot, sleep) => { await sleep(300); await page.evaluate(() => document.getElementById('d').showModal()); await shot('open'); }
