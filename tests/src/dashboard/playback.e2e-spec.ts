import { DateTime } from 'luxon';
import { connectAsync } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { AIR_SCALES, bandColour, buildTopic } from '@meetnet/contracts';
import { accessibilityViolations } from '../support/axe';
import { launchChromium, signInOnPage } from '../support/browser';
import { writeLines } from '../support/influx-query';
import { restartService, rolledUpThrough, rollupsEvery } from '../support/rollups';
import { startTestStack, type TestStack } from '../support/test-stack';
import { TEST_PASSWORD, testUserName } from '../support/test-users';
import { waitFor } from '../support/wait-for';

const HOUR = 3_600_000;
const SENSOR = { city: 'leuven', domain: 'air', sensorId: 'replay-1' } as const;
const KEY = 'leuven/air/replay-1';
/** Yesterday's NO₂ by hour: clean at night, bad at 08:00, moderate from 12:00. */
const no2At = (hour: number) => (hour === 8 ? 250 : hour >= 12 ? 60 : 5);

describe('replaying a past day on the map, in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  const yesterday = DateTime.now().setZone('Europe/Brussels').minus({ days: 1 }).startOf('day');
  const markerColour = () =>
    page.evaluate(
      (key) =>
        (
          window as unknown as { meetnetMap?: { markerColour(k: string): string | undefined } }
        ).meetnetMap?.markerColour(key),
      KEY,
    );

  beforeAll(async () => {
    stack = await startTestStack();
    const lines = Array.from(
      { length: 24 },
      (_, h) => `air,city=leuven,sensor_id=replay-1 no2=${no2At(h)} ${yesterday.toMillis() + h * HOUR}`,
    );
    await writeLines(stack.influxUrl, stack.bucket, lines);
    await restartService(stack, rollupsEvery(0, 3));
    const device = await connectAsync(stack.broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await device.publishAsync(
      buildTopic(SENSOR, 'meta'),
      JSON.stringify({ name: 'Terugkijk', lat: 50.879, lon: 4.701, model: 'test', intervalS: 3600 }),
      { qos: 1, retain: true },
    );
    await device.publishAsync(buildTopic(SENSOR, 'obs'), JSON.stringify({ ts: Date.now(), no2: 20 }), {
      qos: 1,
    });
    await device.endAsync();
    await rolledUpThrough(stack.service, { hourly: yesterday.plus({ days: 1 }).toMillis(), daily: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signInOnPage(page, stack.service.url, testUserName('officer'), TEST_PASSWORD);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
    await waitFor(
      'the live marker',
      async () => (await markerColour()) === bandColour(AIR_SCALES.no2, 20) || undefined,
    );
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('loads yesterday, says the map shows the past, and steps through it by keyboard', async () => {
    await page.getByRole('button', { name: 'Dag afspelen' }).click();
    const banner = page.getByTestId('past-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('U bekijkt het verleden:');
    // Midnight: clean.
    await waitFor(
      'the replayed colour',
      async () => (await markerColour()) === bandColour(AIR_SCALES.no2, 5) || undefined,
    );
    const slider = page.getByTestId('playback-slider');
    await slider.focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    await waitFor(
      '08:00 replayed',
      async () => (await markerColour()) === bandColour(AIR_SCALES.no2, 250) || undefined,
    );
    expect(await slider.getAttribute('aria-valuetext')).toContain('08:00');
    expect(await banner.textContent()).toContain('08:00');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('plays at 600×: an hour every six seconds', async () => {
    await page.getByTestId('playback-speed').selectOption('600');
    const before = await page.getByTestId('playback-slider').inputValue();
    await page.getByTestId('playback-play').click();
    expect(await page.getByTestId('playback-play').getAttribute('aria-pressed')).toBe('true');
    await waitFor(
      'the next hour',
      async () => (await page.getByTestId('playback-slider').inputValue()) !== before || undefined,
      15_000,
    );
    await page.getByTestId('playback-play').click();
  });

  it('goes back to live: the banner goes and the marker shows now', async () => {
    await page.getByTestId('playback-live').click();
    await page.getByTestId('past-banner').waitFor({ state: 'detached' });
    await waitFor(
      'the live colour again',
      async () => (await markerColour()) === bandColour(AIR_SCALES.no2, 20) || undefined,
    );
  });
});
