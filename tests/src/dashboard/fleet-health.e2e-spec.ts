import { connectAsync } from 'mqtt';
import { buildTopic, parseDeviceAddress } from '@meetnet/contracts';
import type { Browser, Page, WebSocket } from 'playwright-core';
import { launchChromium, signInOnPage } from '../support/browser';
import type { Started } from '../support/child-process';
import { HEALTH_TEST_ENV, injectedFaults, startFaultySimulation } from '../support/health-scenario';
import { startTestStack, type TestStack } from '../support/test-stack';
import { TEST_PASSWORD, testUserName } from '../support/test-users';
import { waitFor } from '../support/wait-for';

describe('the Fleet health view in Chromium', () => {
  let stack: TestStack;
  let simulator: Started;
  let browser: Browser;
  let page: Page;
  const sockets: WebSocket[] = [];
  const injected = injectedFaults();
  const faulty = (kind: string) => [...injected].filter(([, fault]) => fault === kind).map(([key]) => key);

  beforeAll(async () => {
    stack = await startTestStack(HEALTH_TEST_ENV);
    simulator = await startFaultySimulation(stack.broker.url, 3);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('websocket', (socket) => sockets.push(socket));
    await signInOnPage(page, stack.service.url, testUserName('technician'), TEST_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await simulator?.stop('SIGINT');
    await stack?.stop();
  });

  const rowOf = (key: string) => page.locator(`tr[data-sensor="${key}"]`);

  it('lists the faulty sensors first, with their problem, battery and signal, in Dutch', async () => {
    await page.getByTestId('nav-health').click();
    await page.getByRole('heading', { name: 'Vlootgezondheid' }).waitFor();
    // The view reloads itself when the service announces changes over the live socket.
    await waitFor(
      'all 16 faulty sensors in the table',
      async () =>
        (await page.locator('tr.status-fault, tr.status-warning').count()) >= 16 ? true : undefined,
      60_000,
      500,
    );
    const battery = rowOf(faulty('low_battery')[0]!);
    expect(await battery.textContent()).toContain('Batterij bijna leeg');
    expect(await battery.textContent()).toContain('8 %');
    expect(await rowOf(faulty('dropout')[0]!).textContent()).toContain('Offline');
    const counts = Number(await page.getByTestId('count-fault').locator('strong').textContent());
    expect(counts).toBeGreaterThanOrEqual(6); // dropout, stuck, malformed: two each
    // Worst first: the first row is a fault.
    expect(await page.locator('tbody tr').first().getAttribute('class')).toBe('status-fault');
  });

  it('filters by problem and sorts by a column from the keyboard', async () => {
    await page.getByLabel('Probleem').selectOption({ label: 'Zwak signaal' });
    const keys = await page
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-sensor')));
    expect(keys.sort()).toEqual(faulty('weak_signal').sort());
    await page.getByLabel('Probleem').selectOption({ label: 'Alle' });
    const batteryHeader = page.getByRole('button', { name: /^Batterij/ });
    await batteryHeader.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('Batterij');
    // The lowest charge first: the simulated low batteries report 8 %.
    expect(await page.locator('tbody tr').first().textContent()).toContain('8 %');
  });

  it('goes from a sensor in the table to that sensor on the map in one click, with its health timeline', async () => {
    const key = faulty('low_battery')[0]!;
    await rowOf(key)
      .getByRole('button', { name: /op de kaart/ })
      .click();
    await page.waitForURL(
      (url) => url.hash.includes(`sensor=${encodeURIComponent(key)}`) || url.hash.includes(`sensor=${key}`),
    );
    const panel = page.getByTestId('sensor-panel');
    await panel.waitFor({ timeout: 15_000 });
    const timeline = page.getByTestId('health-timeline');
    await waitFor('the timeline entry', async () =>
      (await timeline.textContent())?.includes('Batterij bijna leeg begon') ? true : undefined,
    );
    // Problems-only map mode: healthy sensors leave the map, faulty ones stay.
    const fleet = (await (await stack.service.fetchAs('technician', '/api/v1/health/sensors')).json()) as {
      sensors: Array<{ key: string; status: string }>;
    };
    const healthyKey = fleet.sensors.find((s) => s.status === 'ok' && !injected.has(s.key))!.key;
    const shown = (k: string) =>
      page.evaluate(
        (k) =>
          (window as unknown as { meetnetMap: { markerShown(k: string): boolean } }).meetnetMap.markerShown(
            k,
          ),
        k,
      );
    // The map builds itself once Leaflet has loaded, which may come after the panel.
    await page.waitForFunction(() => (window as unknown as { meetnetMap?: object }).meetnetMap !== undefined);
    expect(await shown(healthyKey)).toBe(true);
    await page.getByTestId('only-problems').check();
    await waitFor('the healthy marker to leave the map', async () =>
      (await shown(healthyKey)) ? undefined : true,
    );
    expect(await shown(key)).toBe(true);
  });

  it("shows a technician the sensor's refused messages with reason, time and excerpt, as text", async () => {
    const key = faulty('malformed')[0]!;
    const hostile = '<img src=x onerror="window.meetnetPwned=1"><style>body{display:none}</style>';
    const device = await connectAsync(stack.broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await device.publishAsync(buildTopic(parseDeviceAddress(key)!, 'obs'), hostile, { qos: 1 });
    await device.endAsync();
    await page.getByTestId('nav-health').click();
    await rowOf(key)
      .getByRole('button', { name: /op de kaart/ })
      .click();
    const rejects = page.getByTestId('sensor-rejects');
    await rejects.waitFor({ timeout: 15_000 });
    expect(await rejects.getByRole('heading').textContent()).toBe('Geweigerde berichten (30 dagen)');
    // Dead letters reach InfluxDB through the spool; the panel reads them when it opens.
    const ours = rejects.getByTestId('reject').filter({ hasText: 'window.meetnetPwned' });
    await waitFor(
      'the hostile message in the list',
      async () => {
        if ((await ours.count()) > 0) return true;
        await page.getByTestId('nav-health').click();
        await rowOf(key)
          .getByRole('button', { name: /op de kaart/ })
          .click();
        await rejects.waitFor();
        return undefined;
      },
      30_000,
      1000,
    );
    const entry = ours.first();
    expect(await entry.locator('strong').textContent()).toBe('Geen geldige JSON');
    expect(await entry.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await entry.locator('summary').click();
    expect(await entry.getByTestId('reject-excerpt').textContent()).toBe(hostile);
    expect(await entry.locator('summary').textContent()).toContain(
      `Bericht (${Buffer.byteLength(hostile)} bytes)`,
    );
    // Shown, never parsed: no element came of it and nothing ran.
    expect(await page.getByTestId('sensor-panel').locator('img, style').count()).toBe(0);
    expect(
      await page.evaluate(() => (window as unknown as { meetnetPwned?: number }).meetnetPwned),
    ).toBeUndefined();
  });

  it('holds one live connection for the map and the health feed, across every view it went through', async () => {
    // Map, Fleet health, the map again (the tests above): the tab opened one socket and kept it.
    await page.getByTestId('nav-health').click();
    await page.getByRole('heading', { name: 'Vlootgezondheid' }).waitFor();
    expect(sockets.map((socket) => new URL(socket.url()).pathname)).toEqual(['/socket.io/']);
    expect(sockets[0]!.isClosed()).toBe(false);
  });
});
