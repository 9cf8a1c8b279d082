import mongoose, { Schema } from 'mongoose';
import { UN_LANGUAGES } from '../shared/vocabulary';
import { DESCRIPTION_MAX, PROBLEM_KINDS, REPORT_STATUSES, REPORTED_FIELDS } from './reports.schema';

/** One step of a report's follow-up: who moved it to which status, with the reply note if any. */
const stepSchema = new Schema(
  {
    status: { type: String, enum: REPORT_STATUSES, required: true },
    note: { type: String, maxlength: 2000 },
    byId: { type: String, required: true },
    byEmail: String,
    at: { type: Date, required: true },
  },
  { _id: false },
);

/** A reader's report of a problem in a State's entry, followed up by its focal points and the secretariat. */
const problemReportSchema = new Schema(
  {
    state: { type: String, required: true },
    authority: String,
    kind: { type: String, enum: PROBLEM_KINDS, required: true },
    field: { type: String, enum: REPORTED_FIELDS },
    description: { type: String, required: true, maxlength: DESCRIPTION_MAX },
    /** The reporter's address, only when they gave one: a reply note is sent there. */
    email: { type: String, lowercase: true, trim: true, maxlength: 254 },
    /** The language the report was made in: a reply goes out in it. */
    language: { type: String, enum: UN_LANGUAGES, default: 'en' },
    status: { type: String, enum: REPORT_STATUSES, default: 'open' },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    steps: { type: [stepSchema], default: [] },
  },
  { collection: 'problem_reports' },
);
problemReportSchema.index({ state: 1, status: 1, createdAt: -1 });
problemReportSchema.index({ status: 1, createdAt: -1 });

export const ProblemReportModel = mongoose.model('ProblemReport', problemReportSchema);
