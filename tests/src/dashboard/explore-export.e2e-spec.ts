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
  });
});
