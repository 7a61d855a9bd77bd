// The README picture: `npm run build:test --workspace dashboard`, then
// `SIM_SENSORS=5000 DASHBOARD_DIR=dashboard/dist-test npm start` (the test build has the map's
// hooks this script clicks with), then `node scripts/screenshot.mjs [url]`.
// The same Chromium launch as the browser tests (built by `npm run build`).
import { devAccount, launchChromium, signInOnPage } from '../tests/dist/support/browser.js';
const b = await launchChromium();
const p = await b.newPage({ viewport: { width: 1400, height: 850 } });
const officer = devAccount('officer');
await signInOnPage(p, process.argv[2] ?? 'http://127.0.0.1:8080/', officer.name, officer.password);
await p.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 30000 });
await p.waitForTimeout(1500);
const box = await p.locator('.map-canvas').boundingBox();
const pt = await p.evaluate(() => window.meetnetMap.markerPoint('leuven/air/air-0007'));
await p.mouse.click(box.x + pt.x, box.y + pt.y);
await p
  .getByTestId('sensor-chart')
  .waitFor({ timeout: 15000 })
  .catch(() => {});
await p.screenshot({ path: new URL('../docs/dashboard.png', import.meta.url).pathname });
await b.close();
