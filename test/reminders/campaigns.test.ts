import request from 'supertest';
import { findDeliveries } from '../../src/reminders/reminders.repository';
import { findState } from '../../src/editing/editing.repository';
import { processDueDeliveries, reminderTick } from '../../src/reminders/reminder-worker';
import { signConfirmationToken } from '../../src/reminders/confirmation-link';
import { campaignTargets } from '../../src/reminders/reminders.service';
import type { StateSummary } from '../../src/directory/directory.service';
import { createTestUser, csrfTokenIn, signedInAgent, type TestUser } from '../helpers/accounts';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createFocalPoint, jobDependencies, linksIn, stateCodes, TEST_SECRET } from './reminder-helpers';

useTestDatabase();

let smtp: TestSmtp;
let app: ReturnType<typeof testApp>;
let secretariat: TestUser;
let english: TestUser;
let russian: TestUser;
let both: TestUser;
let codes: string[];
/** Signed in once: a TOTP code is accepted once per time step. */
let secretariatAgent: request.Agent;

beforeAll(async () => {
  smtp = await startTestSmtp();
  app = testApp({ mailer: smtp.mailer });
  codes = await stateCodes();
  secretariat = await createTestUser({ role: 'secretariat' });
  english = await createFocalPoint([codes[0]!], 'en');
  russian = await createFocalPoint([codes[1]!], 'ru');
  both = await createFocalPoint([codes[0]!, codes[2]!], 'en');
  secretariatAgent = await signedInAgent(app, secretariat);
});

afterAll(async () => {
  await smtp.close();
});

/** Fills the form, has it checked (whom it would reach), then schedules it from the page that says so. */
async function scheduleCampaign(fields: Record<string, string>) {
  const agent = secretariatAgent;
  const form = await agent.get('/admin/reminders/new');
  expect(form.status).toBe(200);
  const review = await agent.post('/admin/reminders').type('form').send({ ...fields, step: 'review', _csrf: csrfTokenIn(form.text) });
  if (review.status !== 200) return { agent, res: review, review: page(review.text) };
  const reviewed = page(review.text);
  // nothing is scheduled by the check
  expect(reviewed.count('[data-testid="audience"]')).toBe(1);
  const res = await agent.post('/admin/reminders').type('form').send({ ...fields, step: 'schedule', _csrf: reviewed.csrfToken() });
  return { agent, res, review: reviewed };
}

