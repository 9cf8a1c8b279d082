import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { claimDelivery, findDeliveries, finishClaim } from '../../src/reminders/reminders.repository';
import { confirmStillAccurate } from '../../src/editing/editing.service';
import { LEASE_MS, MAX_ATTEMPTS, BACKOFF_MS, processDueDeliveries, reminderTick } from '../../src/reminders/reminder-worker';
import { createCampaign, getCampaignReport, remindStateNow } from '../../src/reminders/reminders.service';
import { createMailer } from '../../src/shared/mail';
import { createTestUser, type TestUser } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createFocalPoint, flakyMailer, jobDependencies, setSecondaryContacts, stateCodes } from './reminder-helpers';

useTestDatabase();

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let smtp: TestSmtp;
let secretariat: TestUser;
let codes: string[];

beforeAll(async () => {
  smtp = await startTestSmtp();
  codes = await stateCodes();
  secretariat = await createTestUser({ role: 'secretariat' });
});

afterAll(async () => {
  await smtp.close();
});

/** Every delivery of the campaign reached its recipient exactly once (one message with its Message-ID). */
async function expectEachDeliveredOnce(campaignId: string): Promise<void> {
  const deliveries = await findDeliveries({ campaignId });
  expect(deliveries.length).toBeGreaterThan(0);
  for (const delivery of deliveries) {
    expect(delivery.status).toBe('sent');
    expect(smtp.messages.filter((mail) => mail.messageId === delivery.messageId)).toHaveLength(1);
  }
}

describe('a worker killed in the middle of a campaign', () => {
  it('when one worker dies holding a delivery, another stops half-way, two run at once and then a restart comes, then every recipient gets exactly one message and nobody is lost', async () => {
    for (let index = 0; index < 6; index += 1) await createFocalPoint([codes[3 + (index % 3)]!], index % 2 ? 'ru' : 'en');
    const campaign = await createCampaign(secretariat.user, { name: 'Everyone', kind: 'all-focal-points', repeat: 'once' });
    const now = new Date();
    // Two instances' schedulers tick at the same moment: the run and its deliveries are created once
    await Promise.all([reminderTick(now), reminderTick(now)]);
    const queued = await findDeliveries({ campaignId: campaign.id });
    expect(queued.length).toBeGreaterThanOrEqual(6);
    expect(new Set(queued.map((delivery) => delivery.key)).size).toBe(queued.length);

    const deps = jobDependencies(smtp.mailer);
    // Worker A claims a delivery and dies before sending it: it stays 'sending' under A's lease
    const abandoned = await claimDelivery('worker-a', now, LEASE_MS);
    expect(abandoned).toBeDefined();
    // Worker B sends two messages and is stopped
    expect((await processDueDeliveries(deps, { worker: 'worker-b', limit: 2, now })).sent).toBe(2);
    // Workers C and D run at the same time on what is left
    const [c, d] = await Promise.all([processDueDeliveries(deps, { worker: 'worker-c', now }), processDueDeliveries(deps, { worker: 'worker-d', now })]);
    expect(c.sent + d.sent).toBe(queued.length - 3);
    expect((await findDeliveries({ campaignId: campaign.id, status: 'sending' })).map((delivery) => delivery.id)).toEqual([abandoned!.id]);

    // Within A's lease nobody takes its delivery; after it, a restarted worker does
    expect((await processDueDeliveries(deps, { worker: 'worker-e', now: new Date(now.getTime() + LEASE_MS - 1000) })).sent).toBe(0);
    expect((await processDueDeliveries(deps, { worker: 'worker-e', now: new Date(now.getTime() + LEASE_MS + 1000) })).sent).toBe(1);
    // Another restart finds nothing to do, and a late scheduler tick queues nobody again
    await reminderTick(new Date(now.getTime() + 2 * LEASE_MS));
    expect((await processDueDeliveries(deps, { worker: 'worker-f', now: new Date(now.getTime() + 2 * LEASE_MS) })).sent).toBe(0);

    await expectEachDeliveredOnce(campaign.id);
    expect(smtp.messages.length).toBe(queued.length);
  });

  it('when the worker that claimed a delivery finishes after its lease was taken over, then its late outcome does not overwrite the new one', async () => {
    await createFocalPoint([codes[6]!]);
    const campaign = await remindStateNow(secretariat.user, codes[6]!);
    const now = new Date();
    const slow = await claimDelivery('slow-worker', now, LEASE_MS);
    expect((await processDueDeliveries(jobDependencies(smtp.mailer), { worker: 'fast', now: new Date(now.getTime() + LEASE_MS + 1) })).sent).toBe(1);
    expect(await finishClaim(slow!, { status: 'queued', lastError: 'late' })).toBe(false);
    await expectEachDeliveredOnce(campaign.id);
  });
});

