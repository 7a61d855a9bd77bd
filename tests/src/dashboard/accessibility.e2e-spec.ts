import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations, focusRing } from '../support/axe';
import { launchChromium } from '../support/browser';
import { REPO_ROOT } from '../support/paths';
import { type PublicFleetStack, startPublicFleetStack } from '../support/public-fleet';
import type { TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';
import { TEST_PASSWORD, testUserName } from '../support/test-users';

/** `MEETNET_SCREENSHOTS=1` writes the small-screen and zoom pictures the docs show. */
const SCREENSHOTS =
  process.env['MEETNET_SCREENSHOTS'] === '1' ? resolve(REPO_ROOT, 'docs/screenshots') : undefined;

describe('accessibility (WCAG 2.1 AA) of every view, in Chromium', () => {
  let fleet: PublicFleetStack;
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    fleet = await startPublicFleetStack();
    stack = fleet.stack;
    browser = await launchChromium();
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await fleet?.stop();
  });

  const markersDrawn = (page: Page) =>
    page.waitForFunction(() => {
      const map = (window as unknown as { meetnetMap?: { markerShown(k: string): boolean } }).meetnetMap;
      return map?.markerShown('leuven/noise/n-1') === true;
    });

  async function expectNoViolations(page: Page, state: string): Promise<void> {
    expect({ state, violations: await accessibilityViolations(page) }).toEqual({ state, violations: [] });
  }

  /** Tabs until the focused element matches, asserting a visible focus ring at every stop. */
  async function tabTo(page: Page, wanted: RegExp, limit = 40): Promise<void> {
    const stops: string[] = [];
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      const ring = await focusRing(page);
      stops.push(`${ring.tag} ${ring.text}`);
      // The stops before it, so a failure says where focus came from.
      const at = stops.slice(-3).join(' → ');
      expect({ at, outline: ring.outline === 'none' ? 'none' : 'visible' }).toEqual({
        at,
        outline: 'visible',
      });
      if (wanted.test(ring.text)) return;
    }
    throw new Error(`no focusable element matching ${wanted} within ${limit} tabs`);
  }

  describe('the public map, without an account', () => {
    let page: Page;
    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${stack.service.url}/#/publiek`);
      await markersDrawn(page);
    });
    afterAll(() => page?.close());

    it('explains the colours in Dutch, with BelAQI from the hourly mean, and no axe violations', async () => {
      await expect(page.getByTestId('legend').textContent()).resolves.toContain('4 · Vrij goed');
      expect(await page.getByTestId('legend').textContent()).toContain(
        'Uurgemiddelde van het laatste volle uur',
      );
      expect(await page.getByTestId('legend').textContent()).toContain('kleur niet bevestigd');
      await expectNoViolations(page, 'public map');
    });

    it('shows only the published sensors in its table, and no device internals', async () => {
      await page.getByRole('button', { name: 'Toon tabel' }).click();
      const rows = page.locator('#sensor-table tbody tr');
      await rows.first().waitFor();
      const keys = await rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-key')));
      expect(keys.sort()).toEqual(['leuven/air/pub-1', 'leuven/mobility/telraam-9000', 'leuven/noise/n-1']);
      const air = await page.locator('tr[data-key="leuven/air/pub-1"]').textContent();
      expect(air).toContain('Vrij goed');
      await expectNoViolations(page, 'public map, table open');
    });

    it('opens a sensor in plain Dutch: its class, what a resident can do, its week', async () => {
      await page.locator('tr[data-key="leuven/air/pub-1"] button').click();
      const panel = page.getByTestId('public-panel');
      await panel.waitFor();
      expect(await panel.getByTestId('public-belaqi').textContent()).toContain(
        'Luchtkwaliteit: 4 van 10, Vrij goed.',
      );
      expect(await panel.textContent()).toContain('Heb je astma of een hart- of longziekte?');
      expect(await panel.textContent()).toMatch(/gemiddelde van \d\d:\d\d tot \d\d:\d\d/);
      // nl-BE numbers: a decimal comma.
      await page.locator('tr[data-key="leuven/noise/n-1"] button').click();
      await waitFor('the noise meter in the panel', async () =>
        (await panel.textContent())?.includes('55,5') ? true : undefined,
      );
      expect(await panel.textContent()).not.toMatch(/batterij|signaal|battery/i);
      // Its week, from the public route.
      await panel.getByTestId('sensor-chart').waitFor();
      if (SCREENSHOTS) {
        await page.locator('tr[data-key="leuven/air/pub-1"] button').click();
        await panel.getByTestId('sensor-chart').waitFor();
        await page.screenshot({ path: resolve(SCREENSHOTS, 'public-map.png') });
        await page.locator('tr[data-key="leuven/noise/n-1"] button').click();
      }
      await expectNoViolations(page, 'public map, panel open');
    });

    it('goes from the table to a sensor and back by keyboard alone, focus always visible', async () => {
      await page.goto(`${stack.service.url}/#/publiek`);
      await page.reload();
      await markersDrawn(page);
      await tabTo(page, /^Toon tabel$/);
      await page.keyboard.press('Enter');
      await tabTo(page, /^Tiensestraat$/);
      await page.keyboard.press('Enter');
      const panel = page.getByTestId('public-panel');
      await panel.waitFor();
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
      expect((await focusRing(page)).outline).not.toBe('none');
      expect(await panel.textContent()).toContain('Deze sensor telt auto’s');
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
      expect((await focusRing(page)).text).toBe('Tiensestraat');
    });

    it('stays usable on a 360 px phone and at 200 % zoom: nothing wider than the screen', async () => {
      for (const [name, viewport, scale] of [
        ['phone-360', { width: 360, height: 740 }, 2],
        ['zoom-200', { width: 640, height: 400 }, 2],
      ] as const) {
        const small = await browser.newPage({ viewport, deviceScaleFactor: scale });
        await small.goto(`${stack.service.url}/#/publiek`);
        await markersDrawn(small);
        const width = await small.evaluate(() => document.documentElement.scrollWidth);
        expect({ name, width }).toEqual({ name, width: viewport.width });
        await small.getByRole('button', { name: 'Toon tabel' }).click();
        if (SCREENSHOTS) await small.screenshot({ path: resolve(SCREENSHOTS, `public-${name}.png`) });
        await small.locator('tr[data-key="leuven/air/pub-1"] button').click();
        const close = small.getByRole('button', { name: 'Sluiten' });
        const box = (await close.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
        expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBe(viewport.width);
        if (SCREENSHOTS) await small.screenshot({ path: resolve(SCREENSHOTS, `public-${name}-panel.png`) });
        await expectNoViolations(small, `public map, ${name}`);
        await small.close();
      }
    });
  });

  describe('the signed-in views', () => {
    let page: Page;
    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${stack.service.url}/#/login`);
    });
    afterAll(() => page?.close());

    it('signs in by keyboard alone, with no axe violations on the form', async () => {
      await page.getByLabel('Gebruikersnaam').waitFor();
      await expectNoViolations(page, 'login');
      // The name field has focus on arrival.
      // An admin sees every view: the map, Fleet health and exports.
      await page.keyboard.type(testUserName('admin'));
      await tabTo(page, /^Wachtwoord$/);
      await page.keyboard.type(TEST_PASSWORD);
      await page.keyboard.press('Enter');
      await page.getByTestId('signed-in-as').waitFor();
      await markersDrawn(page);
    });

    it('has no axe violations on the map, with its table and a sensor panel open', async () => {
      await expectNoViolations(page, 'map');
      await tabTo(page, /^Toon tabel$/);
      await page.keyboard.press('Enter');
      await expectNoViolations(page, 'map, table open');
      await tabTo(page, /^Ladeuzeplein$/, 60);
      await page.keyboard.press('Enter');
      const panel = page.getByTestId('sensor-panel');
      await panel.waitFor();
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
      await expectNoViolations(page, 'map, panel open');
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
      expect((await focusRing(page)).text).toBe('Ladeuzeplein');
    });

    it('has no axe violations on Fleet health, and reaches it by keyboard', async () => {
      await page.getByTestId('nav-health').focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Vlootgezondheid' }).waitFor();
      await page.locator('tbody tr').first().waitFor();
      await expectNoViolations(page, 'health');
    });

    it('has no axe violations on Explore, and chooses a sensor and downloads its series by keyboard', async () => {
      await page.getByTestId('nav-explore').focus();
      await page.keyboard.press('Enter');
      await page
        .getByRole('heading', { name: /Verkennen/ })
        .first()
        .waitFor();
      await expectNoViolations(page, 'explore');
      await tabTo(page, /^Zoeken$/);
      await page.keyboard.type('Naamsestraat');
      await tabTo(page, /^Naamsestraat/);
      await page.keyboard.press('Space');
      await tabTo(page, /^NO₂/);
      await page.keyboard.press('Space');
      await tabTo(page, /^Downloaden/, 80);
      const download = page.waitForEvent('download');
      await page.keyboard.press('Enter');
      expect((await download).suggestedFilename()).toMatch(/\.csv$/);
      await expectNoViolations(page, 'explore, a sensor chosen');
    });
  });
});
