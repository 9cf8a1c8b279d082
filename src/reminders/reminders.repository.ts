import type { Types } from 'mongoose';
import { logger } from '../shared/logger';
import { onlyOnce, releaseOnce, settleClaim, takeClaim } from '../shared/database/once';
import { reachWritePoint } from '../shared/database/write-probe';
import { CampaignModel, DeliveryModel, RunModel } from './reminder.models';
import type { Campaign, Delivery, DeliveryStage, DeliveryStatus, NewDelivery, Run } from './reminders.types';
import { isObjectId } from '../shared/vocabulary';

/** Data access for reminders: Mongoose in, plain objects out. No transactions (FerretDB v1): every step is one guarded write. */

type Lean = Record<string, unknown> & { _id: Types.ObjectId | string; __v?: number };

function withoutNulls<T>(doc: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(doc).filter(([, value]) => value !== null && value !== undefined)) as T;
}

function toCampaign(doc: Lean): Campaign {
  const { _id, __v, ...rest } = doc;
  return { ...withoutNulls<Omit<Campaign, 'id'>>(rest), id: String(_id) };
}

function toRun(doc: Lean): Run {
  const { _id, __v, ...rest } = doc;
  const run = withoutNulls<Run>(rest);
  return { ...run, withoutFocalPoint: run.withoutFocalPoint ?? [] };
}

function toDelivery(doc: Lean): Delivery {
  const { _id, __v, ...rest } = doc;
  return { ...withoutNulls<Omit<Delivery, 'id'>>(rest), id: String(_id) };
}

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

export async function insertCampaign(campaign: Omit<Campaign, 'id'>): Promise<Campaign> {
  const doc = await CampaignModel.create(campaign);
  return toCampaign(doc.toObject() as unknown as Lean);
}

/** A campaign being deleted is gone for every reader, from the one write that deleted it. */
const notDeleted = { deletedAt: { $exists: false } };

export async function findCampaign(id: string): Promise<Campaign | undefined> {
  if (!isObjectId(id)) return undefined;
  const doc = await CampaignModel.findOne({ _id: { $eq: id }, ...notDeleted }).lean();
  return doc ? toCampaign(doc as unknown as Lean) : undefined;
}

export async function findCampaigns(): Promise<Campaign[]> {
  const docs = await CampaignModel.find(notDeleted).sort({ createdAt: -1 }).lean();
  return docs.map((doc) => toCampaign(doc as unknown as Lean));
}

export async function findDueCampaigns(now: Date): Promise<Campaign[]> {
  const docs = await CampaignModel.find({ nextRunAt: { $ne: null, $lte: now }, pausedAt: { $exists: false }, ...notDeleted }).lean();
  return docs.map((doc) => toCampaign(doc as unknown as Lean));
}

/** Campaigns paused or being deleted: none of their deliveries may be sent or escalated. */
export async function findHeldCampaignIds(): Promise<string[]> {
  const docs = await CampaignModel.find({ $or: [{ pausedAt: { $exists: true } }, { deletedAt: { $exists: true } }] }, { _id: 1 }).lean();
  return docs.map((doc) => String(doc._id));
}

/** Changes a campaign's definition (and its next run), unless it is being deleted. */
export async function updateCampaign(id: string, set: Partial<Omit<Campaign, 'id' | 'nextRunAt'>> & { nextRunAt: Date | null }, unset: ReadonlyArray<keyof Campaign>): Promise<boolean> {
  const update: Record<string, unknown> = { $set: set };
  if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, 1]));
  const result = await CampaignModel.updateOne({ _id: { $eq: id }, ...notDeleted }, update);
  return result.matchedCount === 1;
}

/** Pauses (with the date) or resumes (null) a campaign: one write, which every worker sees at its next claim. */
export async function setCampaignPaused(id: string, pausedAt: Date | null, by: string): Promise<boolean> {
  const update = pausedAt ? { $set: { pausedAt, updatedAt: pausedAt, updatedBy: by } } : { $unset: { pausedAt: 1 }, $set: { updatedAt: new Date(), updatedBy: by } };
  const result = await CampaignModel.updateOne({ _id: { $eq: id }, ...notDeleted }, update);
  return result.matchedCount === 1;
}

/** Deletes a campaign in one write (the tombstone); `purgeDeletedCampaigns` then removes what it leaves behind. */
export async function markCampaignDeleted(id: string, at: Date, by: string): Promise<boolean> {
  const result = await CampaignModel.updateOne({ _id: { $eq: id }, ...notDeleted }, { $set: { deletedAt: at, updatedAt: at, updatedBy: by } });
  return result.modifiedCount === 1;
}

