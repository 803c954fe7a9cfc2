import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
async function run(name, html) {
  const page = await b.newPage({ viewport: { width: 1280, height: 720 } });
  await page.setContent(html);
  const cdp = await page.context().newCDPSession(page);
  await page.evaluate(() => { window.__f = []; window.__on = true; let last = performance.now(); const t = (x) => { window.__f.push(x - last); last = x; if (window.__on) requestAnimationFrame(t); }; requestAnimationFrame(t); });
  await cdp.send('Input.synthesizeScrollGesture', { x: 640, y: 250, yDistance: -30000, speed: 4000, gestureSourceType: 'mouse', preventFling: true });
  const f = await page.evaluate(() => { window.__on = false; return window.__f.slice(1); });
  const s = [...f].sort((a, b) => a - b);
  console.log(name, 'frames', f.length, 'p50', s[Math.floor(s.length / 2)].toFixed(1), 'p95', s[Math.floor(s.length * 0.95)].toFixed(1), 'scrollTop', await page.evaluate(() => document.getElementById('s').scrollTop));
  await page.close();
}
const row = (i, abs) => `<div style="${abs ? `position:absolute;top:0;left:0;width:100%;transform:translateY(${i * 36}px);` : ''}height:36px;display:grid;grid-template-columns:6rem 5rem 1fr 2fr 3fr 4rem 9rem;font:13px sans-serif;border-bottom:1px solid #333"><span>${i}</span><span>Warning</span><span>BackOff</span><span>Pod x-${i}</span><span>Back-off restarting failed container</span><span>3</span><span>kubelet</span></div>`;
const rows = (n, abs) => Array.from({ length: n }, (_, i) => row(i, abs)).join('');
await run('flow 5000', `<body style="background:#111;color:#eee"><div id=s style="height:500px;overflow:auto">${rows(5000)}</div></body>`);
await run('tall 3.6M, 1000 abs rows', `<body style="background:#111;color:#eee"><div id=s style="height:500px;overflow:auto;position:relative"><div style="height:3600000px;position:relative">${rows(1000, true)}</div></div></body>`);
await run('tall 3.6M empty', `<body style="background:#111;color:#eee"><div id=s style="height:500px;overflow:auto;position:relative"><div style="height:3600000px;position:relative"></div></div></body>`);
await run('tall 360k, 1000 abs rows', `<body style="background:#111;color:#eee"><div id=s style="height:500px;overflow:auto;position:relative"><div style="height:360000px;position:relative">${rows(1000, true)}</div></div></body>`);
await b.close();
