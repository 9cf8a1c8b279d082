import mongoose, { Schema } from 'mongoose';

/** A signed-in user following a State: its changes reach them in the daily digest. Only the following repository touches these models. */
const followSchema = new Schema(
  {
    user: { type: String, required: true },
    state: { type: String, required: true, match: /^[A-Z]{3}$/ },
    /** Changes from before this moment are not the follower's news. */
    since: { type: Date, required: true },
  },
  { collection: 'follows' },
);
followSchema.index({ user: 1, state: 1 }, { unique: true });
followSchema.index({ state: 1 });
export const FollowModel = mongoose.model('Follow', followSchema);

/**
 * How far one user's digests have gone: the changes up to `through` were sent (or there were none),
 * and `day` (UTC, YYYY-MM-DD) is the last day a digest run finished for them, so a day has one digest at most.
 */
const digestMarkSchema = new Schema(
  {
    _id: String,
    through: { type: Date, required: true },
    day: { type: String, required: true },
    sentAt: Date,
    messageId: String,
  },
  { collection: 'digest_marks' },
);
export const DigestMarkModel = mongoose.model('DigestMark', digestMarkSchema);

/** A follower's choice of when their daily digest goes out: not before this hour (UTC) of the day; none chosen, the day's first run. */
const digestSettingSchema = new Schema({ _id: String, hour: { type: Number, required: true, min: 0, max: 23 } }, { collection: 'digest_settings' });
export const DigestSettingModel = mongoose.model('DigestSetting', digestSettingSchema);
