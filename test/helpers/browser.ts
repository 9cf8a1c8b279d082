import fs from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

/** Debian's chromium package; `npx playwright install` cannot download browsers on our machines. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why browser tests cannot run here, or undefined when they can. On CI (CI set) a missing browser
 * is never a reason: the tests run and fail, so a broken CI image cannot pass silently.
 */
export function browserUnavailableReason(): string | undefined {
  if (process.env.CI || fs.existsSync(CHROMIUM_PATH)) return undefined;
  return `${CHROMIUM_PATH} not found (install it with: apt-get install -y chromium)`;
}

/** Jest's `describe`, or `describe.skip` with the reason in the suite's name when there is no browser. */
export function describeInBrowser(name: string, body: () => void): void {
  const reason = browserUnavailableReason();
  if (reason) {
    describe.skip(`${name} (skipped: ${reason})`, body);
  } else {
    describe(name, body);
  }
}

/** Starts headless Chromium the way our machines and CI can. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** A page in a fresh context (no cookies carried over) that collects script errors and console errors. */
export interface WatchedPage {
  page: Page;
  /** Page errors and console errors not excused by `ignore`; tests expect it empty. */
  problems: string[];
}

/**
 * Opens a page at `baseUrl` in a fresh context. Script errors, CSP refusals and failed loads all
 * surface as problems, except console errors `ignore` excuses (e.g. a 422 a test provokes).
 */
export async function openWatchedPage(browser: Browser, baseUrl: string, ignore: (message: ConsoleMessage) => boolean = () => false): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !ignore(message)) problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  return { page, problems };
}
