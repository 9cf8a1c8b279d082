import { DigestMarkModel, DigestSettingModel, FollowModel } from './following.models';

/** Data access for follows and digest marks: Mongoose in, plain objects out. */

export interface Follow {
  user: string;
  state: string;
  since: Date;
}

export interface DigestMark {
  user: string;
  through: Date;
  day: string;
  sentAt?: Date;
}

const isDuplicate = (error: unknown) => (error as { code?: unknown }).code === 11000;

/** Adds the follow once; following a State again keeps the first one (and its `since`). */
export async function insertFollow(follow: Follow): Promise<void> {
  try {
    await FollowModel.create(follow);
  } catch (error) {
    if (!isDuplicate(error)) throw error;
  }
}

export async function deleteFollow(user: string, state: string): Promise<void> {
  await FollowModel.deleteOne({ user: { $eq: user }, state: { $eq: state } });
}

export async function deleteFollowsOf(user: string): Promise<number> {
  return (await FollowModel.deleteMany({ user: { $eq: user } })).deletedCount;
}

export async function findFollowsOf(user: string): Promise<Follow[]> {
  const docs = await FollowModel.find({ user: { $eq: user } }).sort({ state: 1 }).lean();
  return docs.map((doc) => ({ user: doc.user, state: doc.state, since: doc.since }));
}

export async function followExists(user: string, state: string): Promise<boolean> {
  return Boolean(await FollowModel.exists({ user: { $eq: user }, state: { $eq: state } }));
}

/** Everyone who follows at least one State: whom a digest run looks at. */
export async function findFollowers(): Promise<string[]> {
  return ((await FollowModel.distinct('user')) as string[]).sort();
}

export async function findDigestMark(user: string): Promise<DigestMark | undefined> {
  const doc = await DigestMarkModel.findById(user).lean();
  return doc ? { user: String(doc._id), through: doc.through, day: doc.day, ...(doc.sentAt ? { sentAt: doc.sentAt } : {}) } : undefined;
}

/** Records a finished digest run for the user (sent, or nothing to send). */
export async function saveDigestMark(mark: DigestMark & { messageId?: string }): Promise<void> {
  const { user, ...fields } = mark;
  await DigestMarkModel.updateOne({ _id: { $eq: user } }, { $set: fields }, { upsert: true });
}

/** Creates the collections and their indexes before any write (see directory.repository ensureIndexes for why). */
export async function ensureFollowingIndexes(): Promise<void> {
  await FollowModel.createCollection();
  await FollowModel.createIndexes();
  await DigestMarkModel.createCollection();
  await DigestSettingModel.createCollection();
}

/** The hour (UTC) before which a user's digest of the day is not sent, if they chose one. */
export async function findDigestHour(user: string): Promise<number | undefined> {
  const doc = await DigestSettingModel.findById(user).lean();
  return doc?.hour ?? undefined;
}

/** Records the user's digest hour, or forgets it (undefined: the day's first run). */
export async function saveDigestHour(user: string, hour: number | undefined): Promise<void> {
  if (hour === undefined) await DigestSettingModel.deleteOne({ _id: { $eq: user } });
  else await DigestSettingModel.updateOne({ _id: { $eq: user } }, { $set: { hour } }, { upsert: true, runValidators: true });
}