describe('a campaign to all focal points', () => {
  let campaignId: string;
  let sentCount = 0;

  it('when the secretariat schedules it and the jobs run, then each focal point gets one message per State, in their language, with both links', async () => {
    const { res, review } = await scheduleCampaign({ name: 'Half-yearly check', kind: 'all-focal-points', repeat: 'every', everyMonths: '6' });
    // before it was scheduled, the page said whom it would reach and named the States nobody answers for
    const [, mails, reached] = /^If it ran today, (\d+) e-mails would go out to the focal points of (\d+) States\.$/.exec(review.text('[data-testid="audience-count"]'))!;
    expect(Number(reached)).toBeGreaterThanOrEqual(3);
    expect(review.texts('[data-testid="without-focal-point"] li')).toHaveLength(codes.length - Number(reached));
    expect(review.attrs('[data-testid="without-focal-point"] a', 'href')).toContain(`/admin/invitations?state=${codes[3]}`);
    // the link opens the invitation form with that State chosen
    const invite = page((await secretariatAgent.get(`/admin/invitations?state=${codes[3]}`)).text);
    expect(invite.chosen('states')).toEqual([codes[3]]);
    expect(res.status).toBe(303);
    const sentBefore = smtp.messages.length;
    campaignId = /\/admin\/reminders\/([a-f0-9]{24})/.exec(res.headers.location as string)![1]!;

    const deps = jobDependencies(smtp.mailer);
    await reminderTick();
    await reminderTick(); // a second scheduler tick (or another instance) queues nobody again
    await processDueDeliveries(deps);
    await processDueDeliveries(deps);

    // as many as the check announced
    await smtp.waitForMessages(sentBefore + Number(mails));
    expect(smtp.messages.length - sentBefore).toBe(Number(mails));
    expect(smtp.to(english.user.email)).toHaveLength(1);
    expect(smtp.to(russian.user.email)).toHaveLength(1);
    expect(smtp.to(both.user.email)).toHaveLength(2);
    const [ru] = smtp.to(russian.user.email);
    expect(ru!.subject).toMatch(/просим проверить сведения/);
    expect(ru!.headers.get('content-language')).toBe('ru');
    expect(ru!.messageId).toMatch(/^<reminder-[a-f0-9]{24}@localhost>$/);
    const [en] = smtp.to(english.user.email);
    expect(en!.subject).toMatch(/please check your entries/);
    const links = linksIn(en!.text ?? '');
    expect(links.edit).toBe(`/states/${codes[0]}/edit`);
    expect(links.confirm).toMatch(/^\/confirm\/[a-f0-9]{24}\.\d+\.[A-Za-z0-9_-]{43}$/);

    // The seeded demonstration focal points are reminded too; ours have one delivery per State each
    const deliveries = await findDeliveries({ campaignId });
    const ours = [english, russian, both].map((focalPoint) => focalPoint.user.email);
    expect(deliveries.filter((delivery) => ours.includes(delivery.email))).toHaveLength(4);
    expect(new Set(deliveries.map((delivery) => delivery.key)).size).toBe(deliveries.length);
    sentCount = deliveries.length;
    expect(deliveries.every((delivery) => delivery.status === 'sent' && delivery.attempts === 1)).toBe(true);
  });

  it('when the secretariat opens the campaign list and page, then they see the counts by status and every recipient', async () => {
    const agent = secretariatAgent;
    const list = await agent.get('/admin/reminders');
    expect(list.status).toBe(200);
    const campaignRow = page(list.text).$(`tr[data-campaign="${campaignId}"]`);
    expect(campaignRow.find(`a[href="/admin/reminders/${campaignId}"]`).text()).toBe('Half-yearly check');
    expect(campaignRow.children('td[data-status="sent"]').text()).toBe(String(sentCount));
    const campaignPage = await agent.get(`/admin/reminders/${campaignId}`);
    expect(campaignPage.status).toBe(200);
    const recipients = page(campaignPage.text).rows('table').map((cells) => cells[1]);
    expect(recipients).toContainEqual(expect.stringContaining(russian.user.email));
  });

  it('when the still-accurate link is opened, then a one-button page asks first; posting it confirms once and stamps the State', async () => {
    const text = smtp.to(russian.user.email)[0]!.text ?? '';
    const confirm = linksIn(text).confirm!;
    const before = await findState(codes[1]!);
    const visitor = request.agent(app);

    const question = await visitor.get(confirm);
    expect(question.status).toBe(200);
    expect((await findState(codes[1]!))!.lastConfirmedAt).toEqual(before!.lastConfirmedAt); // opening confirms nothing

    const done = await visitor.post(confirm).type('form').send({ _csrf: csrfTokenIn(question.text) });
    expect(done.status).toBe(200);
    expect(page(done.text).count('[role="status"][data-testid="confirmed"]')).toBe(1);
    const after = await findState(codes[1]!);
    expect(after!.lastConfirmedAt!.getTime()).toBeGreaterThan(before!.lastConfirmedAt?.getTime() ?? 0);
    const deliveries = await findDeliveries({ campaignId, state: codes[1]! });
    expect(deliveries.map((delivery) => delivery.status)).toEqual(['confirmed']);

    const again = await visitor.get(confirm);
    expect(again.status).toBe(410);
    const secondPost = await visitor.post(confirm).type('form').send({ _csrf: csrfTokenIn(question.text) });
    expect(secondPost.status).toBe(410);
    expect((await findState(codes[1]!))!.lastConfirmedAt).toEqual(after!.lastConfirmedAt);
  });

  it('when a link has expired or was tampered with, then it is refused and records nothing', async () => {
    const [delivery] = await findDeliveries({ campaignId, state: codes[2]! });
    const expired = signConfirmationToken(TEST_SECRET, delivery!.id, new Date(Date.now() - 1000));
    expect((await request(app).get(`/confirm/${expired}`)).status).toBe(410);
    const forged = signConfirmationToken('another-secret-0123456789', delivery!.id, new Date(Date.now() + 86_400_000));
    expect((await request(app).get(`/confirm/${forged}`)).status).toBe(404);
    expect((await request(app).get('/confirm/nonsense')).status).toBe(404);
    expect((await findDeliveries({ campaignId, state: codes[2]! }))[0]!.status).toBe('sent');
  });
});

