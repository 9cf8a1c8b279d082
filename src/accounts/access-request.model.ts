import mongoose, { Schema } from 'mongoose';
import { UN_LANGUAGES } from '../directory/directory.types';

export const ACCESS_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];

/** Practitioners asking to see restricted States' details; the secretariat decides. */
const accessRequestSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    institution: { type: String, required: true, trim: true, maxlength: 300 },
    /** The State the practitioner works for. */
    state: { type: String, required: true },
    /** The restricted State whose page the practitioner asked from, when they did. */
    forState: String,
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    reason: { type: String, required: true, maxlength: 2000 },
    /** The language the request was made in: the decision is e-mailed in it. */
    language: { type: String, enum: UN_LANGUAGES, default: 'en' },
    status: { type: String, enum: ACCESS_REQUEST_STATUSES, default: 'pending' },
    createdAt: { type: Date, required: true, default: () => new Date() },
    decidedBy: String,
    decidedAt: Date,
    note: { type: String, maxlength: 2000 },
    /** Sendings of the same request while pending: the first, then one per resubmission. */
    submissions: { type: Number, default: 1 },
    resubmittedAt: Date,
    /** The practitioner account an approval created. */
    userId: String,
  },
  { collection: 'access_requests' },
);
accessRequestSchema.index({ status: 1, createdAt: -1 });
accessRequestSchema.index({ email: 1, status: 1 });

export const AccessRequestModel = mongoose.model('AccessRequest', accessRequestSchema);
