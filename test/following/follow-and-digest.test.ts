import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { UserModel } from '../../src/accounts/user.model';
import { findAuthoritiesOfState } from '../../src/editing/editing.repository';
import { FollowModel } from '../../src/following/following.models';
import { dayOf, followState, runDigests } from '../../src/following/following.service';
import { takeClaim } from '../../src/shared/database/once';
import { createTestUser, signedInAgent, type TestUser } from '../helpers/accounts';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { changeEmails } from './following-helpers';

const DAY = 24 * 60 * 60 * 1000;
/** One hour into tomorrow (UTC): the digest run's clock for "the next day", whatever the hour the test runs at. */
const tomorrow = () => new Date(Math.floor(Date.now() / DAY) * DAY + DAY + 60 * 60 * 1000);
const SECRET = 'test-cookie-secret-0123456789';
/** A header as the message carries it (mailparser reads List-* headers into a structure of its own). */
const headerOf = (mail: ParsedMail, name: string) => mail.headerLines.find((line) => line.key === name)?.line.slice(name.length + 1).trim();

describe('following a State', () => {
  useTestDatabase();
  const app = testApp();

  it('when a signed-in practitioner follows a State from its page, then the page offers to unfollow, the account page lists it, and unfollowing removes it', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const agent = await signedInAgent(app, user);
    const before = page((await agent.get('/states/DEU')).text);
    expect(before.text('.follow button')).toBe('Follow this State');
    const followed = await agent.post('/states/DEU/follow').type('form').send({ _csrf: before.csrfToken('.follow form') });
    expect(followed.status).toBe(303);
    expect(followed.headers.location).toBe('/states/DEU?following=1');
    const after = page((await agent.get('/states/DEU?following=1')).text);
    expect(after.text('.follow [role="status"]')).toBe('You now follow Germany.');
    expect(after.text('.follow button')).toBe('Stop following this State');
    const account = page((await agent.get('/account')).text);
    expect(account.texts('.followed-states li a')).toEqual(['Germany']);
    const unfollowed = await agent.post('/states/DEU/unfollow').type('form').send({ _csrf: account.csrfToken('.followed-states form'), from: 'account' });
    expect(unfollowed.headers.location).toBe('/account');
    expect(page((await agent.get('/account')).text).count('.followed-states li')).toBe(0);
  });

  it('when a focal point follows a restricted State they may not see, then it is followed too (what they are told is decided per change)', async () => {
    const user = await createTestUser({ role: 'focal-point', states: ['FRA'] });
    const agent = await signedInAgent(app, user);
    const form = page((await agent.get('/states/RUS')).text);
    expect((await agent.post('/states/RUS/follow').type('form').send({ _csrf: form.csrfToken('.follow form') })).status).toBe(303);
    expect(await FollowModel.countDocuments({ user: user.user.id, state: 'RUS' })).toBe(1);
  });

  it('when an anonymous reader posts a follow, then they are sent to sign in; without the CSRF token a signed-in user is refused; an unknown State is a 404', async () => {
    const anonymous = await request(app).post('/states/DEU/follow').type('form').send({});
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/sign-in?returnTo=%2Fstates%2FDEU%2Ffollow');
    expect(page((await request(app).get('/states/DEU')).text).count('.follow form')).toBe(0);
    const user = await createTestUser({ role: 'practitioner' });
    const agent = await signedInAgent(app, user);
    expect((await agent.post('/states/DEU/follow').type('form').send({})).status).toBe(403);
    const form = page((await agent.get('/states/DEU')).text);
    expect((await agent.post('/states/XYZ/follow').type('form').send({ _csrf: form.csrfToken('.follow form') })).status).toBe(404);
    expect(await FollowModel.countDocuments({ user: user.user.id })).toBe(0);
  });
});