/**
 * Removes the deliveries and runs of deleted campaigns, then the campaigns themselves. The
 * campaign goes last, so a crash half-way leaves its tombstone, and the next call finishes.
 */
export async function purgeDeletedCampaigns(): Promise<number> {
  const deleted = await CampaignModel.find({ deletedAt: { $exists: true } }, { _id: 1 }).lean();
  for (const { _id } of deleted) {
    const campaignId = String(_id);
    await DeliveryModel.deleteMany({ campaignId: { $eq: campaignId } });
    await reachWritePoint('campaign:deliveries-removed', { campaign: campaignId });
    await RunModel.deleteMany({ campaignId: { $eq: campaignId } });
    await CampaignModel.deleteOne({ _id: { $eq: campaignId } });
  }
  return deleted.length;
}

/** Moves a campaign's next run on, only if no one else has already (compare-and-set on the date). */
export async function advanceCampaign(id: string, from: Date, to: Date | null): Promise<boolean> {
  const result = await CampaignModel.updateOne({ _id: { $eq: id }, nextRunAt: { $eq: from } }, { $set: { nextRunAt: to } });
  return result.modifiedCount === 1;
}

/** Creates the run once; later calls with the same key return the stored one. */
export async function upsertRun(run: Run): Promise<Run> {
  try {
    await RunModel.updateOne({ key: { $eq: run.key } }, { $setOnInsert: run }, { upsert: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const doc = await RunModel.findOne({ key: { $eq: run.key } }).lean();
  return toRun(doc as unknown as Lean);
}

export async function setRunWithoutFocalPoint(key: string, codes: string[]): Promise<void> {
  await RunModel.updateOne({ key: { $eq: key } }, { $set: { withoutFocalPoint: codes } });
}

export async function findRuns(filter: { campaignId?: string; escalating?: boolean } = {}): Promise<Run[]> {
  const query: Record<string, unknown> = {};
  if (filter.campaignId) query.campaignId = { $eq: filter.campaignId };
  if (filter.escalating) query.escalateAfterDays = { $gte: 1 };
  const docs = await RunModel.find(query).sort({ scheduledFor: -1 }).lean();
  return docs.map((doc) => toRun(doc as unknown as Lean));
}

export async function findRun(key: string): Promise<Run | undefined> {
  const doc = await RunModel.findOne({ key: { $eq: key } }).lean();
  return doc ? toRun(doc as unknown as Lean) : undefined;
}

export const deliveryKey = (delivery: Pick<NewDelivery, 'runKey' | 'state' | 'email' | 'stage'>) => `${delivery.runKey}|${delivery.state}|${delivery.email.toLowerCase()}|${delivery.stage}`;

/** Queues a recipient unless already queued (by anyone, at any time): true when this call created it. */
export async function queueDelivery(delivery: NewDelivery, now: Date): Promise<boolean> {
  const key = deliveryKey(delivery);
  try {
    const result = await DeliveryModel.updateOne(
      { key: { $eq: key } },
      { $setOnInsert: { ...withoutNulls<NewDelivery>({ ...delivery }), email: delivery.email.toLowerCase(), key, status: 'queued', attempts: 0, claims: 0, nextAttemptAt: now, createdAt: now } },
      { upsert: true },
    );
    return result.upsertedCount === 1;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function findDelivery(id: string): Promise<Delivery | undefined> {
  if (!isObjectId(id)) return undefined;
  const doc = await DeliveryModel.findById(id).lean();
  return doc ? toDelivery(doc as unknown as Lean) : undefined;
}

export async function findDeliveries(filter: { campaignId?: string; runKey?: string; state?: string; stage?: DeliveryStage; status?: DeliveryStatus; sentBefore?: Date } = {}): Promise<Delivery[]> {
  const query: Record<string, unknown> = {};
  if (filter.campaignId) query.campaignId = { $eq: filter.campaignId };
  if (filter.runKey) query.runKey = { $eq: filter.runKey };
  if (filter.state) query.state = { $eq: filter.state };
  if (filter.stage) query.stage = { $eq: filter.stage };
  if (filter.status) query.status = { $eq: filter.status };
  if (filter.sentBefore) query.sentAt = { $lte: filter.sentBefore };
  const docs = await DeliveryModel.find(query).sort({ state: 1, createdAt: 1 }).lean();
  return docs.map((doc) => toDelivery(doc as unknown as Lean));
}

/** The next delivery due, other than those already tried: queued and due, or left 'sending' by a worker whose lease has run out. */
async function findClaimable(now: Date, tried: string[]): Promise<Delivery | undefined> {
  const held = await findHeldCampaignIds();
  const notHeld = held.length ? { campaignId: { $nin: held } } : {};
  const notTried = tried.length ? { _id: { $nin: tried } } : {};
  const due = await DeliveryModel.findOne({ status: 'queued', nextAttemptAt: { $lte: now }, ...notTried, ...notHeld }).sort({ nextAttemptAt: 1 }).lean();
  const doc = due ?? (await DeliveryModel.findOne({ status: 'sending', leaseUntil: { $lt: now }, ...notTried, ...notHeld }).lean());
  return doc ? toDelivery(doc as unknown as Lean) : undefined;
}

/**
 * Hands one due delivery to `worker` for `leaseMs`. The claim is a claim (shared/database/once.ts)
 * of the delivery's claim number, `delivery:<id>:<n>`, with the same lease: of workers racing for
 * the same delivery exactly one wins (on FerretDB too), and the others try the next delivery. The
 * winner then marks the delivery as claimed. A worker that dies between the two writes leaves an
 * expired claim the next worker takes over (logged once), so no delivery, and no queue behind it,
 * stays stuck; one that dies after them leaves a lease that runs out the same way.
 */
export async function claimDelivery(worker: string, now: Date, leaseMs: number): Promise<Delivery | undefined> {
  const tried: string[] = [];
  for (let tries = 0; tries < 20; tries += 1) {
    const candidate = await findClaimable(now, tried);
    if (!candidate) return undefined;
    tried.push(candidate.id);
    const claim = await takeClaim(`delivery:${candidate.id}:${candidate.claims}`, {
      at: now,
      ttlMs: leaseMs,
      payload: { delivery: candidate.id, worker },
      what: `delivery ${candidate.id} was claimed by a worker that stopped before marking it`,
    });
    if (!claim) continue;
    if (candidate.status === 'sending') logger.warn({ delivery: candidate.id, worker: candidate.worker, leaseUntil: candidate.leaseUntil }, 'a reminder delivery whose worker stopped mid-send is taken over');
    await reachWritePoint('delivery:claimed', { delivery: candidate.id });
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const result = await DeliveryModel.updateOne(
      { _id: { $eq: candidate.id }, claims: { $eq: candidate.claims }, status: { $eq: candidate.status } },
      { $set: { status: 'sending', worker, leaseUntil }, $inc: { claims: 1, attempts: 1 } },
    );
    await settleClaim(claim);
    if (result.modifiedCount === 1) return { ...candidate, status: 'sending', worker, claims: candidate.claims + 1, attempts: candidate.attempts + 1, leaseUntil };
  }
  return undefined;
}

/** Records a delivery's outcome if this worker's claim still holds (not reclaimed after its lease ran out). */
export async function finishClaim(delivery: Pick<Delivery, 'id' | 'claims'>, update: Partial<Pick<Delivery, 'status' | 'sentAt' | 'messageId' | 'lastError' | 'nextAttemptAt' | 'failedAt'>>): Promise<boolean> {
  const result = await DeliveryModel.updateOne({ _id: { $eq: delivery.id }, claims: { $eq: delivery.claims }, status: 'sending' }, { $set: update, $unset: { leaseUntil: 1 } });
  return result.modifiedCount === 1;
}

/** Uses a delivery's still-accurate link: one guarded write, so of two clicks exactly one succeeds. */
export async function useLink(id: string, now: Date): Promise<boolean> {
  const used = await onlyOnce(`reminder-link:${id}`, async () => {
    const result = await DeliveryModel.updateOne({ _id: { $eq: id }, linkUsedAt: { $exists: false } }, { $set: { linkUsedAt: now } });
    return result.modifiedCount === 1;
  });
  return used === true;
}

export async function releaseLink(id: string): Promise<void> {
  await DeliveryModel.updateOne({ _id: { $eq: id } }, { $unset: { linkUsedAt: 1 } });
  await releaseOnce(`reminder-link:${id}`);
}

/** Marks a run's deliveries to a State confirmed: those not yet sent are not sent any more. */
export async function markStateConfirmed(runKey: string, state: string, now: Date): Promise<void> {
  await DeliveryModel.updateMany({ runKey: { $eq: runKey }, state: { $eq: state }, status: { $in: ['queued', 'sent', 'failed'] } }, { $set: { status: 'confirmed', confirmedAt: now } });
}

export async function markUpdatedSince(runKey: string, state: string, at: Date): Promise<void> {
  await DeliveryModel.updateMany({ runKey: { $eq: runKey }, state: { $eq: state }, updatedSince: { $exists: false } }, { $set: { updatedSince: at } });
}

export async function ensureReminderIndexes(): Promise<void> {
  for (const model of [CampaignModel, RunModel, DeliveryModel] as const) {
    await (model as typeof DeliveryModel).createCollection();
    await (model as typeof DeliveryModel).createIndexes();
  }
}
