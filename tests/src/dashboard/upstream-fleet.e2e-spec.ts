import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SensorLatest } from '@meetnet/contracts';
import type { Browser } from 'playwright-core';
import { launchChromium, signInOnPage } from '../support/browser';
import { type Started, startProcess } from '../support/child-process';
import { freePort } from '../support/free-port';
import { type MosquittoInstance, startMosquitto } from '../support/mosquitto';
import { REPO_ROOT } from '../support/paths';
import { startTestStack, type TestStack } from '../support/test-stack';
import { TEST_PASSWORD, testUserName } from '../support/test-users';
import { waitFor } from '../support/wait-for';

const UPSTREAM_CLI = resolve(REPO_ROOT, 'simulators/dist/upstream/upstream-cli.js');

/** The mixed fleet `npm start` shows: every upstream kind, through the sources file the simulator writes. */
describe('the upstream simulator against the whole service, in Chromium', () => {
  let networkServer: MosquittoInstance;
  let simulator: Started;
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    networkServer = await startMosquitto();
    const [httpPort, telraamPort] = [await freePort(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), 'meetnet-upstream-'));
    const common = [
      '--network-server',
      networkServer.url,
      '--telraam-port',
      String(telraamPort),
      '--per-kind',
      '2',
      '--interval',
      '2',
    ];
    execFileSync('node', [UPSTREAM_CLI, ...common, '--write-sources', dir]);
    // The simulator first, so that Telraam's API is up when the service polls it at start-up.
    simulator = startProcess(
      'node',
      [UPSTREAM_CLI, ...common, '--meetnet', `http://127.0.0.1:${httpPort}`],
      {},
    );
    stack = await startTestStack({ HTTP_PORT: String(httpPort), SOURCES_FILE: join(dir, 'sources.json') });
  });
  afterAll(async () => {
    await browser?.close();
    await simulator?.stop('SIGTERM');
    await stack?.stop();
    await networkServer?.stop();
  });

  it('puts TTN, ChirpStack, Sensor.Community and Telraam sensors on the map, each with its values', async () => {
    const wanted = [
      'leuven/air/ttn-001',
      'leuven/noise/cs-001',
      'leuven/air/sc-001',
      'leuven/weather/sc-001-wx',
      'leuven/mobility/telraam-001',
    ];
    const found = await waitFor(
      'a sensor of every kind with values',
      async () => {
        const body = (await (await stack.service.fetchAs('officer', '/api/v1/sensors')).json()) as {
          features: Array<{ id: string; properties: SensorLatest }>;
        };
        const withValues = new Map(
          body.features
            .filter((f) => Object.keys(f.properties.values).length > 0)
            .map((f) => [f.id, f.properties]),
        );
        return wanted.every((key) => withValues.has(key)) ? withValues : undefined;
      },
      30_000,
    );
    expect(Object.keys(found.get('leuven/air/ttn-001')!.values).sort()).toEqual([
      'humidity',
      'pm10',
      'pm25',
      'temperature',
    ]);
    expect(found.get('leuven/noise/cs-001')!.values['laeq']).toBeGreaterThan(30);
    expect(found.get('leuven/weather/sc-001-wx')!.values['pressure']).toBeGreaterThan(900);
    expect(found.get('leuven/mobility/telraam-001')!.periodS).toBe(3600);
    expect(await stack.service.metric('meetnet_ingest_rejected_total{reason="unknown_device"}')).toBe(0);
  });

  it("draws every kind on the map, and lists the sources and each sensor's source in Fleet health", async () => {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signInOnPage(page, stack.service.url, testUserName('technician'), TEST_PASSWORD);
    for (const key of [
      'leuven/air/ttn-001',
      'leuven/noise/cs-001',
      'leuven/air/sc-001',
      'leuven/mobility/telraam-001',
    ]) {
      await waitFor(`${key} on the map`, () =>
        page.evaluate(
          (k) =>
            (
              window as unknown as { meetnetMap?: { markerShown(k: string): boolean } }
            ).meetnetMap?.markerShown(k) || undefined,
          key,
        ),
      );
    }
    await page.getByTestId('nav-health').click();
    const sources = page.getByRole('region', { name: 'Bronnen' });
    await sources.waitFor();
    for (const name of ['sim-ttn', 'sim-chirpstack', 'sim-sensor-community', 'sim-telraam']) {
      const source = sources.locator(`li[data-source="${name}"]`);
      expect(await source.getAttribute('class')).toBe('up');
      expect(await source.textContent()).toMatch(/^\s*sim-[a-z-]+\s+bereikbaar/);
    }
    expect(await page.locator('tr[data-sensor="leuven/air/ttn-001"]').textContent()).toContain('via sim-ttn');
  });
});