describe('the daily digest', () => {
  useTestDatabase();
  const app = testApp();
  let smtp: TestSmtp;
  let french: TestUser;
  let focalOther: TestUser;
  const deps = () => ({ mailer: smtp.mailer, publicUrl: 'http://localhost', secret: SECRET });

  beforeAll(async () => {
    smtp = await startTestSmtp();
    french = await createTestUser({ role: 'practitioner' });
    await UserModel.updateOne({ _id: french.user.id }, { $set: { language: 'fr' } });
    focalOther = await createTestUser({ role: 'focal-point', states: ['FRA'] });
    await followState(french.user, 'DEU');
    await followState(french.user, 'RUS');
    await followState(focalOther.user, 'RUS');
  });
  afterAll(async () => smtp.close());

  it('when nothing changed since they followed, then no digest is sent', async () => {
    const outcome = await runDigests(deps(), new Date(Date.now() + 1000));
    expect(outcome.sent).toBe(0);
    expect(outcome['nothing-new']).toBe(2);
    expect(smtp.messages).toHaveLength(0);
  });

  it('when followed States change, then the next day each follower gets one digest in their language with what they may see and a one-click unsubscribe', async () => {
    const deu = await changeEmails('DEU', 'digest@justice.de.example');
    const rus = (await findAuthoritiesOfState('RUS'))[0]!;
    await changeEmails('RUS', 'digest@prosecutor.ru.example');
    const outcome = await runDigests(deps(), tomorrow());
    expect(outcome.sent).toBe(2);
    await smtp.waitForMessages(2);

    const [toFrench] = smtp.to(french.user.email);
    expect(toFrench!.subject).toMatch(/^Modifications des États que vous suivez, /);
    expect(toFrench!.headers.get('content-language')).toBe('fr');
    expect(toFrench!.text).toContain(`Allemagne, ${deu.name.original} (${deu.name.en}) : modification`);
    expect(toFrench!.text).toContain('Champs modifiés : Adresses électroniques.');
    // a practitioner may see the restricted State's details
    expect(toFrench!.text).toContain(`Fédération de Russie, ${rus.name.original} (${rus.name.en}) : modification`);
    expect(toFrench!.text).not.toContain('digest@justice.de.example');
    const unsubscribe = String(headerOf(toFrench!, 'list-unsubscribe'));
    expect(unsubscribe).toMatch(/^<http:\/\/localhost\/unsubscribe\/[a-f0-9]{24}\.[A-Za-z0-9_-]{43}>$/);
    expect(headerOf(toFrench!, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(toFrench!.text).toContain(unsubscribe.slice(1, -1));

    // a focal point of another State is told only that the restricted State's entry changed
    const [toFocal] = smtp.to(focalOther.user.email);
    expect(toFocal!.subject).toMatch(/^Changes to the States you follow, /);
    expect(toFocal!.text).toContain('Russian Federation: its entry changed');
    for (const hidden of [rus.name.en, rus.name.original, 'digest@prosecutor.ru.example', 'E-mail addresses']) expect(toFocal!.text).not.toContain(hidden);
  });

  it('when the digest run comes again the same day, even on two instances at once after a new change, then nobody gets a second digest that day', async () => {
    await changeEmails('DEU', 'second@justice.de.example');
    const sameDay = new Date(tomorrow().getTime() + 60_000);
    const runs = await Promise.all([runDigests(deps(), sameDay), runDigests(deps(), sameDay)]);
    expect(runs.map((run) => run.sent)).toEqual([0, 0]);
    expect(smtp.messages).toHaveLength(2);
  });

  it('when two instances run the next day’s digests at once, then each follower with news gets exactly one', async () => {
    const nextDay = new Date(tomorrow().getTime() + DAY);
    const runs = await Promise.all([runDigests(deps(), nextDay), runDigests(deps(), nextDay)]);
    expect(runs[0]!.sent + runs[1]!.sent).toBe(1);
    await smtp.waitForMessages(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.to(french.user.email)).toHaveLength(2);
    expect(smtp.to(french.user.email)[1]!.text).toContain('Allemagne');
    expect(smtp.to(focalOther.user.email)).toHaveLength(1);
  });

  it('when an instance died holding a follower’s digest claim (nothing sent, no mark), then others skip that digest until the claim expires, and then it is sent once, with the same Message-ID', async () => {
    await changeEmails('DEU', 'after-crash@justice.de.example');
    const thirdDay = new Date(tomorrow().getTime() + 2 * DAY);
    // what a process killed between its claim and the send leaves behind
    expect(await takeClaim(`digest:${french.user.id}:${dayOf(thirdDay)}`, { at: thirdDay, ttlMs: 5 * 60_000 })).toBeDefined();
    expect((await runDigests(deps(), thirdDay))['held-elsewhere']).toBe(1);
    expect(smtp.to(french.user.email)).toHaveLength(2);
    const afterLease = new Date(thirdDay.getTime() + 6 * 60_000);
    expect((await runDigests(deps(), afterLease)).sent).toBe(1);
    expect((await runDigests(deps(), new Date(afterLease.getTime() + 60_000))).sent).toBe(0);
    await smtp.waitForMessages(4);
    const digests = smtp.to(french.user.email);
    expect(digests).toHaveLength(3);
    expect(digests[2]!.messageId).toBe(`<digest-${french.user.id}-${dayOf(thirdDay)}@localhost>`);
  });

  it('when the stop-following link of one State in a digest is clicked, then it asks first, and one click stops that State only', async () => {
    const text = smtp.to(french.user.email)[0]!.text ?? '';
    const links = [...text.matchAll(/http:\/\/localhost(\/unfollow\/[^\s]+)/g)].map((match) => match[1]!);
    const germany = links.find((link) => link.includes('.DEU.'));
    expect(germany).toBeDefined();
    expect(text).toContain(`Pour cesser de suivre Allemagne seulement, en un clic : http://localhost${germany}`);
    const asked = await request(app).get(`${germany}?lang=fr`);
    expect(asked.status).toBe(200);
    expect(page(asked.text).attr('form[method="post"]', 'action')).toBe(germany);
    expect(page(asked.text).text('h1')).toBe('Ne plus suivre Allemagne');
    expect(await FollowModel.countDocuments({ user: french.user.id })).toBe(2);
    const done = await request(app).post(germany!).type('form').send('');
    expect(done.status).toBe(200);
    expect(await FollowModel.find({ user: french.user.id }).distinct('state')).toEqual(['RUS']);
    // Signed for one user and one State: another State or a forged signature is a 404 and changes nothing
    const other = germany!.replace('.DEU.', '.RUS.');
    expect((await request(app).post(other)).status).toBe(404);
    expect((await request(app).get(`/unfollow/${french.user.id}.RUS.${'A'.repeat(43)}`)).status).toBe(404);
    expect(await FollowModel.countDocuments({ user: french.user.id })).toBe(1);
    await followState(french.user, 'DEU');
  });

  it('when the unsubscribe link is opened without signing in, then it asks first, and one click (or a mail client’s one-click POST) stops every follow', async () => {
    const link = String(headerOf(smtp.to(french.user.email)[0]!, 'list-unsubscribe')).slice('<http://localhost'.length, -1);
    const asked = await request(app).get(link);
    expect(asked.status).toBe(200);
    expect(page(asked.text).attr('form[method="post"]', 'action')).toBe(link);
    expect(await FollowModel.countDocuments({ user: french.user.id })).toBe(2);
    const done = await request(app).post(link).type('form').send('List-Unsubscribe=One-Click');
    expect(done.status).toBe(200);
    expect(page(done.text).text('[role="status"]')).toBe('You follow no State any more and will receive no more e-mails about changes.');
    expect(await FollowModel.countDocuments({ user: french.user.id })).toBe(0);
    expect(await FollowModel.countDocuments({ user: focalOther.user.id })).toBe(1);
  });

  it('when an unsubscribe link was not signed by the Directory, then it is a 404 and changes nothing', async () => {
    const forged = `/unsubscribe/${focalOther.user.id}.${'A'.repeat(43)}`;
    expect((await request(app).get(forged)).status).toBe(404);
    expect((await request(app).post(forged)).status).toBe(404);
    expect(await FollowModel.countDocuments({ user: focalOther.user.id })).toBe(1);
  });
});
