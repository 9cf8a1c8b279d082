import type { AccountUser } from '../accounts/accounts.types';
import { recordAuditEvent } from '../audit/audit.service';
import { listActiveFocalPoints } from '../accounts/user-admin.service';
import { listDesignationTypes, listStates, secondaryContactsOf, type StateSummary } from '../directory/directory.service';
import type { UnLanguage } from '../directory/directory.types';
import { confirmStillAccurate } from '../editing/editing.service';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { isStale, lastActivityOf, STALE_AFTER_MONTHS } from '../shared/freshness';
import type { Mailer, OutgoingMail } from '../shared/mail';
import { confirmationExpiry, verifyConfirmationToken } from './confirmation-link';
import { absoluteLink, composeReminder, type MailLinks } from './reminder-mail';
import { assertLinkCoversState, assertManagesReminders, linkViewer } from './reminders.policy';
import {
  advanceCampaign,
  findCampaign,
  findCampaigns,
  findDeliveries,
  findDelivery,
  findDueCampaigns,
  findHeldCampaignIds,
  findRun,
  findRuns,
  insertCampaign,
  markCampaignDeleted,
  markStateConfirmed,
  markUpdatedSince,
  purgeDeletedCampaigns,
  queueDelivery,
  releaseLink,
  setCampaignPaused,
  setRunWithoutFocalPoint,
  updateCampaign as storeCampaignChange,
  upsertRun,
  useLink,
} from './reminders.repository';
import type { CampaignInput } from './reminders.schema';
import type { Campaign, Delivery, DeliveryStatus, Run } from './reminders.types';
import { DELIVERY_STATUSES } from './reminder.models';

const DAY_MS = 24 * 60 * 60 * 1000;

function addMonths(date: Date, months: number): Date {
  const next = new Date(date);
  next.setUTCMonth(next.getUTCMonth() + months);
  return next;
}

/** Most recent of the State's last-updated and last-confirmed stamps, or 0 when it has neither. */
const latestStamp = (state: Pick<StateSummary, 'lastUpdatedAt' | 'lastConfirmedAt'>) => lastActivityOf(state)?.getTime() ?? 0;

/** The States a campaign is about at `now`. */
export function campaignTargets(campaign: Pick<Campaign, 'kind' | 'months' | 'designation' | 'state'>, states: StateSummary[], now: Date): StateSummary[] {
  switch (campaign.kind) {
    case 'all-focal-points':
      return states;
    case 'stale':
      return states.filter((state) => isStale(state, now, campaign.months ?? STALE_AFTER_MONTHS));
    case 'missing-designation':
      return states.filter((state) => !state.countsByDesignation[campaign.designation ?? '']);
    case 'single-state':
      return states.filter((state) => state.code === campaign.state);
  }
}

type FocalPoint = Awaited<ReturnType<typeof listActiveFocalPoints>>[number];

/** The focal points who answer for a State: the recipients of every reminder about it. */
function focalPointsOf(focalPoints: FocalPoint[], code: string): FocalPoint[] {
  return focalPoints.filter((user) => user.states.includes(code));
}

export interface CampaignAudience {
  /** E-mails the first run would send (one per focal point per State). */
  recipients: number;
  /** States with at least one focal point to write to. */
  statesReached: number;
  /** States the campaign is about that have nobody to write to, by name. */
  withoutFocalPoint: Array<{ code: string; name: string }>;
}

/** Whom a campaign would reach if it ran now: shown before it is scheduled. */
export async function campaignAudience(actor: AccountUser | undefined, input: CampaignInput, lang: UnLanguage, now = new Date()): Promise<CampaignAudience> {
  assertManagesReminders(actor);
  const targets = campaignTargets({ kind: input.kind, months: input.kind === 'stale' ? input.months : undefined, designation: input.kind === 'missing-designation' ? input.designation : undefined }, await listStates({}, lang, now), now);
  const focalPoints = await listActiveFocalPoints();
  const audience: CampaignAudience = { recipients: 0, statesReached: 0, withoutFocalPoint: [] };
  for (const state of targets) {
    const count = focalPointsOf(focalPoints, state.code).length;
    audience.recipients += count;
    if (count > 0) audience.statesReached += 1;
    else audience.withoutFocalPoint.push({ code: state.code, name: state.name });
  }
  return audience;
}

