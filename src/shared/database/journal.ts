import mongoose, { Schema, Types } from 'mongoose';
import { isObjectId } from '../vocabulary';

/**
 * A write journal: the planned writes of a change that spans several documents (an import),
 * recorded before the first of them, so that whichever process finds it unfinished after a crash
 * can decide it. Without transactions (FerretDB v1) the decision is one unique insert into
 * `write_journal_outcomes`: `committed` by the writer once every write is made, or `rolled-back`
 * by the writer on a failure or by a recovering process once the writer's lease has run out. Of
 * the two, the first insert wins on MongoDB and on FerretDB alike, and the other follows it.
 * Readers treat entries marked with an undecided or rolled-back journal as they were before it.
 */

export type JournalOutcome = 'committed' | 'rolled-back';
export type JournalStatus = 'pending' | 'done';

export interface Journal<Step = Record<string, unknown>> {
  id: string;
  kind: string;
  status: JournalStatus;
  owner: string;
  leaseUntil: Date;
  createdAt: Date;
  steps: Step[];
  /** Whatever the kind of journal needs besides its steps (who, when, the audit event). */
  context: Record<string, unknown>;
}

const journalSchema = new Schema(
  {
    kind: { type: String, required: true },
    status: { type: String, enum: ['pending', 'done'], required: true },
    owner: { type: String, required: true },
    leaseUntil: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    steps: { type: [Schema.Types.Mixed], default: [] },
    context: { type: Schema.Types.Mixed, default: {} },
    outcome: String,
  },
  { collection: 'write_journals', minimize: false },
);
journalSchema.index({ status: 1, leaseUntil: 1 });
const JournalModel = mongoose.model('WriteJournal', journalSchema);

const outcomeSchema = new Schema({ _id: String, outcome: { type: String, enum: ['committed', 'rolled-back'], required: true }, at: Date }, { collection: 'write_journal_outcomes' });
const OutcomeModel = mongoose.model('WriteJournalOutcome', outcomeSchema);

const leases = { journalMs: 5 * 60_000 };

/** How long a journal's writer is trusted to be alive (far longer than an import of the largest file takes); tests shorten it. */
export function configureJournals(options: Partial<typeof leases>): void {
  Object.assign(leases, options);
}

export function journalLeaseMs(): number {
  return leases.journalMs;
}

function toJournal<Step>(doc: Record<string, unknown>): Journal<Step> {
  return {
    id: String(doc._id),
    kind: doc.kind as string,
    status: doc.status as JournalStatus,
    owner: doc.owner as string,
    leaseUntil: doc.leaseUntil as Date,
    createdAt: doc.createdAt as Date,
    steps: (doc.steps as Step[]) ?? [],
    context: (doc.context as Record<string, unknown>) ?? {},
  };
}

export function newJournalId(): string {
  return new Types.ObjectId().toHexString();
}

export async function insertJournal<Step>(journal: Omit<Journal<Step>, 'status'>): Promise<void> {
  const { id, ...rest } = journal;
  await JournalModel.create({ _id: id, ...rest, status: 'pending' });
}

export async function findJournal<Step>(id: string): Promise<Journal<Step> | undefined> {
  if (!isObjectId(id)) return undefined;
  const doc = await JournalModel.findById(id).lean();
  return doc ? toJournal<Step>(doc as unknown as Record<string, unknown>) : undefined;
}

/** Journals not yet done whose writer's lease has run out: theirs to decide or finish. */
export async function findUnfinishedJournals(now: Date): Promise<string[]> {
  const docs = await JournalModel.find({ status: { $eq: 'pending' }, leaseUntil: { $lt: now } }, { _id: 1 }).limit(100).lean();
  return docs.map((doc) => String(doc._id));
}

/** Decides a journal: true when this call decided it, false when it had been decided already (read the outcome). */
export async function decideJournal(id: string, outcome: JournalOutcome): Promise<boolean> {
  try {
    await OutcomeModel.create({ _id: id, outcome, at: new Date() });
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 11000) return false;
    throw error;
  }
}

export async function journalOutcome(id: string): Promise<JournalOutcome | undefined> {
  const doc = await OutcomeModel.findById(id).lean();
  return doc?.outcome as JournalOutcome | undefined;
}

/** The journals among `ids` that committed: what readers may show. */
export async function committedJournals(ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const docs = await OutcomeModel.find({ _id: { $in: ids }, outcome: 'committed' }, { _id: 1 }).lean();
  return new Set(docs.map((doc) => String(doc._id)));
}

/** Everything the journal's outcome needs has been written. */
export async function markJournalDone(id: string, outcome: JournalOutcome): Promise<void> {
  await JournalModel.updateOne({ _id: { $eq: id } }, { $set: { status: 'done', outcome } });
}

export async function ensureJournalCollections(): Promise<void> {
  await JournalModel.createCollection();
  await JournalModel.createIndexes();
  await OutcomeModel.createCollection();
}
