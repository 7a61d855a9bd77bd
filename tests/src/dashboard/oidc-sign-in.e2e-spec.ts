import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { freePort } from '../support/free-port';
import { createDatabase } from '../support/influxd';
import { type MosquittoInstance, startMosquitto } from '../support/mosquitto';
import { type OidcProviderInstance, startOidcProvider } from '../support/oidc-provider';
import { type ServiceInstance, startService } from '../support/service';
import { influxUrl } from '../support/test-stack';

describe('signing in through the municipality’s OpenID Connect provider, in Chromium', () => {
  let broker: MosquittoInstance;
  let provider: OidcProviderInstance;
  let service: ServiceInstance;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider(`${publicUrl}/api/v1/auth/oidc/callback`);
    broker = await startMosquitto();
    service = await startService({
      HTTP_PORT: String(port),
      PUBLIC_URL: publicUrl,
      MQTT_URL: broker.url,
      INFLUX_URL: influxUrl(),
      INFLUX_BUCKET: await createDatabase(influxUrl(), 'oidc_test'),
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_SCOPES: 'openid profile roles',
      OIDC_LABEL: 'Aanmelden met Stad Leuven',
      OIDC_ROLE_MAP: 'GG-Data=analyst',
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await broker?.stop();
    await provider?.stop();
  });

  /** From the dashboard through the provider's own login and consent pages, and back. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.goto(service.url);
    await page.getByRole('link', { name: 'Aanmelden met Stad Leuven' }).click();
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('maps the provider’s group to a role and opens the map', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAtProvider(page, 'anna');
    await page.getByTestId('signed-in-as').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Aangemeld als anna (analist)');
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
    // The session is the service's own cookie, unreadable to scripts.
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'meetnet_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(await page.evaluate(() => document.cookie)).not.toContain('meetnet_session');
    await context.close();
  });

  it('turns away an account without a Meetnet role, saying why', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAtProvider(page, 'nobody');
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toContain('Je account heeft geen rol in Meetnet.');
    expect((await context.cookies()).some((c) => c.name === 'meetnet_session')).toBe(false);
    await context.close();
  });
});
