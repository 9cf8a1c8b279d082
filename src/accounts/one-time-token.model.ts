import mongoose, { Schema } from 'mongoose';

export const TOKEN_PURPOSES = ['password-reset', 'set-password', 'invitation'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/**
 * Single-use, expiring links (password reset, first password, invitation). Only the SHA-256 of a
 * token is stored, so a copy of the database cannot be used to take over an account.
 */
const oneTimeTokenSchema = new Schema(
  {
    hash: { type: String, required: true, unique: true },
    purpose: { type: String, enum: TOKEN_PURPOSES, required: true },
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    userId: String,
    /** What else the token is about, e.g. the invitation it accepts. */
    subject: String,
    createdAt: { type: Date, required: true, default: () => new Date() },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { collection: 'one_time_tokens' },
);
oneTimeTokenSchema.index({ expiresAt: 1 });
oneTimeTokenSchema.index({ userId: 1 });

export const OneTimeTokenModel = mongoose.model('OneTimeToken', oneTimeTokenSchema);
