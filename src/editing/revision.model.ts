import mongoose, { Schema } from 'mongoose';

/**
 * One change of a State's entries, kept for ever: who, when, which fields, and the entity before and
 * after. Snapshots are plain objects whose keys are field names (never '.' or '$', which FerretDB
 * v1 refuses). Only the revisions repository touches this model.
 */
const revisionSchema = new Schema(
  {
    entity: { type: String, enum: ['authority', 'state'], required: true },
    entityId: { type: String, required: true },
    state: { type: String, required: true, match: /^[A-Z]{3}$/ },
    actorId: { type: String, required: true },
    actorEmail: String,
    actorRole: { type: String, required: true },
    at: { type: Date, required: true },
    action: { type: String, enum: ['create', 'update', 'remove', 'restore', 'confirm'], required: true },
    fields: { type: [String], default: [] },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
    /** The entity's version after the change, so a refused save can list what changed since the editor's version. */
    version: { type: Number, required: true },
    /** For a restore: the revision whose earlier values were brought back. */
    restoredFrom: String,
  },
  { collection: 'revisions', minimize: false },
);
revisionSchema.index({ state: 1, at: -1 });
revisionSchema.index({ entityId: 1, version: 1 });
// The Directory's feed and the followers' digests read the latest changes of every State
revisionSchema.index({ at: -1 });

export const RevisionModel = mongoose.model('Revision', revisionSchema);