describe('the console', () => {
  it('when the form lacks what its kind needs, then it comes back with 422 and a message at the field', async () => {
    const { res } = await scheduleCampaign({ name: 'Stale', kind: 'stale', repeat: 'once' });
    expect(res.status).toBe(422);
    expect(page(res.text).errorSummaryFields()).toEqual(['months']);
    expect(page(res.text).fieldErrors()).toEqual(['months']);
  });

  it('when the secretariat previews a State in Russian and sends a test, then the preview is Russian and the test reaches only them, confirming nothing', async () => {
    const agent = secretariatAgent;
    const preview = await agent.get(`/admin/reminders/states/${codes[0]}/preview?mailLang=ru`);
    expect(preview.status).toBe(200);
    const shown = page(preview.text);
    expect(shown.text('[data-testid="subject"]')).toContain('просим проверить');
    // the preview is of no one in particular: a salutation without a name, not "Уважаемый(ая) !"
    expect(shown.text('[data-testid="body"]').startsWith('Уважаемый(ая) коллега!')).toBe(true);
    // the test is sent from the preview's own form, so in the language previewed (this member's is English)
    const sent = await agent.post(`/admin/reminders/states/${codes[0]}/test`).type('form').send({ _csrf: shown.csrfToken(), mailLang: shown.field('mailLang') });
    expect(sent.status).toBe(303);
    const mine = await smtp.waitForMessages(5).then(() => smtp.to(secretariat.user.email));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.subject).toMatch(/^\[Тест\]/);
    expect(mine[0]!.subject).toContain('просим проверить');
    expect(linksIn(mine[0]!.text ?? '').confirm).toBeUndefined();
  });

  it("when the secretariat presses 'remind this State now', then that State's focal points, and nobody else, are queued and sent", async () => {
    const agent = secretariatAgent;
    const states = page((await agent.get('/admin/reminders/states')).text);
    const question = page((await agent.get(states.attr(`tr[data-state="${codes[0]}"] a[href$="/remind"]`, 'href')!)).text);
    // it says whom it will reach before anything is sent
    expect(question.text('[data-testid="recipient-count"]')).toMatch(/will be sent now to its 2 focal points/);
    expect(question.texts('[data-testid="recipients"] li').join(' ')).toContain(english.user.email);
    const before = smtp.messages.length;
    const unconfirmed = await agent.post(`/admin/reminders/states/${codes[0]}/remind`).type('form').send({ _csrf: states.csrfToken() });
    expect(unconfirmed.headers.location).toBe(`/admin/reminders/states/${codes[0]}/remind`);
    await processDueDeliveries(jobDependencies(smtp.mailer));
    expect(smtp.messages.length).toBe(before);
    const res = await agent.post(`/admin/reminders/states/${codes[0]}/remind`).type('form').send({ _csrf: question.csrfToken(), confirmed: question.field('confirmed')! });
    expect(res.status).toBe(303);
    await processDueDeliveries(jobDependencies(smtp.mailer));
    expect(smtp.messages.length - before).toBe(2);
    expect(smtp.to(english.user.email)).toHaveLength(2);
    expect(smtp.to(russian.user.email)).toHaveLength(1);
  });

  it('when a run finds States without a focal point, then the campaign page names them in the reader\'s language', async () => {
    const { res } = await scheduleCampaign({ name: 'Smuggling at sea', kind: 'missing-designation', designation: 'SOM-8-6', repeat: 'once' });
    expect(res.status).toBe(303);
    await reminderTick();
    const report = page((await secretariatAgent.get(`${res.headers.location as string}&lang=fr`)).text);
    const warning = report.text('p.warning');
    // names, not codes: no three-capital code stands alone in the warning
    expect(warning).not.toMatch(/\b[A-Z]{3}\b/);
    const unreached = (await findState(codes[3]!))!;
    expect(warning).toContain(unreached.names.fr);
    // ?lang= is remembered: back to English for the tests that follow
    await secretariatAgent.get('/admin/reminders?lang=en');
  });

  it('when a focal point or an anonymous reader asks for the console, then it is refused', async () => {
    const agent = await signedInAgent(app, english);
    expect((await agent.get('/admin/reminders')).status).toBe(403);
    expect((await agent.get(`/admin/reminders/states/${codes[0]}/preview`)).status).toBe(403);
    expect((await request(app).get('/admin/reminders')).status).toBe(303);
  });
});

describe('campaign targets', () => {
  const summary = (code: string, fields: Partial<StateSummary>) => ({ code, countsByDesignation: {}, ...fields }) as StateSummary;
  const now = new Date('2026-01-15T00:00:00Z');
  const states = [
    summary('AAA', { lastUpdatedAt: new Date('2025-12-01T00:00:00Z'), countsByDesignation: { 'UNTOC-18-13': 1 } }),
    summary('BBB', { lastUpdatedAt: new Date('2024-01-01T00:00:00Z'), lastConfirmedAt: new Date('2025-11-01T00:00:00Z') }),
    summary('CCC', { lastUpdatedAt: new Date('2024-01-01T00:00:00Z') }),
    summary('DDD', {}),
  ];

  it('when a campaign is for stale States, then States neither updated nor confirmed for N months (or never) are targeted', () => {
    expect(campaignTargets({ kind: 'stale', months: 6 }, states, now).map((s) => s.code)).toEqual(['CCC', 'DDD']);
  });

  it('when a campaign is for a missing designation, then only States without it are targeted', () => {
    expect(campaignTargets({ kind: 'missing-designation', designation: 'UNTOC-18-13' }, states, now).map((s) => s.code)).toEqual(['BBB', 'CCC', 'DDD']);
  });
});
