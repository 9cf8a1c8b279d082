import mongoose, { Schema } from 'mongoose';
import { ROLES } from '../shared/viewer';
import { UN_LANGUAGES } from '../directory/directory.types';
import { userStatus } from './accounts.types';

/** People who sign in. Only the accounts repository touches this model. */
const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true, maxlength: 254 },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    institution: { type: String, trim: true, maxlength: 300 },
    passwordHash: { type: String },
    role: { type: String, enum: ROLES, required: true },
    /** States this user is a focal point of (role focal-point). */
    states: { type: [String], default: [] },
    status: { type: String, enum: userStatus.options, default: 'active' },
    language: { type: String, enum: UN_LANGUAGES, default: 'en' },
    totp: {
      secret: String,
      enabled: { type: Boolean, default: false },
      /** Time step of the last code accepted, so a code cannot be replayed within its window. */
      lastStep: Number,
      recoveryCodeHashes: { type: [String], default: [] },
    },
    /** Raised by "sign out everywhere": sessions carrying an older epoch are refused. */
    sessionEpoch: { type: Number, default: 0 },
    lastSignInAt: Date,
    createdAt: { type: Date, default: () => new Date() },
    /** Demonstration accounts created in sample mode only. */
    sample: { type: Boolean, default: false },
  },
  { collection: 'users' },
);

export const UserModel = mongoose.model('User', userSchema);
