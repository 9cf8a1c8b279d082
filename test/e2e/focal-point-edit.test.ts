import fs from 'node:fs';
import path from 'node:path';
import { authenticator } from 'otplib';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { todayAsShown } from '../editing/editing-helpers';
import { createTestUser, type TestUser } from '../helpers/accounts';
import { describeInBrowser, launchBrowser, openWatchedPage } from '../helpers/browser';
import { useTestDatabase } from '../helpers/database';
import { startTestServer, type RunningApp } from '../helpers/server';

/** A string of the project's English locale files (`translation`, `editing`...), so copy edits do not break the walk. */
function english(namespace: string, key: string): string {
  let value: unknown = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'locales', 'en', `${namespace}.json`), 'utf8'));
  for (const part of key.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  if (typeof value !== 'string') throw new Error(`no English string ${namespace}:${key}`);
  return value;
}

const BROWSER_TIMEOUT_MS = 120_000;
/** The sample authority edited, and its e-mail address before and after. */
const AUTHORITY = 'Ministry of Justice (sample)';
const OLD_EMAIL = 'entraide@justice.fr.example';
const NEW_EMAIL = 'entraide.penale@justice.fr.example';
const ERROR_SCREENSHOT = '/tmp/focal-edit-error.png';
const PUBLIC_SCREENSHOT = '/tmp/focal-edit-public.png';

