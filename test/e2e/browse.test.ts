import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, launchBrowser, openWatchedPage } from '../helpers/browser';
import { useTestDatabase } from '../helpers/database';
import { startTestServer, type RunningApp } from '../helpers/server';

/** A translation from the project's locale files, so copy edits do not break the walk. */
function translation(lang: string, key: string): string | undefined {
  const file = path.join(__dirname, '..', '..', 'locales', lang, 'translation.json');
  if (!fs.existsSync(file)) return undefined;
  let value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const part of key.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return typeof value === 'string' ? value : undefined;
}

/** What the Directory prints for "local time now" in a time zone, as the presenter formats it. */
function localTimeLabel(lang: string, timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat(lang, { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(at);
}

const BROWSER_TIMEOUT_MS = 120_000;

describeInBrowser('browsing the Directory in Chromium', () => {
  useTestDatabase();

  // Nested so that the server and browser stop before useTestDatabase() drops the database.
  describe('with the sample data', () => {
    let app: RunningApp;
    let browser: Browser;
    let page: Page;
    let problems: string[];

    beforeAll(async () => {
      app = await startTestServer();
      browser = await launchBrowser();
    }, BROWSER_TIMEOUT_MS);

    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    beforeEach(async () => {
      // A fresh context per test: no language cookie carried over. Chromium may ask for
      // /favicon.ico on its own; the Directory links favicon.svg and serves no .ico.
      ({ page, problems } = await openWatchedPage(browser, app.baseUrl, (message) => message.location().url.endsWith('/favicon.ico')));
    });

    afterEach(async () => {
      await page.context().close();
    });

    it(
      'when a reader opens the home page, then the heading and the list of States, France among them, are shown',
      async () => {
        const response = await page.goto('/');
        expect(response?.status()).toBe(200);

        const heading = page.getByRole('heading', { level: 1 });
        expect(await heading.textContent()).toBe(translation('en', 'home.heading'));
        expect(await heading.isVisible()).toBe(true);

        const statesTable = page.getByRole('table');
        expect(await statesTable.getByRole('row').count()).toBeGreaterThan(190);
        const france = statesTable.getByRole('link', { name: 'France', exact: true });
        expect(await france.isVisible()).toBe(true);
        expect(await france.getAttribute('href')).toBe('/states/FRA');
        expect(problems).toEqual([]);
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      'when a reader switches to Russian and searches for "Россия", then the restricted Russian Federation page shows the notice and no e-mail',
      async () => {
        await page.goto('/');

        const russian = page.getByRole('navigation').getByRole('link', { name: 'Русский' });
        if ((await russian.count()) === 0) {
          throw new Error('No "Русский" link in the language switcher: is locales/ru/translation.json present?');
        }
        await russian.click();
        await page.waitForURL(/[?&]lang=ru\b/);
        expect(await page.locator('html').getAttribute('lang')).toBe('ru');

        // The choice is remembered (cookie): the search below carries no lang parameter.
        const search = page.getByRole('search');
        await search.getByRole('searchbox').fill('Россия');
        await search.getByRole('button').click();
        await page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === 'Россия');
        expect(await page.locator('html').getAttribute('lang')).toBe('ru');

        const result = page.locator('ul.results').getByRole('link', { name: 'Российская Федерация', exact: true });
        expect(await result.first().isVisible()).toBe(true);
        await result.first().click();
        await page.waitForURL('**/states/RUS');

        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Российская Федерация');
        const notice = page.locator('.restricted-notice');
        expect(await notice.isVisible()).toBe(true);
        const noticeHeading = translation('ru', 'restricted.heading');
        if (noticeHeading) expect(await notice.getByRole('heading').textContent()).toBe(noticeHeading);
        expect(await notice.getByRole('link', { name: translation('ru', 'restricted.signIn') }).getAttribute('href')).toBe('/sign-in?returnTo=%2Fstates%2FRUS');
        // no dead end: the access request, naming the State
        expect(await notice.getByRole('link', { name: translation('ru', 'restricted.askAccess') }).getAttribute('href')).toBe('/access/request?for=RUS');
        expect(await page.locator('a[href^="mailto:"]').count()).toBe(0);
        expect(problems).toEqual([]);
      },
      BROWSER_TIMEOUT_MS,
    );

    it(
      "when a reader opens a public State's page, then its authorities' e-mail links and local time are shown",
      async () => {
        const before = new Date();
        const response = await page.goto('/states/FRA');
        const after = new Date();
        expect(response?.status()).toBe(200);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('France');

        const email = page.locator('a[href="mailto:entraide@justice.fr.example"]').first();
        expect(await email.isVisible()).toBe(true);
        expect(await email.textContent()).toBe('entraide@justice.fr.example');

        // The sample's French authorities keep office hours in Europe/Paris.
        const localTimes = await page.locator('.local-time').allTextContents();
        expect(localTimes.length).toBeGreaterThan(0);
        const expected = [localTimeLabel('en', 'Europe/Paris', before), localTimeLabel('en', 'Europe/Paris', after)];
        expect(expected.some((label) => localTimes[0]!.includes(label))).toBe(true);
        expect(await page.locator('.local-time').first().isVisible()).toBe(true);
        expect(problems).toEqual([]);
      },
      BROWSER_TIMEOUT_MS,
    );
  });
});
