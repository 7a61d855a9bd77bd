import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from './paths';

/**
 * Errors the dashboard raised or logged in any page of this test file: the browser project's
 * setup fails a test that leaves one behind (support/page-errors-check.ts).
 */
const pageProblems: string[] = [];

/**
 * The browser's own network log, not the dashboard's: a 401 the sign-in form answers, a live
 * socket a test cut. Everything else in the console at level error is a failure.
 */
const NETWORK_LOG = [/^Failed to load resource: /, /^WebSocket connection to .* failed/];

function watchPage(page: Page): void {
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (NETWORK_LOG.some((pattern) => pattern.test(message.text()))) return;
    pageProblems.push(`console error: ${message.text()}`);
  });
}

/** What pages reported since the last call, emptied. */
export function takePageProblems(): string[] {
  return pageProblems.splice(0);
}

/** Debian's Chromium, driven by playwright-core; never a browser a tool downloads. */
export async function launchChromium(): Promise<Browser> {
  const browser = await launch();
  // Every page of every context is watched, however the test opens it.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.on('page', watchPage);
    return context;
  };
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    watchPage(page);
    return page;
  };
  return browser;
}

function launch(): Promise<Browser> {
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
