import type { Browser, Page } from 'playwright-core';
import { loudNoiseRule, writeRulesFile } from '../alerts/alert-rules-file';
import { accessibilityViolations } from '../support/axe';
import { launchChromium, signInOnPage } from '../support/browser';
import { recordingClient } from '../support/mqtt-client';
import { startTestStack, type TestStack } from '../support/test-stack';
import { TEST_PASSWORD, testUserName } from '../support/test-users';

describe('the alerts view, in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const rulesFile = writeRulesFile({ loud: loudNoiseRule() });
    stack = await startTestStack({ ALERTS_RULES_FILE: rulesFile });
    browser = await launchChromium();
    page = await browser.newPage();
    await signInOnPage(page, stack.service.url, testUserName('officer'), TEST_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('says there is nothing open, in Dutch, before anything happens', async () => {
    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alerts-empty').waitFor();
    expect(await page.getByTestId('alerts-empty').textContent()).toContain('Geen open meldingen');
    expect(await page.getByTestId('alerts-badge').count()).toBe(0);
    expect(await page.locator('[data-rule="loud"]').textContent()).toContain('elke meting');
  });

  it('shows an episode live with a badge, and acknowledging it clears the badge', async () => {
    const { client } = await recordingClient(stack.broker.url, []);
    await client.publishAsync(
      'meetnet/gent/noise/nm-9/obs',
      JSON.stringify({ ts: Date.now() - 1000, laeq: 78.4, periodS: 60 }),
      { qos: 1 },
    );
    await client.endAsync();
    const row = page.locator('[data-episode^="loud~gent~noise~nm-9~"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('78,4 dB(A)');
    expect((await page.getByTestId('alerts-badge').textContent())?.trim()).toMatch(/^1/);
    expect(await accessibilityViolations(page)).toEqual([]);

    // By keyboard: the acknowledge button is reachable and works with Enter.
    await row.getByTestId('acknowledge').focus();
    await page.keyboard.press('Enter');
    await row.getByTestId('acknowledged-by').waitFor();
    expect(await row.getByTestId('acknowledged-by').textContent()).toContain('officer-test');
    await page.getByTestId('alerts-badge').waitFor({ state: 'detached' });
  });

  it('moves a resolved episode to the history, handled by the person who closed it', async () => {
    await page.locator('[data-episode^="loud~gent~noise~nm-9~"]').getByTestId('resolve').click();
    await page.getByTestId('alerts-empty').waitFor();
    const history = page.getByTestId('alerts-history');
    await history.waitFor();
    expect(await history.textContent()).toContain('officer-test');
  });
});
