export default async (page, shot, sleep) => { await sleep(300); await page.frame({ url: /long.html/ }).evaluate(() => window.scrollTo(0, 900)); await sleep(300); await shot('scrolled'); }