/** The parameters of a campaign a form defines: each kept only where its kind or schedule uses it. */
async function campaignDefinition(input: CampaignInput): Promise<Pick<Campaign, 'name' | 'kind' | 'months' | 'designation' | 'everyMonths' | 'escalateAfterDays'>> {
  if (input.kind === 'missing-designation' && !(await listDesignationTypes()).some((type) => type.code === input.designation)) {
    throw new ValidationError({ designation: 'errors.designation' });
  }
  return {
    name: input.name,
    kind: input.kind,
    months: input.kind === 'stale' ? input.months : undefined,
    designation: input.kind === 'missing-designation' ? input.designation : undefined,
    everyMonths: input.repeat === 'every' ? input.everyMonths : undefined,
    escalateAfterDays: input.escalateAfterDays,
  };
}

/** Defines a campaign; its first run is materialized by the scheduler at `startsAt` (or at once if that is past). */
export async function createCampaign(actor: AccountUser | undefined, input: CampaignInput, now = new Date()): Promise<Campaign> {
  assertManagesReminders(actor);
  return insertCampaign({ ...(await campaignDefinition(input)), startsAt: input.startsAt ?? now, nextRunAt: input.startsAt ?? now, createdBy: actor.email, createdAt: now });
}

/** 'Remind this State now' campaigns were one State sent at once: there is nothing left to change. */
export const isEditable = (campaign: Pick<Campaign, 'kind'>) => campaign.kind !== 'single-state';

async function existingCampaign(id: string): Promise<Campaign> {
  const campaign = await findCampaign(id);
  if (!campaign) throw new NotFoundError('No such campaign');
  return campaign;
}

