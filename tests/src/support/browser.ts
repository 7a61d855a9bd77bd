import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from './paths';

/** Debian's Chromium, driven by playwright-core; never a browser a tool downloads. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Opens the dashboard and signs in through its form, as a person would (Dutch labels). */
export async function signInOnPage(
  page: Page,
  baseUrl: string,
  name: string,
  password: string,
): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('Gebruikersnaam').fill(name);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.getByTestId('signed-in-as').waitFor({ timeout: 15_000 });
}

/** The development account of `npm start` for this role, from .meetnet/dev-users.txt. */
export function devAccount(role: string): { name: string; password: string } {
  const lines = readFileSync(resolve(REPO_ROOT, '.meetnet/dev-users.txt'), 'utf8').split('\n');
  const line = lines.map((l) => l.trim().split(/\s+/)).find(([name]) => name === role);
  if (!line?.[1]) throw new Error(`no ${role} in .meetnet/dev-users.txt: run npm start first`);
  return { name: role, password: line[1] };
}
