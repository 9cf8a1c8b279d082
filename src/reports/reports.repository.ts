import { Types } from 'mongoose';
import type { UnLanguage } from '../shared/vocabulary';
import { ProblemReportModel } from './report.model';
import type { ProblemKind, ReportedField, ReportStatus } from './reports.schema';

export interface ReportStep {
  status: ReportStatus;
  note?: string;
  byId: string;
  byEmail?: string;
  at: Date;
}

export interface ProblemReport {
  id: string;
  state: string;
  authority?: string;
  kind: ProblemKind;
  field?: ReportedField;
  description: string;
  email?: string;
  language: UnLanguage;
  status: ReportStatus;
  createdAt: Date;
  updatedAt: Date;
  steps: ReportStep[];
}

export type NewProblemReport = Pick<ProblemReport, 'state' | 'authority' | 'kind' | 'field' | 'description' | 'email' | 'language'>;

interface ReportDocument extends Omit<ProblemReport, 'id'> {
  _id: Types.ObjectId;
}

function toReport(doc: ReportDocument): ProblemReport {
  return {
    id: String(doc._id),
    state: doc.state,
    authority: doc.authority ?? undefined,
    kind: doc.kind,
    field: doc.field ?? undefined,
    description: doc.description,
    email: doc.email ?? undefined,
    language: doc.language,
    status: doc.status,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    steps: (doc.steps ?? []).map((step) => ({ status: step.status, note: step.note ?? undefined, byId: step.byId, byEmail: step.byEmail ?? undefined, at: step.at })),
  };
}

export async function insertReport(report: NewProblemReport, now: Date): Promise<ProblemReport> {
  const defined = Object.fromEntries(Object.entries(report).filter(([, value]) => value !== undefined));
  const doc = await ProblemReportModel.create({ ...defined, status: 'open', createdAt: now, updatedAt: now, steps: [] });
  return toReport(doc.toObject() as unknown as ReportDocument);
}

export async function findReport(id: string): Promise<ProblemReport | undefined> {
  if (!Types.ObjectId.isValid(id)) return undefined;
  const doc = await ProblemReportModel.findById(id).lean<ReportDocument>();
  return doc ? toReport(doc) : undefined;
}

export interface ReportFilter {
  /** Only these States' reports; undefined for every State. */
  states?: string[];
  status?: ReportStatus;
}

/** One page of reports, newest first, with how many match in all. */
export async function findReports(filter: ReportFilter, page: { skip: number; limit: number }): Promise<{ items: ProblemReport[]; total: number }> {
  const query: Record<string, unknown> = {};
  if (filter.states) query.state = { $in: filter.states };
  if (filter.status) query.status = { $eq: filter.status };
  const total = await ProblemReportModel.countDocuments(query);
  const docs = await ProblemReportModel.find(query).sort({ createdAt: -1, _id: -1 }).skip(page.skip).limit(page.limit).lean<ReportDocument[]>();
  return { items: docs.map(toReport), total };
}

/** How many reports are in each status. */
export async function countReportsByStatus(): Promise<Record<ReportStatus, number>> {
  const [open, answered, closed] = await Promise.all((['open', 'answered', 'closed'] as const).map((status) => ProblemReportModel.countDocuments({ status: { $eq: status } })));
  return { open: open!, answered: answered!, closed: closed! };
}

/** Moves a report on from the status it was read in; false when someone moved it meanwhile. */
export async function updateReportStatus(id: string, from: ReportStatus, step: ReportStep): Promise<boolean> {
  const stored = Object.fromEntries(Object.entries(step).filter(([, value]) => value !== undefined));
  const result = await ProblemReportModel.updateOne(
    { _id: new Types.ObjectId(id), status: { $eq: from } },
    { $set: { status: step.status, updatedAt: step.at }, $push: { steps: stored } },
  );
  return result.modifiedCount === 1;
}

export async function ensureReportIndexes(): Promise<void> {
  await ProblemReportModel.createCollection();
  await ProblemReportModel.createIndexes();
}
