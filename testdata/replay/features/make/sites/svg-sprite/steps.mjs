export default async (page, shot, sleep) => { await sleep(300); await shot('initial'); }
