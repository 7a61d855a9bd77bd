/**
 * Dashboard frame rate with 100,000 live sensors in Chromium: Meetnet's map as it is (past
 * 1,000 sensors: clusters below zoom 15, only the view drawn, the live feed by view) against the
 * same map drawing every sensor (the test build's `?largeFleet=` above the fleet's size: the
 * map before clustering), on the same data and live feed, while the mouse pans and zooms, in turns.
 */
import type { Browser, Page } from 'playwright-core';
import { sensorKey } from '@meetnet/contracts';
import { launchChromium, signInOnPage } from '@meetnet/tests/dist/support/browser';
import { TEST_PASSWORD, testUserName } from '@meetnet/tests/dist/support/test-users';
import { type BenchContext, type BenchSection, fmt, log } from './bench-context';
import { benchSensor } from './load/bench-fleet';
import { feedFleet } from './load/load-process';
import { blockTiles, type FrameStats, measureFrames } from './measure/page-probes';
import { median } from './measure/stats';
import { MeetnetSystem } from './systems/meetnet-system';

const SENSORS = 100_000;
const RATE = 2000;

interface MapHooks {
  clusterCount(): number;
  markerShown(key: string): boolean;
}

async function mapPage(
  browser: Browser,
  baseUrl: string,
  clustered: boolean,
): Promise<{ page: Page; readyS: number }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await blockTiles(page);
  await signInOnPage(page, baseUrl, testUserName('officer'), TEST_PASSWORD);
  const started = Date.now();
  await page.goto(`${baseUrl}/${clustered ? '' : `?largeFleet=${SENSORS * 10}`}#/`);
  if (clustered) {
    await page.waitForFunction(
      () => ((window as unknown as { meetnetMap?: MapHooks }).meetnetMap?.clusterCount() ?? 0) > 0,
      undefined,
      { timeout: 300_000 },
    );
  } else {
    await page.waitForFunction(
      (key) => (window as unknown as { meetnetMap?: MapHooks }).meetnetMap?.markerShown(key),
      sensorKey(benchSensor(SENSORS - 1)),
      { timeout: 300_000 },
    );
  }
  return { page, readyS: (Date.now() - started) / 1000 };
}

export async function largeMapBench(context: BenchContext): Promise<BenchSection> {
  const seconds = context.quick ? 10 : 20;
  const rounds = context.quick ? 2 : 3;
  const meetnet = new MeetnetSystem(context.brokerUrl, context.influxUrl, 'meetnet_large_map');
  await meetnet.start();
  const service = meetnet.service!;
  const browser = await launchChromium();
  const load = { pid: undefined as number | undefined };
  try {
    log(`placing ${fmt(SENSORS)} sensors`);
    load.pid = (await feedFleet(context.brokerUrl, SENSORS, RATE)).pid;
    const clustered = await mapPage(browser, service.url, true);
    log(`clustered map ready in ${clustered.readyS.toFixed(1)} s`);
    const unclustered = await mapPage(browser, service.url, false);
    log(`unclustered map ready in ${unclustered.readyS.toFixed(1)} s`);
    const pages = { clustered: clustered.page, unclustered: unclustered.page };
    const runs: Record<keyof typeof pages, FrameStats[]> = { clustered: [], unclustered: [] };
    for (let round = 0; round < rounds; round++) {
      for (const name of ['clustered', 'unclustered'] as const) {
        await pages[name].bringToFront();
        runs[name].push(await measureFrames(pages[name], seconds));
        log(`${name}: ${runs[name].at(-1)!.fps} fps`);
      }
    }
    const fps = {
      clustered: median(runs.clustered.map((r) => r.fps)),
      unclustered: median(runs.unclustered.map((r) => r.fps)),
    };
    const ratio = fps.clustered / fps.unclustered;
    const json = {
      sensors: SENSORS,
      rate: RATE,
      seconds,
      rounds,
      runs,
      medianFps: fps,
      ratio: Number(ratio.toFixed(2)),
      readyS: { clustered: clustered.readyS, unclustered: unclustered.readyS },
    };
    const markdown = [
      `${fmt(SENSORS)} sensors over one city, reporting ${fmt(RATE)} msg/s in total through the live feed; headless Chromium, 1600×900, software rendering; the mouse drags and wheel-zooms the map for the whole measurement. Each page ${rounds} times for ${seconds} s in turns; median of the rounds.`,
      '',
      '| page | fps (median) | frames > 50 ms (per run) | worst frame (ms) | first view ready (s) |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| Meetnet live map: clusters below zoom 15 (supercluster, worst band), only the view drawn, live feed by view | ${fmt(fps.clustered, 1)} | ${runs.clustered.map((r) => r.longFrames).join(', ')} | ${Math.max(...runs.clustered.map((r) => r.worstFrameMs))} | ${clustered.readyS.toFixed(1)} |`,
      `| The same map drawing every sensor (the map before clustering) | ${fmt(fps.unclustered, 1)} | ${runs.unclustered.map((r) => r.longFrames).join(', ')} | ${Math.max(...runs.unclustered.map((r) => r.worstFrameMs))} | ${unclustered.readyS.toFixed(1)} |`,
      `| **ratio** | **${fmt(ratio, 2)}×** | | | |`,
    ].join('\n');
    return {
      key: 'largemap',
      json,
      markdown,
      targets: [
        {
          target: `${fmt(SENSORS)} live sensors ≥ 30 fps while panning and zooming`,
          measured: `${fmt(fps.clustered, 1)} fps`,
          met: fps.clustered >= 30,
        },
      ],
    };
  } finally {
    if (load.pid) process.kill(load.pid, 'SIGTERM');
    await browser.close();
    await meetnet.stop();
  }
}