describe('failures', () => {
  it('when the mail server cannot be reached, then the delivery is retried after the back-off and then sent once', async () => {
    const focalPoint = await createFocalPoint([codes[7]!]);
    const campaign = await remindStateNow(secretariat.user, codes[7]!);
    const mailer = flakyMailer(smtp.mailer, 2);
    const now = new Date();
    const deps = jobDependencies(mailer);
    expect((await processDueDeliveries(deps, { now })).retried).toBe(1);
    let [delivery] = await findDeliveries({ campaignId: campaign.id });
    expect(delivery!.status).toBe('queued');
    expect(delivery!.lastError).toMatch(/ECONNREFUSED/);
    expect(delivery!.nextAttemptAt.getTime()).toBe(now.getTime() + BACKOFF_MS[0]);
    expect((await processDueDeliveries(deps, { now: new Date(now.getTime() + 30_000) })).retried).toBe(0); // not due yet
    expect((await processDueDeliveries(deps, { now: new Date(now.getTime() + MINUTE) })).retried).toBe(1);
    expect((await processDueDeliveries(deps, { now: new Date(now.getTime() + 6 * MINUTE) })).sent).toBe(1);
    [delivery] = await findDeliveries({ campaignId: campaign.id });
    expect(delivery!.status).toBe('sent');
    expect(delivery!.attempts).toBe(3);
    expect(smtp.to(focalPoint.user.email)).toHaveLength(1);
  });

  it('when the SMTP server rejects the recipient with 550, then every retry is made and the delivery ends failed with the answer, shown on the campaign page', async () => {
    const rejecting = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const error = Object.assign(new Error('5.1.1 Mailbox unavailable: no such user'), { responseCode: 550 });
        if (address.address.startsWith('reject')) return callback(error);
        callback();
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => rejecting.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = rejecting.server.address() as AddressInfo;
      const mailer = createMailer({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Directory <no-reply@directory.example>' });
      await createTestUser({ role: 'focal-point', states: [codes[8]!], email: 'reject-me@test.example' });
      const campaign = await remindStateNow(secretariat.user, codes[8]!);
      const deps = jobDependencies(mailer);
      let at = Date.now();
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        const outcome = await processDueDeliveries(deps, { now: new Date(at) });
        expect(attempt < MAX_ATTEMPTS ? outcome.retried : outcome.failed).toBe(1);
        at += BACKOFF_MS[attempt - 1] ?? 0;
      }
      const [delivery] = await findDeliveries({ campaignId: campaign.id });
      expect(delivery!.status).toBe('failed');
      expect(delivery!.attempts).toBe(MAX_ATTEMPTS);
      expect(delivery!.lastError).toMatch(/^550 .*no such user/);
      expect((await processDueDeliveries(deps, { now: new Date(at + DAY) })).failed).toBe(0);
      const report = await getCampaignReport(secretariat.user, campaign.id, 'en');
      expect(report.counts.failed).toBe(1);
    } finally {
      await new Promise<void>((resolve) => rejecting.close(() => resolve()));
    }
  });
});

describe('escalation', () => {
  it('when a State neither confirms nor updates, then a second reminder goes after N days and a copy to its secondary contact N days later, once each', async () => {
    const code = codes[9]!;
    const focalPoint = await createFocalPoint([code], 'ru');
    await setSecondaryContacts(code, [{ name: 'Permanent Mission', email: 'mission@test.example', role: 'permanent mission', language: 'en' }]);
    const campaign = await createCampaign(secretariat.user, { name: 'With escalation', kind: 'all-focal-points', repeat: 'once', escalateAfterDays: 7 });
    const deps = jobDependencies(smtp.mailer);
    const start = Date.now();
    const at = (days: number) => new Date(start + days * DAY);

    await reminderTick(at(0));
    await processDueDeliveries(deps, { now: at(0) });
    expect(smtp.to(focalPoint.user.email)).toHaveLength(1);

    await reminderTick(at(6));
    await processDueDeliveries(deps, { now: at(6) });
    expect(smtp.to(focalPoint.user.email)).toHaveLength(1);

    await reminderTick(at(8));
    await reminderTick(at(8));
    await processDueDeliveries(deps, { now: at(8) });
    const toFocalPoint = smtp.to(focalPoint.user.email);
    expect(toFocalPoint).toHaveLength(2);
    expect(toFocalPoint[1]!.subject).toMatch(/^Повторное напоминание/);
    expect(smtp.to('mission@test.example')).toHaveLength(0);

    await reminderTick(at(16));
    await processDueDeliveries(deps, { now: at(16) });
    const toMission = smtp.to('mission@test.example');
    expect(toMission).toHaveLength(1);
    expect(toMission[0]!.subject).toMatch(/^For your information/);
    expect(toMission[0]!.text).toContain('permanent mission');

    await reminderTick(at(30));
    await processDueDeliveries(deps, { now: at(30) });
    expect(smtp.to(focalPoint.user.email)).toHaveLength(2);
    expect(smtp.to('mission@test.example')).toHaveLength(1);
    const stages = (await findDeliveries({ campaignId: campaign.id, state: code })).map((delivery) => delivery.stage).sort();
    expect(stages).toEqual(['first', 'second', 'secondary']);
  });

  it('when the State confirms after the first reminder, then nothing is escalated and its deliveries show it', async () => {
    const code = codes[10]!;
    const focalPoint = await createFocalPoint([code]);
    await setSecondaryContacts(code, [{ name: 'Mission', email: 'mission2@test.example' }]);
    const campaign = await remindStateNow(secretariat.user, code);
    const escalating = await createCampaign(secretariat.user, { name: 'Escalating', kind: 'all-focal-points', repeat: 'once', escalateAfterDays: 3 });
    const deps = jobDependencies(smtp.mailer);
    const start = Date.now();
    await reminderTick(new Date(start));
    await processDueDeliveries(deps, { now: new Date(start) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await confirmStillAccurate({ viewer: { kind: 'user', id: focalPoint.user.id, role: 'focal-point', states: [code] }, email: focalPoint.user.email }, code);
    await reminderTick(new Date(start + 10 * DAY));
    await processDueDeliveries(deps, { now: new Date(start + 10 * DAY) });
    expect(smtp.to('mission2@test.example')).toHaveLength(0);
    const all = [...(await findDeliveries({ campaignId: campaign.id })), ...(await findDeliveries({ campaignId: escalating.id, state: code }))];
    expect(all).toHaveLength(2);
    expect(all.every((delivery) => delivery.stage === 'first' && delivery.updatedSince)).toBe(true);
  });
});
