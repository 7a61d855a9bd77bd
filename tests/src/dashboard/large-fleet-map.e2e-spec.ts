import { AIR_SCALES, bandColour, buildTopic } from '@meetnet/contracts';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations } from '../support/axe';
import { launchChromium, signInOnPage } from '../support/browser';
import { TEST_PASSWORD, testUserName } from '../support/test-users';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

/** Past the dashboard's LARGE_FLEET: a grid over Leuven, one sensor far worse than the rest. */
const LARGE_FLEET = 1000;
const GRID = 40;
const SENSORS = GRID * GRID;
const BAD = 'grid-0-0';

interface MapHooks {
  clusterCount(): number;
  liveSensors(): number;
  markerShown(key: string): boolean;
}

describe('a large fleet on the map in Chromium', () => {
  let stack: TestStack;
  let device: MqttClient;
  let browser: Browser;
  let page: Page;
  const hook = <K extends keyof MapHooks>(name: K, ...args: Parameters<MapHooks[K]>) =>
    page.evaluate(
      ([name, args]) =>
        (window as unknown as { meetnetMap: Record<string, (...a: unknown[]) => unknown> }).meetnetMap[name]!(
          ...args,
        ),
      [name, args] as const,
    ) as Promise<ReturnType<MapHooks[K]>>;

  beforeAll(async () => {
    stack = await startTestStack();
    device = await connectAsync(stack.broker.url, { protocolVersion: 5 });
    const publishes: Array<Promise<unknown>> = [];
    for (let row = 0; row < GRID; row++) {
      for (let column = 0; column < GRID; column++) {
        const address = { city: 'leuven', domain: 'air', sensorId: `grid-${row}-${column}` } as const;
        const meta = {
          name: `Rooster ${row}-${column}`,
          lat: 50.84 + row * 0.002,
          lon: 4.62 + column * 0.004,
          model: 'test',
          intervalS: 60,
        };
        const no2 = address.sensorId === BAD ? 250 : 8;
        publishes.push(
          device.publishAsync(buildTopic(address, 'meta'), JSON.stringify(meta), { qos: 1, retain: true }),
          device.publishAsync(buildTopic(address, 'obs'), JSON.stringify({ ts: Date.now(), no2 }), {
            qos: 1,
          }),
        );
      }
    }
    await Promise.all(publishes);
    await waitFor(
      'every sensor in the registry',
      async () => {
        const body = (await (await stack.service.fetchAs('officer', '/api/v1/sensors')).json()) as {
          features: unknown[];
        };
        return body.features.length === SENSORS || undefined;
      },
      60_000,
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signInOnPage(page, stack.service.url, testUserName('officer'), TEST_PASSWORD);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await device?.endAsync();
    await stack?.stop();
  });

  it('draws clusters rather than 1,600 markers when zoomed out, each with its worst band', async () => {
    const clusters = await waitFor(
      'clusters on the map',
      async () => (await hook('clusterCount')) || undefined,
      20_000,
    );
    expect(clusters).toBeGreaterThan(1);
    expect(clusters).toBeLessThan(SENSORS / 4);
    expect(await hook('markerShown', 'leuven/air/grid-20-20')).toBe(false);
    // The one bad sensor's cluster wears its band; every other cluster the good one.
    const borders = await page
      .locator('.sensor-cluster')
      .evaluateAll((spans) => spans.map((span) => getComputedStyle(span).borderTopColor));
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    expect(borders.filter((colour) => colour === rgb(bandColour(AIR_SCALES.no2, 250)))).toHaveLength(1);
    expect(borders.filter((colour) => colour === rgb(bandColour(AIR_SCALES.no2, 8)))).toHaveLength(
      borders.length - 1,
    );
    const labels = await page
      .locator('.sensor-cluster-icon')
      .evaluateAll((icons) => icons.map((icon) => icon.getAttribute('aria-label')));
    expect(
      labels.every((label) =>
        /^\d+ sensoren luchtkwaliteit, slechtste klasse: .+\. Enter om in te zoomen\.$/.test(label ?? ''),
      ),
    ).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('opens a cluster from the keyboard, and the live feed then sends only the sensors around the view', async () => {
    const first = await hook('liveSensors');
    expect(first).toBeGreaterThan(LARGE_FLEET);
    // Enter on a cluster zooms to where it splits; a few of them bring the view down to part
    // of the grid.
    let sent = first;
    for (let step = 0; step < 6 && sent === first; step++) {
      const before = await hook('clusterCount');
      const cluster = page.locator('.sensor-cluster-icon').first();
      if ((await cluster.count()) === 0) break;
      await cluster.focus();
      await page.keyboard.press('Enter');
      await waitFor(
        'the map to zoom into the cluster',
        async () => (await hook('clusterCount')) !== before || undefined,
        10_000,
      );
      sent = await waitFor(
        'the live feed to settle on the view',
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 1500));
          return hook('liveSensors');
        },
        10_000,
      );
    }
    expect(sent).toBeLessThan(first);
    expect(sent).toBeGreaterThan(0);
  });
});
