/**
 * Dashboard frame rate with 10,000 live sensors in Chromium: Meetnet's map (one canvas,
 * markers restyled in place) against a plain Leaflet page with an SVG circle per sensor, on
 * the same data and the same live feed, while the mouse pans the map, in turns.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { findMunicipality, sensorKey } from '@meetnet/contracts';
import { launchChromium, signInOnPage } from '@meetnet/tests/dist/support/browser';
import { REPO_ROOT } from '@meetnet/tests/dist/support/paths';
import { TEST_PASSWORD, testUserName } from '@meetnet/tests/dist/support/test-users';
import { type BenchContext, type BenchSection, fmt, log } from './bench-context';
import { benchSensor } from './load/bench-fleet';
import { feedFleet } from './load/load-process';
import { blockTiles, type FrameStats, measureFrames } from './measure/page-probes';
import { median } from './measure/stats';
import { MeetnetSystem } from './systems/meetnet-system';

const SENSORS = 10_000;
const RATE = 2000;

function leuvenBounds(): [[number, number], [number, number]] {
  const coordinates = JSON.stringify(findMunicipality('Leuven')!.geometry);
  const numbers = [...coordinates.matchAll(/\[(-?[\d.]+),(-?[\d.]+)\]/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
  const lons = numbers.map((n) => n[0]!);
  const lats = numbers.map((n) => n[1]!);
  return [
    [Math.min(...lats), Math.min(...lons)],
    [Math.max(...lats), Math.max(...lons)],
  ];
}

async function svgPage(browser: Browser, baseUrl: string, cookie: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.context().addCookies([{ name: 'meetnet_session', value: cookie.split('=')[1]!, url: baseUrl }]);
  await blockTiles(page);
  const html = readFileSync(resolve(REPO_ROOT, 'bench/src/pages/svg-markers.html'), 'utf8').replace(
    'BOUNDS',
    JSON.stringify(leuvenBounds()),
  );
  const assets: Record<string, [string, string]> = {
    '/bench/svg-markers.html': ['text/html', html],
    '/bench/leaflet.js': [
      'text/javascript',
      readFileSync(require.resolve('leaflet/dist/leaflet.js'), 'utf8'),
    ],
    '/bench/leaflet.css': ['text/css', readFileSync(require.resolve('leaflet/dist/leaflet.css'), 'utf8')],
    '/bench/socket.io.min.js': [
      'text/javascript',
      readFileSync(resolve(REPO_ROOT, 'node_modules/socket.io-client/dist/socket.io.min.js'), 'utf8'),
    ],
  };
  await page.route(`${baseUrl}/bench/**`, (route) => {
    const [contentType, body] = assets[new URL(route.request().url()).pathname] ?? ['text/plain', ''];
    return route.fulfill({ status: body ? 200 : 404, contentType, body });
  });
  await page.goto(`${baseUrl}/bench/svg-markers.html`);
  await page.waitForFunction(
    (n) => (window as unknown as { benchMarkers?: number }).benchMarkers === n,
    SENSORS,
    { timeout: 120_000 },
  );
  return page;
}

async function meetnetPage(browser: Browser, baseUrl: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await blockTiles(page);
  await signInOnPage(page, baseUrl, testUserName('officer'), TEST_PASSWORD);
  const last = sensorKey(benchSensor(SENSORS - 1));
  await page.waitForFunction(
    (key) =>
      (window as unknown as { meetnetMap?: { markerShown: (k: string) => boolean } }).meetnetMap?.markerShown(
        key,
      ),
    last,
    { timeout: 120_000 },
  );
  return page;
}

export async function mapBench(context: BenchContext): Promise<BenchSection> {
  const seconds = context.quick ? 10 : 20;
  const rounds = context.quick ? 2 : 3;
  const meetnet = new MeetnetSystem(context.brokerUrl, context.influxUrl, 'meetnet_map');
  await meetnet.start();
  const service = meetnet.service!;
  const browser = await launchChromium();
  const load = { pid: undefined as number | undefined };
  try {
    log(`placing ${fmt(SENSORS)} sensors`);
    load.pid = (await feedFleet(context.brokerUrl, SENSORS, RATE)).pid;
    const pages = {
      meetnet: await meetnetPage(browser, service.url),
      svg: await svgPage(browser, service.url, await service.signIn('officer')),
    };
    const runs: Record<keyof typeof pages, FrameStats[]> = { meetnet: [], svg: [] };
    for (let round = 0; round < rounds; round++) {
      for (const name of ['meetnet', 'svg'] as const) {
        await pages[name].bringToFront();
        runs[name].push(await measureFrames(pages[name], seconds));
        log(`${name}: ${runs[name].at(-1)!.fps} fps`);
      }
    }
    const fps = { meetnet: median(runs.meetnet.map((r) => r.fps)), svg: median(runs.svg.map((r) => r.fps)) };
    const ratio = fps.meetnet / fps.svg;
    const json = {
      sensors: SENSORS,
      rate: RATE,
      seconds,
      rounds,
      runs,
      medianFps: fps,
      ratio: Number(ratio.toFixed(2)),
    };
    const markdown = [
      `${fmt(SENSORS)} sensors over Leuven, all on screen, reporting ${fmt(RATE)} msg/s in total (each every ${SENSORS / RATE} s) through the live feed; headless Chromium, 1600×900, software rendering; the mouse pans the map back and forth for the whole measurement. Each page measured ${rounds} times for ${seconds} s in turns; frames counted with requestAnimationFrame; median of the rounds.`,
      '',
      '| page | fps (median) | frames > 50 ms (per run) | worst frame (ms) |',
      '| --- | ---: | ---: | ---: |',
      `| Meetnet live map (canvas renderer, markers restyled in place) | ${fmt(fps.meetnet, 1)} | ${runs.meetnet.map((r) => r.longFrames).join(', ')} | ${Math.max(...runs.meetnet.map((r) => r.worstFrameMs))} |`,
      `| Plain Leaflet, an SVG circle marker per sensor | ${fmt(fps.svg, 1)} | ${runs.svg.map((r) => r.longFrames).join(', ')} | ${Math.max(...runs.svg.map((r) => r.worstFrameMs))} |`,
      `| **ratio** | **${fmt(ratio, 2)}×** | | |`,
    ].join('\n');
    return {
      key: 'map',
      json,
      markdown,
      targets: [
        {
          target: `${fmt(SENSORS)} live sensors ≥ 30 fps in Chromium`,
          measured: `${fmt(fps.meetnet, 1)} fps`,
          met: fps.meetnet >= 30,
        },
        {
          target: '≥ 3× the frame rate of the SVG-marker page',
          measured: `${fmt(ratio, 2)}×`,
          met: ratio >= 3,
        },
      ],
    };
  } finally {
    if (load.pid) process.kill(load.pid, 'SIGTERM');
    await browser.close();
    await meetnet.stop();
  }
}