async function editableCampaign(id: string): Promise<Campaign> {
  const campaign = await existingCampaign(id);
  if (!isEditable(campaign)) throw new ConflictError('This campaign reminded one State at once; it can be deleted, not changed.');
  return campaign;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The edit form's fields, as the campaign stands: its next sending in the date field. */
export async function campaignFormValues(actor: AccountUser | undefined, id: string): Promise<{ campaign: Campaign; values: Record<string, string> }> {
  assertManagesReminders(actor);
  const campaign = await editableCampaign(id);
  const text = (value: number | string | undefined) => (value === undefined ? '' : String(value));
  return {
    campaign,
    values: {
      name: campaign.name,
      kind: campaign.kind,
      months: text(campaign.months),
      designation: text(campaign.designation),
      startsAt: campaign.nextRunAt ? isoDay(campaign.nextRunAt) : '',
      repeat: campaign.everyMonths ? 'every' : 'once',
      everyMonths: text(campaign.everyMonths),
      escalateAfterDays: text(campaign.escalateAfterDays),
    },
  };
}

/**
 * The next sending after an edit. A date given is the next sending (the same day as before keeps
 * its hour); no date stops a single campaign, and lets a repeating one go on from its last run.
 */
export function nextRunAfterEdit(campaign: Pick<Campaign, 'nextRunAt'>, input: Pick<CampaignInput, 'startsAt' | 'repeat' | 'everyMonths'>, lastRun: Date | undefined, now: Date): Date | null {
  if (input.startsAt) return campaign.nextRunAt && isoDay(campaign.nextRunAt) === isoDay(input.startsAt) ? campaign.nextRunAt : input.startsAt;
  if (input.repeat !== 'every' || !input.everyMonths) return null;
  if (campaign.nextRunAt) return campaign.nextRunAt;
  if (!lastRun) return now;
  let next = addMonths(lastRun, input.everyMonths);
  while (next.getTime() <= now.getTime()) next = addMonths(next, input.everyMonths);
  return next;
}

type CampaignChange = 'edited' | 'paused' | 'resumed' | 'deleted';

async function auditCampaignChange(actor: AccountUser, campaign: Campaign, change: CampaignChange, context: { ip?: string }, now: Date): Promise<void> {
  await recordAuditEvent({ type: 'reminder-campaign-changed', actorId: actor.id, actorEmail: actor.email, subject: campaign.id, ip: context.ip, details: { campaign: campaign.name, change } }, now);
}

/** Changes a campaign's definition and schedule; what was already sent stays as it was. */
export async function updateCampaign(actor: AccountUser | undefined, id: string, input: CampaignInput, context: { ip?: string } = {}, now = new Date()): Promise<Campaign> {
  assertManagesReminders(actor);
  const campaign = await editableCampaign(id);
  const definition = await campaignDefinition(input);
  const [lastRun] = await findRuns({ campaignId: id });
  const nextRunAt = nextRunAfterEdit(campaign, input, lastRun?.scheduledFor, now);
  const optional = ['months', 'designation', 'everyMonths', 'escalateAfterDays'] as const;
  const set = Object.fromEntries(Object.entries(definition).filter(([, value]) => value !== undefined));
  const unset = optional.filter((field) => definition[field] === undefined);
  if (!(await storeCampaignChange(id, { ...set, nextRunAt, updatedAt: now, updatedBy: actor.email }, unset))) throw new NotFoundError('No such campaign');
  await auditCampaignChange(actor, campaign, 'edited', context, now);
  return { ...campaign, ...definition, nextRunAt: nextRunAt ?? undefined };
}

/** Pauses a campaign: no run starts and nothing it has queued is sent or escalated until it is resumed. */
export async function pauseCampaign(actor: AccountUser | undefined, id: string, context: { ip?: string } = {}, now = new Date()): Promise<void> {
  assertManagesReminders(actor);
  const campaign = await existingCampaign(id);
  if (campaign.pausedAt) return;
  await setCampaignPaused(id, now, actor.email);
  await auditCampaignChange(actor, campaign, 'paused', context, now);
}

/** Resumes a paused campaign: what fell due meanwhile goes out at once. */
export async function resumeCampaign(actor: AccountUser | undefined, id: string, context: { ip?: string } = {}, now = new Date()): Promise<void> {
  assertManagesReminders(actor);
  const campaign = await existingCampaign(id);
  if (!campaign.pausedAt) return;
  await setCampaignPaused(id, null, actor.email);
  await auditCampaignChange(actor, campaign, 'resumed', context, now);
}

/** Deletes a campaign with its runs and deliveries; nothing it queued is sent any more. */
export async function deleteCampaign(actor: AccountUser | undefined, id: string, context: { ip?: string } = {}, now = new Date()): Promise<void> {
  assertManagesReminders(actor);
  const campaign = await existingCampaign(id);
  if (!(await markCampaignDeleted(id, now, actor.email))) return;
  await auditCampaignChange(actor, campaign, 'deleted', context, now);
  await purgeDeletedCampaigns();
}

/**
 * Queues every recipient of one run: the active focal points of each targeted State. Idempotent:
 * the run and each delivery have unique keys, so a second call (another instance, or a restart
 * after a crash half-way) queues only who is missing.
 */
async function materializeRun(campaign: Campaign, scheduledFor: Date, now: Date): Promise<number> {
  const run = await upsertRun({ key: `${campaign.id}@${scheduledFor.toISOString()}`, campaignId: campaign.id, scheduledFor, startedAt: now, escalateAfterDays: campaign.escalateAfterDays, withoutFocalPoint: [] });
  const targets = campaignTargets(campaign, await listStates({}, 'en', now), now);
  const focalPoints = await listActiveFocalPoints();
  const withoutFocalPoint: string[] = [];
  let queued = 0;
  for (const state of targets) {
    const recipients = focalPointsOf(focalPoints, state.code);
    // A State nobody answers for is listed on the campaign page, unless everyone was targeted.
    if (recipients.length === 0 && campaign.kind !== 'all-focal-points') withoutFocalPoint.push(state.code);
    for (const user of recipients) {
      if (await queueDelivery({ runKey: run.key, campaignId: campaign.id, state: state.code, email: user.email, name: user.name, language: user.language, userId: user.id, stage: 'first' }, now)) queued += 1;
    }
  }
  await setRunWithoutFocalPoint(run.key, withoutFocalPoint);
  return queued;
}

/** Materializes every run that is due; each campaign then moves on to its next date (or none). Returns how many deliveries were queued. */
export async function materializeDueRuns(now = new Date()): Promise<number> {
  let queued = 0;
  for (const campaign of await findDueCampaigns(now)) {
    const scheduledFor = campaign.nextRunAt as Date;
    queued += await materializeRun(campaign, scheduledFor, now);
    let next: Date | null = null;
    if (campaign.everyMonths) {
      next = addMonths(scheduledFor, campaign.everyMonths);
      // After a long stop, runs missed meanwhile are not sent one after the other: the next one is in the future.
      while (next.getTime() <= now.getTime()) next = addMonths(next, campaign.everyMonths);
    }
    await advanceCampaign(campaign.id, scheduledFor, next);
  }
  return queued;
}

/** The State with `code` as listed in `lang`, or a NotFoundError. */
async function stateSummary(code: string, lang: UnLanguage, now: Date): Promise<StateSummary> {
  const state = (await listStates({}, lang, now)).find((summary) => summary.code === code);
  if (!state) throw new NotFoundError(`No State or participant with code ${code}`);
  return state;
}

/** Who a 'remind this State now' would reach: the State's name and its active focal points. */
export async function remindNowRecipients(actor: AccountUser | undefined, code: string, lang: UnLanguage, now = new Date()): Promise<{ stateName: string; recipients: Array<{ name: string; email: string }> }> {
  assertManagesReminders(actor);
  const state = await stateSummary(code, lang, now);
  const recipients = focalPointsOf(await listActiveFocalPoints(), code).map(({ name, email }) => ({ name, email }));
  return { stateName: state.name, recipients };
}

/** 'Remind this State now': a one-State campaign, queued at once. */
export async function remindStateNow(actor: AccountUser | undefined, code: string, now = new Date()): Promise<Campaign> {
  assertManagesReminders(actor);
  const state = await stateSummary(code, 'en', now);
  const campaign = await insertCampaign({ name: state.name, kind: 'single-state', state: code, startsAt: now, createdBy: actor.email, createdAt: now });
  await materializeRun(campaign, now, now);
  return campaign;
}

export type StatusCounts = Record<DeliveryStatus, number>;

function countByStatus(deliveries: Delivery[]): StatusCounts {
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as StatusCounts;
  for (const delivery of deliveries) counts[delivery.status] += 1;
  return counts;
}

/** Every campaign, newest first, with its deliveries counted by status. */
export async function listCampaigns(actor: AccountUser | undefined): Promise<Array<Campaign & { counts: StatusCounts; updatedSince: number }>> {
  assertManagesReminders(actor);
  const campaigns = await findCampaigns();
  return Promise.all(
    campaigns.map(async (campaign) => {
      const deliveries = await findDeliveries({ campaignId: campaign.id });
      return { ...campaign, counts: countByStatus(deliveries), updatedSince: deliveries.filter((delivery) => delivery.updatedSince).length };
    }),
  );
}

/** One campaign with its runs and every delivery (failed ones with the SMTP server's answer). */
export async function getCampaignReport(
  actor: AccountUser | undefined,
  id: string,
  lang: UnLanguage,
): Promise<{ campaign: Campaign; runs: Run[]; deliveries: Delivery[]; counts: StatusCounts; stateNames: Record<string, string> }> {
  assertManagesReminders(actor);
  const campaign = await findCampaign(id);
  if (!campaign) throw new NotFoundError('No such campaign');
  const deliveries = await findDeliveries({ campaignId: id });
  // Runs record State codes; the page names them in the reader's language
  const stateNames = Object.fromEntries((await listStates({}, lang)).map((state) => [state.code, state.name]));
  return { campaign, runs: await findRuns({ campaignId: id }), deliveries, counts: countByStatus(deliveries), stateNames };
}

/** The States with their stamps and how many active focal points each has: the page 'remind this State now' starts from. */
export async function listStateRows(actor: AccountUser | undefined, lang: UnLanguage, now = new Date()): Promise<Array<StateSummary & { focalPoints: number }>> {
  assertManagesReminders(actor);
  const focalPoints = await listActiveFocalPoints();
  return (await listStates({}, lang, now)).map((state) => ({ ...state, focalPoints: focalPointsOf(focalPoints, state.code).length }));
}

/** The reminder a State's focal point would get, in `lang`, with a stand-in for the still-accurate link. */
export async function previewReminder(actor: AccountUser | undefined, links: MailLinks, code: string, lang: UnLanguage, now = new Date()): Promise<OutgoingMail> {
  assertManagesReminders(actor);
  return composeReminder(links, { state: code, to: '', name: '', language: lang, stage: 'first', confirmUrl: absoluteLink(links, '/confirm/…'), confirmUntil: confirmationExpiry(now) });
}

/** Sends the reminder about a State to the secretariat member themselves, marked as a test: its link confirms nothing. In `lang`, or else in theirs. */
export async function sendTestReminder(actor: AccountUser | undefined, links: MailLinks, mailer: Mailer, code: string, lang?: UnLanguage): Promise<void> {
  assertManagesReminders(actor);
  await mailer.send(await composeReminder(links, { state: code, to: actor.email, name: actor.name, language: lang ?? actor.language, stage: 'first', test: true }));
}

/**
 * Notes States updated or confirmed since a run started and, for runs with escalation, queues the
 * second reminder N days after the first, then the copy to the State's secondary contacts N days
 * after the second, while the State stays neither updated nor confirmed. Idempotent (unique keys).
 */
export async function trackAndEscalate(now = new Date()): Promise<number> {
  const states = new Map((await listStates({}, 'en', now)).map((state) => [state.code, state]));
  const recent = (await findRuns()).filter((run) => run.startedAt.getTime() > now.getTime() - 400 * DAY_MS);
  const held = new Set(await findHeldCampaignIds());
  let queued = 0;
  for (const run of recent) {
    const deliveries = await findDeliveries({ runKey: run.key });
    for (const code of new Set(deliveries.map((delivery) => delivery.state))) {
      const state = states.get(code);
      const ofState = deliveries.filter((delivery) => delivery.state === code);
      const stamp = state ? latestStamp(state) : 0;
      if (stamp > run.startedAt.getTime()) {
        if (ofState.some((delivery) => !delivery.updatedSince)) await markUpdatedSince(run.key, code, new Date(stamp));
        continue;
      }
      if (!run.escalateAfterDays || held.has(run.campaignId) || ofState.some((delivery) => delivery.status === 'confirmed')) continue;
      const cutoff = now.getTime() - run.escalateAfterDays * DAY_MS;
      const due = (stage: Delivery['stage']) => ofState.filter((delivery) => delivery.stage === stage && delivery.status === 'sent' && delivery.sentAt && delivery.sentAt.getTime() <= cutoff);
      for (const first of due('first')) {
        if (await queueDelivery({ runKey: run.key, campaignId: run.campaignId, state: code, email: first.email, name: first.name, language: first.language, userId: first.userId, stage: 'second' }, now)) queued += 1;
      }
      if (due('second').length > 0) {
        for (const contact of await secondaryContactsOf(code)) {
          if (await queueDelivery({ runKey: run.key, campaignId: run.campaignId, state: code, email: contact.email, name: contact.name, language: contact.language ?? 'en', stage: 'secondary' }, now)) queued += 1;
        }
      }
    }
  }
  return queued;
}

export type LinkRefusal = { ok: false; reason: 'invalid' | 'expired' | 'used' };
export type LinkOpening = { ok: true; delivery: Delivery; stateName: string };

async function openLink(secret: string, token: string, lang: UnLanguage, now: Date): Promise<LinkOpening | LinkRefusal> {
  const check = verifyConfirmationToken(secret, token, now);
  if (!check.ok) return check;
  const delivery = await findDelivery(check.deliveryId);
  if (!delivery) return { ok: false, reason: 'invalid' };
  if (delivery.linkUsedAt) return { ok: false, reason: 'used' };
  const state = (await listStates({}, lang, now)).find((summary) => summary.code === delivery.state);
  return { ok: true, delivery, stateName: state?.name ?? delivery.state };
}

/** What a 'still accurate' link is about, without using it (link scanners that fetch it confirm nothing). */
export async function peekConfirmation(secret: string, token: string, lang: UnLanguage, now = new Date()): Promise<LinkOpening | LinkRefusal> {
  return openLink(secret, token, lang, now);
}

/**
 * Uses a 'still accurate' link once: claims it, records the confirmation through the editing
 * component (a revision, and the State's last-confirmed date), and marks the run's deliveries to
 * that State confirmed, which also stops their escalation.
 */
export async function confirmByLink(secret: string, token: string, lang: UnLanguage, now = new Date()): Promise<LinkOpening | LinkRefusal> {
  const opened = await openLink(secret, token, lang, now);
  if (!opened.ok) return opened;
  const { delivery } = opened;
  if (!(await useLink(delivery.id, now))) return { ok: false, reason: 'used' };
  try {
    assertLinkCoversState(delivery, delivery.state);
    await confirmStillAccurate({ viewer: linkViewer(delivery), email: delivery.email }, delivery.state);
  } catch (error) {
    // Nothing was recorded: the link stays usable.
    await releaseLink(delivery.id);
    throw error;
  }
  await markStateConfirmed(delivery.runKey, delivery.state, now);
  return opened;
}

/** The first reminder to the same recipient in the same run, to date a second reminder. */
export async function firstReminderDate(delivery: Pick<Delivery, 'runKey' | 'state' | 'email'>): Promise<Date | undefined> {
  const firsts = await findDeliveries({ runKey: delivery.runKey, state: delivery.state, stage: 'first' });
  const mine = firsts.find((first) => first.email === delivery.email) ?? firsts[0];
  return mine?.sentAt ?? (await findRun(delivery.runKey))?.startedAt;
}

/** Where a State stands with reminders: messages still to go out, reminders sent and not answered, the last one sent. */
export interface StateReminderStatus {
  pending: number;
  unanswered: number;
  lastSentAt?: Date;
}

/**
 * Reminder status of every State that has had a reminder, for the secretariat's dashboard. A sent
 * reminder counts as answered once the State confirmed or updated its entry after it.
 */
export async function reminderStatusByState(): Promise<Map<string, StateReminderStatus>> {
  const byState = new Map<string, StateReminderStatus>();
  for (const delivery of await findDeliveries()) {
    const status = byState.get(delivery.state) ?? { pending: 0, unanswered: 0 };
    if (delivery.status === 'queued' || delivery.status === 'sending') status.pending += 1;
    if (delivery.status === 'sent' && !delivery.confirmedAt && !delivery.updatedSince) status.unanswered += 1;
    if (delivery.sentAt && (!status.lastSentAt || delivery.sentAt > status.lastSentAt)) status.lastSentAt = delivery.sentAt;
    byState.set(delivery.state, status);
  }
  return byState;
}
