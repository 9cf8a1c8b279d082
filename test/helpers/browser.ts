import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
