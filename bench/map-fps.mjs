// Frame rate of the live map in Debian's Chromium while the fleet reports.
// Usage: with the stack running (SIM_SENSORS=5000 npm start), `node bench/map-fps.mjs [url] [seconds]`.
// A measurement for the record, not a test: it prints frames per second and long frames.
// The same Chromium launch as the browser tests (built by `npm run build`).
import { devAccount, launchChromium, signInOnPage } from '../tests/dist/support/browser.js';

const url = process.argv[2] ?? 'http://127.0.0.1:8080/';
const seconds = Number(process.argv[3] ?? 10);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
const officer = devAccount('officer');
await signInOnPage(page, url, officer.name, officer.password);
await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
await page.waitForTimeout(2000);
const result = await page.evaluate(async (ms) => {
  const frames = [];
  const start = performance.now();
  await new Promise((resolve) => {
    const step = (t) => {
      frames.push(t);
      if (t - start < ms) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  const markers = document.querySelectorAll('.leaflet-interactive').length;
  return {
    fps: (frames.length - 1) / ((frames.at(-1) - frames[0]) / 1000),
    longFrames: gaps.filter((g) => g > 50).length,
    worstFrameMs: Math.max(...gaps),
    domMarkers: markers,
  };
}, seconds * 1000);
const sensors = await page.evaluate(() =>
  fetch('/api/v1/sensors')
    .then((r) => r.json())
    .then((c) => c.features.length),
);
console.log(
  JSON.stringify({
    url,
    seconds,
    sensors,
    ...result,
    fps: Math.round(result.fps * 10) / 10,
    worstFrameMs: Math.round(result.worstFrameMs),
  }),
);
await browser.close();
