import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { buildTopic } from '@meetnet/contracts';
import { connectAsync } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signInOnPage } from '../support/browser';
import { writeDstDataSet } from '../support/dst-data-set';
import { startTestStack, type TestStack } from '../support/test-stack';
import { TEST_PASSWORD, testUserName } from '../support/test-users';

describe('the Explore view in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack();
    await writeDstDataSet(stack);
    // The sensor's retained meta puts it on the map and in the Explore list.
    const device = await connectAsync(stack.broker.url, { protocolVersion: 5 });
    const meta = { name: 'Naamsestraat', lat: 50.87, lon: 4.7, model: 'AQ-2', intervalS: 3600 };
    await device.publishAsync(
      buildTopic({ city: 'leuven', domain: 'air', sensorId: 'dst-1' }, 'meta'),
      JSON.stringify(meta),
      {
        qos: 1,
        retain: true,
      },
    );
    await device.endAsync();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    await signInOnPage(page, stack.service.url, testUserName('analyst'), TEST_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('builds the query with the form, keeps it in the URL, previews it and downloads the CSV', async () => {
    await page.getByTestId('nav-explore').click();
    await page.getByRole('heading', { name: 'Verkennen en exporteren' }).waitFor();
    await page.getByLabel('Zoeken', { exact: true }).fill('Naamse');
    await page.getByLabel(/Naamsestraat/).check();
    await page.getByLabel('NO₂').check();
    await page.getByLabel('Van', { exact: true }).fill('2026-03-28');
    await page.getByLabel('Tot (niet inbegrepen)').fill('2026-03-31');
    await page.getByLabel('Per', { exact: true }).selectOption({ label: '1 dag' });
    await page.getByLabel('Waarde', { exact: true }).selectOption({ label: 'Gemiddelde' });
    await page.getByTestId('explore-chart').waitFor();
    // Shareable: the URL holds the whole query.
    const url = new URL(page.url().replace('#/', ''));
    expect(url.searchParams.getAll('sensor')).toEqual(['leuven/air/dst-1']);
    expect(url.searchParams.get('window')).toBe('1d');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download').click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      'meetnet_leuven-air-dst-1_no2_2026-03-28_2026-03-31_1d-mean_Europe-Brussels.csv',
    );
    const file = readFileSync(await download.path(), 'utf8');
    const rows: Array<Record<string, string>> = parse(file, { columns: true });
    expect(rows.map((r) => [r['time'], r['value']])).toEqual([
      ['2026-03-28T00:00:00.000+01:00', '5'],
      ['2026-03-29T00:00:00.000+01:00', '12'],
      ['2026-03-30T00:00:00.000+02:00', '12.5'],
    ]);
    await page.getByRole('status').filter({ hasText: 'Gedownload' }).waitFor();
  });

  it('opens the same query from a shared link', async () => {
    const shared = `${stack.service.url}/#/explore?sensor=leuven/air/dst-1&field=no2&from=2026-03-28&to=2026-03-31&window=1d&aggregate=max&tz=UTC`;
    // A fresh load, as a bookmark opens it (the session cookie stays).
    const other = page;
    await other.goto('about:blank');
    await other.goto(shared);
    await other.getByTestId('explore-chart').waitFor();
    expect(await other.getByLabel('Waarde', { exact: true }).inputValue()).toBe('max');
    expect(await other.getByLabel('Tijdzone', { exact: true }).inputValue()).toBe('UTC');
    expect(await other.getByLabel(/Naamsestraat/).isChecked()).toBe(true);
    // Day first, as people here write it, whatever language the browser speaks; ISO in the URL.
    expect(await other.getByLabel('Van', { exact: true }).inputValue()).toBe('28/03/2026');
    expect(await other.getByLabel('Tot (niet inbegrepen)').inputValue()).toBe('31/03/2026');
  });

  it('defaults to the last 24 hours, so a sensor added today exports its readings', async () => {
    const device = await connectAsync(stack.broker.url, { protocolVersion: 5 });
    const today = { city: 'leuven', domain: 'air', sensorId: 'today-1' } as const;
    const meta = { name: 'Nieuwe sensor 1', lat: 50.88, lon: 4.71, model: 'AQ-2', intervalS: 60 };
    await device.publishAsync(buildTopic(today, 'meta'), JSON.stringify(meta), { qos: 1, retain: true });
    await device.publishAsync(
      buildTopic(today, 'obs'),
      JSON.stringify({ ts: Date.now() - 60_000, no2: 17 }),
      {
        qos: 1,
      },
    );
    await device.endAsync();
    await page.goto('about:blank');
    await page.goto(`${stack.service.url}/#/explore`);
    await page.getByRole('heading', { name: 'Verkennen en exporteren' }).waitFor();
    expect(await page.getByTestId('last-24h').textContent()).toBe('Leeg gelaten: de laatste 24 uur.');
    await page.getByLabel('Zoeken', { exact: true }).fill('Nieuwe');
    await page.getByLabel(/Nieuwe sensor 1/).check();
    await page.getByLabel('NO₂').check();
    await page.getByTestId('explore-chart').waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download').click(),
    ]);
    const rows: Array<Record<string, string>> = parse(readFileSync(await download.path(), 'utf8'), {
      columns: true,
    });
    expect(rows.map((r) => [r['sensor'], r['value']])).toEqual([['leuven/air/today-1', '17']]);
    expect(await page.getByTestId('download-empty').count()).toBe(0);
  });

  it('says so when the range holds no data, in the preview and after the download', async () => {
    await page.getByLabel('Van', { exact: true }).fill('01/01/2020');
    await page.getByLabel('Tot (niet inbegrepen)').fill('2/1/2020');
    await page.waitForURL(
      (url) => url.hash.includes('from=2020-01-01') && url.hash.includes('to=2020-01-02'),
    );
    // A day that does not exist is refused where it is typed, and the query keeps the last good one.
    await page.getByLabel('Tot (niet inbegrepen)').fill('31/02/2020');
    expect(await page.getByText('Geen bestaande datum').isVisible()).toBe(true);
    expect(page.url()).toContain('to=2020-01-02');
    await page.getByLabel('Tot (niet inbegrepen)').fill('02/01/2020');
    await page.getByText('Geen gegevens in deze periode.').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download').click(),
    ]);
    expect(
      readFileSync(await download.path(), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(1);
    expect(await page.getByTestId('download-empty').textContent()).toContain('enkel de kolomnamen');
  });
});
