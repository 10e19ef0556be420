// Times the real app through WebDriver: launch → merchant shown, → planner grid shown, and the
// grid's frame times while it scrolls through every row. Usage:
//   node bench/app-open.mjs <webdriver-url> <app-binary> <merchant.db> <runs>
import { Driver } from '../tests/e2e/webdriver.mjs';

const [url, binary, db, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

// Scroll the grid's viewport from top to bottom in steps of one screen per animation frame
// (much faster than a planner flicks), recording each frame's duration.
const SCROLL = `
const done = arguments[arguments.length - 1];
const vp = document.querySelector('.viewport[role="grid"]');
if (!vp) { done({ error: 'no grid viewport' }); return; }
const frames = [];
let last = performance.now();
const step = vp.clientHeight;
function tick(now) {
  frames.push(now - last);
  last = now;
  if (vp.scrollTop + vp.clientHeight >= vp.scrollHeight - 1 || frames.length > 2000) {
    done({ frames: frames.slice(1), rows: document.querySelectorAll('[data-row-key]').length,
           height: vp.scrollHeight });
    return;
  }
  vp.scrollTop += step;
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);`;

// Frame times of the same page standing still: the floor this display and web view give.
const IDLE = `
const done = arguments[arguments.length - 1];
const frames = [];
let last = performance.now();
function tick(now) {
  frames.push(now - last);
  last = now;
  if (frames.length > 40) { done({ frames: frames.slice(1) }); return; }
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);`;

const d = new Driver(url);
await d.waitReady();
const open = [];
const grid = [];
const p50 = [];
const p95 = [];
let total = '';
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  await d.start(binary, ['--db', db]);
  try {
    // Scrolling 20,000 rows takes longer than the default 30 s script timeout.
    await d.request('POST', d.s('/timeouts'), { script: 600000 });
    await d.waitFor('[data-testid="sku-count"]', { text: 'SKUs', timeoutMs: 120000 });
    const t1 = performance.now();
    await d.click(await d.find('nav button[data-screen="planner"]'));
    const count = await d.waitFor('[data-testid="planner-count"]', { text: ' of ', timeoutMs: 120000 });
    await d.waitFor('[role="grid"] [data-row-key]', { timeoutMs: 120000 });
    const t2 = performance.now();
    total = await d.text(count);
    const idle = await d.execAsync(IDLE);
    const s = await d.execAsync(SCROLL);
    if (s.error) throw new Error(s.error);
    open.push(t1 - t0);
    grid.push(t2 - t1);
    p50.push(median(s.frames));
    p95.push(pct(s.frames, 0.95));
    console.log(
      `run ${i + 1}: merchant shown ${(t1 - t0).toFixed(0)} ms after launch; planner grid ` +
        `(${total}) ${(t2 - t1).toFixed(0)} ms after the click; scroll to the end: ` +
        `${s.frames.length} frames, median ${median(s.frames).toFixed(1)} ms, p95 ` +
        `${pct(s.frames, 0.95).toFixed(1)} ms, max ${Math.max(...s.frames).toFixed(1)} ms, ` +
        `${s.rows} rows in the DOM (idle page: median frame ${median(idle.frames).toFixed(1)} ms)`,
    );
  } finally {
    await d.quit();
  }
}
console.log(
  `median of ${runs}: open ${median(open).toFixed(0)} ms, planner grid ${median(grid).toFixed(0)} ms, ` +
    `scroll frame median ${median(p50).toFixed(1)} ms / p95 ${median(p95).toFixed(1)} ms (${total})`,
);
