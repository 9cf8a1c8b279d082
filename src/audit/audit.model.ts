import mongoose, { Schema } from 'mongoose';

/** Security events, append-only: sign-ins and failures, role and access changes, invitations, exports. */
const auditEventSchema = new Schema(
  {
    at: { type: Date, required: true, default: () => new Date() },
    type: { type: String, required: true },
    actorId: String,
    actorEmail: String,
    /** The user or State the event concerns. */
    subject: String,
    state: String,
    ip: String,
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'audit_events', minimize: false },
);
auditEventSchema.index({ at: -1 });

export const AuditEventModel = mongoose.model('AuditEvent', auditEventSchema);
