import { randomBytes } from 'node:crypto';
import { logger } from '../shared/logger';
import type { Mailer } from '../shared/mail';
import { confirmationExpiry, signConfirmationToken } from './confirmation-link';
import { absoluteLink, composeReminder, type MailLinks } from './reminder-mail';
import { claimDelivery, finishClaim, purgeDeletedCampaigns } from './reminders.repository';
import { firstReminderDate, materializeDueRuns, trackAndEscalate } from './reminders.service';
import { secondaryContactsOf } from '../directory/directory.service';
import type { Delivery } from './reminders.types';

/** What the reminder jobs need: the SMTP transport, the Directory's public address and the secret that signs links. */
export interface ReminderJobDependencies extends MailLinks {
  mailer: Mailer;
  /** Signs 'still accurate' links (the app's COOKIE_SECRET). */
  secret: string;
}

/** Waits before the 2nd, 3rd, 4th and 5th attempt; after the 5th failure a delivery is failed and shown as such. */
export const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000] as const;
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;
/** A worker that has not finished a delivery this long after claiming it is taken for dead, and another may reclaim it. */
export const LEASE_MS = 2 * 60_000;

/** What the SMTP server answered ("550 5.1.1 ... no such user"), or the error's message when it never answered. */
function smtpAnswer(error: unknown): string {
  const detail = error as { response?: string; message?: string };
  return String(detail.response || detail.message || error).slice(0, 1000);
}

/** A Message-ID derived from the delivery: a copy resent after a crash is recognisably the same message. */
function messageIdOf(delivery: Pick<Delivery, 'id'>, publicUrl: string): string {
  return `<reminder-${delivery.id}@${new URL(publicUrl).hostname || 'directory.invalid'}>`;
}

async function send(deps: ReminderJobDependencies, delivery: Delivery): Promise<{ messageId: string }> {
  const confirmUntil = confirmationExpiry(delivery.createdAt);
  const mail = await composeReminder(deps, {
    state: delivery.state,
    to: delivery.email,
    name: delivery.name,
    language: delivery.language,
    stage: delivery.stage,
    confirmUrl: absoluteLink(deps, `/confirm/${signConfirmationToken(deps.secret, delivery.id, confirmUntil)}`),
    confirmUntil,
    firstSentAt: delivery.stage === 'second' ? await firstReminderDate(delivery) : undefined,
    role: delivery.stage === 'secondary' ? (await secondaryContactsOf(delivery.state)).find((contact) => contact.email.toLowerCase() === delivery.email)?.role : undefined,
  });
  const messageId = messageIdOf(delivery, deps.publicUrl);
  await deps.mailer.send({ ...mail, messageId });
  return { messageId };
}

export interface WorkerOptions {
  /** The clock (tests move it on); otherwise the time of each claim. */
  now?: Date;
  /** Identifies this worker in the claim (one per process by default). */
  worker?: string;
  /** Stop after this many claims (tests stop a worker half-way). */
  limit?: number;
}

const processWorker = `worker-${randomBytes(4).toString('hex')}`;

/**
 * Sends due deliveries one at a time until none is due. Each is claimed with a lease first, so
 * several workers (instances) share the queue without sending anything twice; a delivery left
 * 'sending' by a worker that died is reclaimed when its lease runs out. A failure is retried after
 * BACKOFF_MS, then the delivery is failed with the SMTP server's answer.
 */
export async function processDueDeliveries(deps: ReminderJobDependencies, options: WorkerOptions = {}): Promise<{ sent: number; retried: number; failed: number }> {
  const outcome = { sent: 0, retried: 0, failed: 0 };
  const worker = options.worker ?? processWorker;
  for (let claimed = 0; options.limit === undefined || claimed < options.limit; claimed += 1) {
    const now = options.now ?? new Date();
    const delivery = await claimDelivery(worker, now, LEASE_MS);
    if (!delivery) break;
    try {
      const { messageId } = await send(deps, delivery);
      // Between the SMTP server's 250 and this write a crash would resend once (SMTP is at-least-once): the Message-ID stays the same.
      await finishClaim(delivery, { status: 'sent', sentAt: options.now ?? new Date(), messageId });
      outcome.sent += 1;
    } catch (error) {
      const answer = smtpAnswer(error);
      const at = options.now ?? new Date();
      if (delivery.attempts >= MAX_ATTEMPTS) {
        await finishClaim(delivery, { status: 'failed', failedAt: at, lastError: answer });
        outcome.failed += 1;
        logger.warn({ delivery: delivery.id, state: delivery.state, answer }, 'reminder failed for good');
      } else {
        await finishClaim(delivery, { status: 'queued', lastError: answer, nextAttemptAt: new Date(at.getTime() + (BACKOFF_MS[Math.min(delivery.attempts - 1, BACKOFF_MS.length - 1)] ?? BACKOFF_MS[0])) });
        outcome.retried += 1;
      }
    }
  }
  return outcome;
}

/** The scheduler's minute: finish deletions a crash interrupted, materialize due runs, note answers, queue escalations. */
export async function reminderTick(now = new Date()): Promise<void> {
  await purgeDeletedCampaigns();
  await materializeDueRuns(now);
  await trackAndEscalate(now);
}

/** The running reminder jobs; `stop()` resolves once the delivery being sent, if any, is finished. */
export interface ReminderJobs {
  stop(): Promise<void>;
}

/**
 * Starts the scheduler (every `tickMs`) and the worker (every `pollMs`, at least a second) without
 * keeping the process alive. Safe to run in every instance.
 */
export function startReminderJobs(deps: ReminderJobDependencies, options: { tickMs?: number; pollMs?: number } = {}): ReminderJobs {
  let ticking: Promise<void> | undefined;
  let working: Promise<unknown> | undefined;
  let stopping = false;
  const tick = setInterval(() => {
    if (ticking || stopping) return;
    ticking = reminderTick()
      .catch((error: unknown) => logger.error({ err: error }, 'reminder scheduler tick failed'))
      .finally(() => (ticking = undefined));
  }, options.tickMs ?? 60_000);
  const poll = setInterval(() => {
    if (working || stopping) return;
    // `limit: 1` per round: a stop waits for one delivery at most, never for the rest of the queue
    working = (async () => {
      while (!stopping) {
        const outcome = await processDueDeliveries(deps, { limit: 1 });
        if (outcome.sent + outcome.retried + outcome.failed === 0) break;
      }
    })()
      .catch((error: unknown) => logger.error({ err: error }, 'reminder worker failed'))
      .finally(() => (working = undefined));
  }, Math.max(options.pollMs ?? 5_000, 1_000));
  tick.unref();
  poll.unref();
  return {
    stop: async () => {
      stopping = true;
      clearInterval(tick);
      clearInterval(poll);
      await Promise.all([ticking, working]);
    },
  };
}
