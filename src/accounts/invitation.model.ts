import mongoose, { Schema } from 'mongoose';
import { UN_LANGUAGES } from '../directory/directory.types';

/** Focal points invited by the secretariat; the link itself is a one-time token naming the invitation. */
const invitationSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    states: { type: [String], default: [] },
    /** Language of the e-mail, and of the account if one is created. */
    language: { type: String, enum: UN_LANGUAGES, default: 'en' },
    invitedBy: { type: String, required: true },
    invitedByEmail: String,
    createdAt: { type: Date, required: true, default: () => new Date() },
    expiresAt: { type: Date, required: true },
    acceptedAt: Date,
    userId: String,
  },
  { collection: 'invitations' },
);
invitationSchema.index({ createdAt: -1 });

export const InvitationModel = mongoose.model('Invitation', invitationSchema);
