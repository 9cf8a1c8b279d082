import mongoose, { Schema } from 'mongoose';

/**
 * The directory as one instance last loaded it, stored beside the data so that an instance starting
 * up reads a few large documents instead of every State and authority (on FerretDB, reading twenty
 * thousand authorities one by one takes most of a minute). One head per directory version names
 * the parts that hold it (`<version>:<writer>:<n>`: the writer in the name, so two instances saving
 * the same version never mix their parts); the head is written last, so a head means whole.
 */
const snapshotPartSchema = new Schema(
  {
    _id: String,
    version: { type: Number, required: true },
    /** Parts only: which part this is. */
    part: Number,
    /** Head only: the writer whose parts hold the version, how many, and the V8 format they are in. */
    writer: String,
    parts: Number,
    format: String,
    bytes: Buffer,
  },
  { collection: 'directory_snapshots', versionKey: false },
);

export const DirectorySnapshotPartModel = mongoose.model('DirectorySnapshotPart', snapshotPartSchema);