describeInBrowser('a focal point keeps an authority current, in Chromium', () => {
  useTestDatabase();

  // Nested so that the server and browser stop before useTestDatabase() drops the database.
  describe('with the sample data', () => {
    let app: RunningApp;
    let browser: Browser;
    let page: Page;
    let focal: TestUser;
    let problems: string[];

    beforeAll(async () => {
      app = await startTestServer();
      browser = await launchBrowser();
      focal = await createTestUser({ role: 'focal-point', states: ['FRA'] });
    }, BROWSER_TIMEOUT_MS);

    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    beforeEach(async () => {
      // Chromium reports the refused form's answer (422), which this walk provokes on purpose, as a failed load.
      const refusedForm = (message: ConsoleMessage) => /status of 422/.test(message.text()) && /\/states\/FRA\/authorities\/[0-9a-f]{24}\/edit$/.test(message.location().url);
      ({ page, problems } = await openWatchedPage(browser, app.baseUrl, refusedForm));
    });

    afterEach(async () => {
      await page.context().close();
    });

    /** Submits the authority form and waits for the page it leads to; returns the status of the form's answer. */
    async function save(): Promise<number> {
      const [response] = await Promise.all([
        page.waitForResponse((response) => response.request().method() === 'POST' && /\/states\/FRA\/authorities\/[0-9a-f]{24}\/edit$/.test(new URL(response.url()).pathname)),
        page.getByRole('button', { name: english('editing', 'save') }).first().click(),
      ]);
      await page.waitForLoadState('load');
      return response.status();
    }

    it(
      'when a focal point of FRA signs in, saves a bad e-mail address, corrects it and signs out, then the error is shown at the field and the public page shows the new address, updated today',
      async () => {
        // Sign in through the real pages: e-mail and password, then the code from the authenticator app
        await page.goto('/sign-in');
        await page.getByLabel(english('translation', 'signIn.email'), { exact: true }).fill(focal.user.email);
        await page.getByLabel(english('translation', 'signIn.password'), { exact: true }).fill(focal.password);
        await page.getByRole('main').getByRole('button', { name: english('translation', 'signIn.submit') }).click();
        await page.waitForURL('**/sign-in/code');
        await page.getByLabel(english('translation', 'signIn.code'), { exact: true }).fill(authenticator.generate(focal.totpSecret!));
        await page.getByRole('button', { name: english('translation', 'signIn.verify') }).click();
        await page.waitForURL('**/account');

        // From the State's page to the authority's form
        await page.goto('/states/FRA');
        await page.getByRole('link', { name: english('editing', 'statePage.edit') }).click();
        await page.waitForURL('**/states/FRA/edit');
        await page.getByRole('link', { name: `${english('editing', 'overview.edit')} ${AUTHORITY}` }).click();
        await page.waitForURL(/\/states\/FRA\/authorities\/[0-9a-f]{24}\/edit$/);

        const email = page.locator('[id="f-emails.0"]');
        const notes = page.locator('[id="f-notes"]');
        const city = page.locator('[id="f-address.city"]');
        expect(await email.inputValue()).toBe(OLD_EMAIL);
        await email.fill('entraide at justice.fr');
        await notes.fill('Requests by e-mail are answered within two working days.');
        await city.fill('Paris Cedex 01');

        // Refused: the same form again, the message at the field, the summary linking to it, the rest kept
        expect(await save()).toBe(422);
        // The summary has the focus as the page loads, so the keyboard starts from what went wrong
        expect(await page.locator('.error-summary:focus').count()).toBe(1);
        const message = english('editing', 'invalid.email');
        expect(await email.getAttribute('aria-invalid')).toBe('true');
        expect((await email.getAttribute('aria-describedby'))?.split(' ')).toContain('f-emails.0-error');
        // The message sits in the field's own block, with the label and the input
        const fieldError = page.locator('div.field', { has: email }).locator('.field-error');
        expect(await fieldError.getAttribute('id')).toBe('f-emails.0-error');
        expect(await fieldError.isVisible()).toBe(true);
        expect((await fieldError.textContent())?.trim()).toBe(message);
        const summary = page.locator('.error-summary');
        expect(await summary.getAttribute('role')).toBe('alert');
        const summaryLink = summary.locator('a[href="#f-emails.0"]');
        expect(await summaryLink.count()).toBe(1);
        expect(await summaryLink.textContent()).toContain(message);
        expect(await email.inputValue()).toBe('entraide at justice.fr');
        expect(await notes.inputValue()).toBe('Requests by e-mail are answered within two working days.');
        expect(await city.inputValue()).toBe('Paris Cedex 01');
        // Following the summary's link lands on the field
        await summaryLink.click();
        expect(new URL(page.url()).hash).toBe('#f-emails.0');
        expect(await page.locator('[id="f-emails.0"]:focus').count()).toBe(1);
        await page.screenshot({ path: ERROR_SCREENSHOT, fullPage: true });

        // Corrected and saved: redirected to the overview, which says so
        await email.fill(NEW_EMAIL);
        expect(await save()).toBe(303);
        expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/states/FRA/edit?done=saved');
        expect((await page.getByRole('status').textContent())?.trim()).toBe(english('editing', 'done.saved'));

        // Signed out, an anonymous reader sees the new address and today's date as "Updated"
        await page.getByRole('button', { name: english('translation', 'nav.signOut') }).click();
        await page.waitForURL((url) => url.pathname === '/');
        expect(await page.getByRole('navigation', { name: english('translation', 'nav.label') }).getByRole('link', { name: english('translation', 'nav.signIn') }).isVisible()).toBe(true);
        const publicPage = await page.goto('/states/FRA');
        expect(publicPage?.status()).toBe(200);
        const newLink = page.locator(`a[href="mailto:${NEW_EMAIL}"]`).first();
        expect(await newLink.isVisible()).toBe(true);
        expect(await newLink.textContent()).toBe(NEW_EMAIL);
        expect(await page.locator(`a[href="mailto:${OLD_EMAIL}"]`).count()).toBe(0);
        expect(await page.getByText('Requests by e-mail are answered within two working days.').first().isVisible()).toBe(true);
        const updated = page.locator('.stamp').filter({ hasText: english('translation', 'stamp.updated') }).locator('time');
        expect(await updated.getAttribute('datetime')).toBe(new Date().toISOString().slice(0, 10));
        expect(await updated.textContent()).toBe(todayAsShown());
        await page.screenshot({ path: PUBLIC_SCREENSHOT, fullPage: true });
        expect(problems).toEqual([]);
      },
      BROWSER_TIMEOUT_MS,
    );
  });
});
