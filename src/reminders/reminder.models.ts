import mongoose, { Schema } from 'mongoose';
import { UN_LANGUAGES } from '../directory/directory.types';

/**
 * Reminder campaigns, their runs and their deliveries. Only reminders.repository.ts touches these.
 * The deliveries collection is the work queue itself: one document per run × State × recipient ×
 * stage, created by upsert on a unique key, claimed through a claim of its claim number
 * (shared/database/once.ts) and then a single-document update.
 */

export const CAMPAIGN_KINDS = ['all-focal-points', 'stale', 'missing-designation', 'single-state'] as const;
export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'failed', 'confirmed'] as const;
/** first: the reminder; second: the same recipient again after N days; secondary: a copy to the State's secondary contact. */
export const DELIVERY_STAGES = ['first', 'second', 'secondary'] as const;

const campaignSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    kind: { type: String, enum: CAMPAIGN_KINDS, required: true },
    /** stale: neither updated nor confirmed for this many months. */
    months: { type: Number, min: 1, max: 120 },
    /** missing-designation: the designation code no authority of the State holds. */
    designation: { type: String, maxlength: 50 },
    /** single-state: the State reminded now. */
    state: { type: String, match: /^[A-Z]{3}$/ },
    /** First (or only) run. */
    startsAt: { type: Date, required: true },
    /** Repeat every this many months; absent for a single run. */
    everyMonths: { type: Number, min: 1, max: 60 },
    /** Second reminder (and then the copy to the secondary contact) after this many days without an answer; absent: no escalation. */
    escalateAfterDays: { type: Number, min: 1, max: 365 },
    /** The next run not yet materialized; null once a single run has been. */
    nextRunAt: { type: Date, default: null },
    /** Set while the campaign is paused: no run is started and nothing queued is sent until it is resumed. */
    pausedAt: Date,
    /**
     * Set by a deletion, in one write: from then on the campaign is gone for everyone and sends
     * nothing; its runs and deliveries are then removed (again by the scheduler after a crash).
     */
    deletedAt: Date,
    createdBy: { type: String, maxlength: 254 },
    createdAt: { type: Date, required: true },
    updatedBy: { type: String, maxlength: 254 },
    updatedAt: Date,
  },
  { collection: 'reminder_campaigns' },
);
campaignSchema.index({ nextRunAt: 1 });

const runSchema = new Schema(
  {
    /** campaign id @ scheduled date: two instances materializing the same run meet on this key. */
    key: { type: String, required: true, unique: true },
    campaignId: { type: String, required: true },
    scheduledFor: { type: Date, required: true },
    startedAt: { type: Date, required: true },
    escalateAfterDays: Number,
    /** Targeted States that have no active focal point, so nobody was reminded. */
    withoutFocalPoint: { type: [String], default: [] },
  },
  { collection: 'reminder_runs' },
);
runSchema.index({ campaignId: 1 });

const deliverySchema = new Schema(
  {
    /** run key | State | e-mail | stage: unique, so a recipient is queued once whoever queues them. */
    key: { type: String, required: true, unique: true },
    runKey: { type: String, required: true },
    campaignId: { type: String, required: true },
    state: { type: String, required: true },
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    name: { type: String, maxlength: 200 },
    language: { type: String, enum: UN_LANGUAGES, default: 'en' },
    /** The focal point's user id (secondary contacts have none). */
    userId: String,
    stage: { type: String, enum: DELIVERY_STAGES, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, required: true },
    attempts: { type: Number, default: 0 },
    /** Raised by every claim: the guard of the compare-and-set that hands a delivery to one worker. */
    claims: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    leaseUntil: Date,
    worker: String,
    /** The SMTP server's answer to the last failed attempt. */
    lastError: { type: String, maxlength: 1000 },
    messageId: String,
    sentAt: Date,
    failedAt: Date,
    confirmedAt: Date,
    /** When the still-accurate link of this delivery was used (single use). */
    linkUsedAt: Date,
    /** The State's entry was updated or confirmed after the run started (seen at this date). */
    updatedSince: Date,
    createdAt: { type: Date, required: true },
  },
  { collection: 'reminder_deliveries' },
);
deliverySchema.index({ status: 1, nextAttemptAt: 1 });
deliverySchema.index({ runKey: 1, state: 1 });
deliverySchema.index({ campaignId: 1 });

export const CampaignModel = mongoose.model('ReminderCampaign', campaignSchema);
export const RunModel = mongoose.model('ReminderRun', runSchema);
export const DeliveryModel = mongoose.model('ReminderDelivery', deliverySchema);
