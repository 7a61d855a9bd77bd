/**
 * The public map's first load on a phone: what it transfers and when it becomes usable, on a
 * throttled mobile profile (Lighthouse's "Slow 4G" and a 4× slower CPU), against the signed-in
 * map's first load in the same run with the same 300 sensors.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { sensorKey } from '@meetnet/contracts';
import { launchChromium } from '@meetnet/tests/dist/support/browser';
import { type BenchContext, type BenchSection, fmt, log } from './bench-context';
import { benchSensor } from './load/bench-fleet';
import { placeSensors, startLoad } from './load/load-process';
import { blockTiles } from './measure/page-probes';
import { MeetnetSystem } from './systems/meetnet-system';

const SENSORS = 300;
/** Lighthouse's mobile throttling: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower. */
const NETWORK = { offline: false, latency: 150, downloadThroughput: 204_800, uploadThroughput: 96_000 };
const CPU_SLOWDOWN = 4;
/** Lighthouse's time to interactive: the page is quiet (no long task) for this long. */
const QUIET_MS = 5000;
const PHONE = { width: 412, height: 823 };

interface FirstLoad {
  page: string;
  requests: number;
  transferredKb: number;
  /** The largest single response, such as the outline or the sensors. */
  largest: { url: string; kb: number };
  markersMs: number;
  interactiveMs: number;
}

interface PublicMapResult {
  sensors: number;
  public: FirstLoad;
  staff: FirstLoad;
  bytesRatio: number;
  interactiveRatio: number;
}

/** Long tasks as the page sees them, recorded from before its first script. */
async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const ends: number[] = [];
    (window as unknown as { benchLongTaskEnds: number[] }).benchLongTaskEnds = ends;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) ends.push(entry.startTime + entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

async function throttled(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return cdp;
}

async function firstLoad(
  browser: Browser,
  url: string,
  name: string,
  cookie: string | undefined,
): Promise<FirstLoad> {
  // A new context each time: a cold cache, as a resident's first visit.
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true });
  if (cookie) {
    const [pair] = cookie.split(';');
    const [cookieName, value] = pair!.split('=') as [string, string];
    await context.addCookies([{ name: cookieName, value, url }]);
  }
  const page = await context.newPage();
  await blockTiles(page);
  await recordLongTasks(page);
  const cdp = await throttled(page);
  const sizes = new Map<string, number>();
  const urls = new Map<string, string>();
  cdp.on('Network.responseReceived', (event: { requestId: string; response: { url: string } }) =>
    urls.set(event.requestId, event.response.url),
  );
  cdp.on('Network.loadingFinished', (event: { requestId: string; encodedDataLength: number }) =>
    sizes.set(event.requestId, event.encodedDataLength),
  );
  await page.goto(url);
  await page.waitForFunction(
    (key) =>
      (window as unknown as { meetnetMap?: { markerShown(k: string): boolean } }).meetnetMap?.markerShown(
        key,
      ) === true,
    sensorKey(benchSensor(SENSORS - 1)),
    { timeout: 120_000, polling: 100 },
  );
  const markersMs = await page.evaluate(() => performance.now());
  // Quiet for QUIET_MS with no long task: interactive at the end of the last one (or at the markers).
  for (;;) {
    const lastEnd = await page.evaluate(() =>
      Math.max(0, ...(window as unknown as { benchLongTaskEnds: number[] }).benchLongTaskEnds),
    );
    const now = await page.evaluate(() => performance.now());
    if (now - Math.max(lastEnd, markersMs) >= QUIET_MS || now > 120_000) {
      const interactiveMs = Math.max(lastEnd, markersMs);
      let largest = { url: '', kb: 0 };
      for (const [id, bytes] of sizes) {
        if (bytes / 1024 > largest.kb)
          largest = { url: new URL(urls.get(id) ?? url).pathname, kb: bytes / 1024 };
      }
      const total = [...sizes.values()].reduce((a, b) => a + b, 0);
      await context.close();
      return {
        page: name,
        requests: sizes.size,
        transferredKb: total / 1024,
        largest,
        markersMs,
        interactiveMs,
      };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function publicMapBench(context: BenchContext): Promise<BenchSection<PublicMapResult>> {
  const meetnet = new MeetnetSystem(context.brokerUrl, context.influxUrl, 'meetnet_public_map');
  await meetnet.start();
  const service = meetnet.service!;
  const browser = await launchChromium();
  try {
    await placeSensors(context.brokerUrl, SENSORS);
    // A reading for every sensor, so both maps colour their markers.
    await startLoad({
      brokerUrl: context.brokerUrl,
      rate: SENSORS,
      seconds: 3,
      qos: 1,
      sensors: SENSORS,
      connections: 10,
    }).done;
    log(`first loads on a throttled phone profile, ${SENSORS} sensors`);
    const publicLoad = await firstLoad(
      browser,
      `${service.url}/#/publiek`,
      'public map (`#/publiek`)',
      undefined,
    );
    const staffLoad = await firstLoad(
      browser,
      `${service.url}/#/`,
      'signed-in map (`#/`), reference',
      await service.signIn('officer'),
    );
    const result: PublicMapResult = {
      sensors: SENSORS,
      public: publicLoad,
      staff: staffLoad,
      bytesRatio: publicLoad.transferredKb / staffLoad.transferredKb,
      interactiveRatio: publicLoad.interactiveMs / staffLoad.interactiveMs,
    };
    return { key: 'public', json: result, markdown: render(result), targets: [] };
  } finally {
    await browser.close();
    await meetnet.stop();
  }
}

function render(r: PublicMapResult): string {
  const row = (l: FirstLoad) =>
    `| ${l.page} | ${l.requests} | ${fmt(l.transferredKb)} | ${l.largest.url} (${fmt(l.largest.kb)}) | ${fmt(l.markersMs / 1000, 1)} | ${fmt(l.interactiveMs / 1000, 1)} |`;
  return [
    `First load with a cold cache, ${r.sensors} sensors, a 412 × 823 phone screen throttled as Lighthouse's mobile profile (150 ms RTT, 1.6 Mbit/s down, CPU 4× slower); map tiles blocked for both. Time to interactive as Lighthouse defines it: the end of the last long task before ${QUIET_MS / 1000} s without one.`,
    '',
    '| page | requests | transferred (kB) | largest response (kB) | markers drawn (s) | interactive (s) |',
    '| --- | --- | --- | --- | --- | --- |',
    row(r.public),
    row(r.staff),
    '',
    `The public map transfers **${fmt(r.bytesRatio, 2)}×** the bytes of the signed-in map and is interactive after **${fmt(r.interactiveRatio, 2)}×** its time. Both load only the outline of the city shown (\`/api/v1/public/outlines/{city}\`), not the 666 kB of all Flemish municipalities.`,
  ].join('\n');
}
