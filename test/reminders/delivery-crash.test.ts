import { findDeliveries } from '../../src/reminders/reminders.repository';
import { LEASE_MS, processDueDeliveries, reminderTick } from '../../src/reminders/reminder-worker';
import { createCampaign } from '../../src/reminders/reminders.service';
import { logger } from '../../src/shared/logger';
import { createTestUser, type TestUser } from '../helpers/accounts';
import { startCrashChild, type CrashChild } from '../helpers/crash-child';
import { useTestDatabase } from '../helpers/database';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createFocalPoint, jobDependencies, stateCodes } from './reminder-helpers';

jest.setTimeout(120_000);
useTestDatabase();

let smtp: TestSmtp;
let secretariat: TestUser;
let codes: string[];
const children: CrashChild[] = [];

beforeAll(async () => {
  smtp = await startTestSmtp();
  codes = await stateCodes();
  secretariat = await createTestUser({ role: 'secretariat' });
});

afterAll(async () => {
  for (const child of children) await child.kill();
  await smtp.close();
});

async function queueCampaign(name: string, states: string[]): Promise<{ id: string; count: number }> {
  for (const code of states) await createFocalPoint([code]);
  const campaign = await createCampaign(secretariat.user, { name, kind: 'all-focal-points', repeat: 'once' });
  await reminderTick(new Date());
  return { id: campaign.id, count: (await findDeliveries({ campaignId: campaign.id })).length };
}

async function expectEachSentOnce(campaignId: string, count: number): Promise<void> {
  const deliveries = await findDeliveries({ campaignId });
  expect(deliveries).toHaveLength(count);
  for (const delivery of deliveries) {
    expect(delivery.status).toBe('sent');
    expect(smtp.messages.filter((mail) => mail.messageId === delivery.messageId)).toHaveLength(1);
  }
}

describe('a reminder worker killed while claiming a delivery', () => {
  /** A worker claims a delivery in a child process, stops at `point`, and is killed there with SIGKILL. */
  async function killWorkerAt(point: 'delivery:claimed' | 'delivery:held'): Promise<void> {
    const child = startCrashChild({ pauseAt: { point }, claimLeaseMs: LEASE_MS, journalLeaseMs: LEASE_MS, viewer: { id: secretariat.user.id, role: 'secretariat', states: [] }, task: { kind: 'claim-delivery', leaseMs: LEASE_MS } });
    children.push(child);
    expect(await child.stopped).toBe(point);
    await child.kill();
  }

  it('when it is killed between its claim and the delivery’s update, then the other deliveries go at once and the orphaned one once its claim has expired, each exactly once', async () => {
    const campaign = await queueCampaign('Killed mid-claim', codes.slice(10, 14));
    await killWorkerAt('delivery:claimed');

    const deps = jobDependencies(smtp.mailer);
    const warn = jest.spyOn(logger, 'warn');
    // The queue does not stop behind the orphaned claim, and nobody takes the claim within its lease
    expect((await processDueDeliveries(deps)).sent).toBe(campaign.count - 1);
    const later = new Date(Date.now() + LEASE_MS + 1000);
    expect((await processDueDeliveries(deps, { now: later })).sent).toBe(1);
    expect((await processDueDeliveries(deps, { now: later })).sent).toBe(0);
    await expectEachSentOnce(campaign.id, campaign.count);
    // The orphaned claim is said once, at warn level
    expect(warn.mock.calls.filter(([, message]) => String(message).startsWith('an expired claim was taken over'))).toHaveLength(1);
    warn.mockRestore();
  });

  it('when it is killed holding a claimed delivery, then the others go at once and that one once its lease has run out, each exactly once', async () => {
    const campaign = await queueCampaign('Killed holding', codes.slice(20, 23));
    await killWorkerAt('delivery:held');

    const deps = jobDependencies(smtp.mailer);
    expect((await processDueDeliveries(deps)).sent).toBe(campaign.count - 1);
    expect((await processDueDeliveries(deps, { now: new Date(Date.now() + LEASE_MS + 1000) })).sent).toBe(1);
    await expectEachSentOnce(campaign.id, campaign.count);
  });
});
