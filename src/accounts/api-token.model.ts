import mongoose, { Schema } from 'mongoose';

/** Personal API tokens: stored as a SHA-256 hash, with a short prefix so their owner can tell them apart. */
const apiTokenSchema = new Schema(
  {
    userId: { type: String, required: true },
    name: { type: String, required: true, trim: true, maxlength: 100 },
    hash: { type: String, required: true, unique: true },
    /** The first characters of the token, shown in lists (never enough to use it). */
    prefix: { type: String, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
    lastUsedAt: { type: Date, default: null },
    expiresAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'api_tokens' },
);
apiTokenSchema.index({ userId: 1 });

export const ApiTokenModel = mongoose.model('ApiToken', apiTokenSchema);
