import mongoose, { Schema } from 'mongoose';
import type { z } from 'zod';
import { mongooseDefinition } from '../shared/database/mongoose-from-zod';
import { authorityRecord, designationType, instrumentRecord, resource, state, type Resource } from './directory.types';

/**
 * Mongoose models of the directory. Only the repository (directory.repository.ts) touches them;
 * everything else sees the plain objects of directory.types.ts.
 * No text, TTL, partial or collated index: the same code runs on MongoDB and FerretDB v1.
 */

/** The marks a write leaves on the entry it changes until it is complete (see editing.recovery.ts and the import journal). */
const writeMarks = {
  /** The revision that produced this version: a save that died before recording it is completed from its claim. */
  lastRevision: String,
  /** An import (write journal) that wrote this entry and may not be decided yet: readers see its state before that import until it commits. */
  pendingJournal: String,
  /** The editable fields before that import (absent for an entry it created). */
  pendingBefore: Schema.Types.Mixed,
};

type WriteMarks = {
  lastRevision?: string;
  pendingJournal?: string;
  pendingBefore?: unknown;
};

/** Declared once, in directory.types.ts; here only what Mongoose alone knows, and the marks of unfinished writes. */
const stateSchema = new Schema<z.infer<typeof state> & WriteMarks>(
  {
    ...mongooseDefinition(state, {
      code: { unique: true },
      access: { default: 'public' },
      version: { default: 0 },
    }),
    ...writeMarks,
  },
  { collection: 'states', minimize: false },
);

const authoritySchema = new Schema<z.infer<typeof authorityRecord> & WriteMarks>(
  {
    ...mongooseDefinition(authorityRecord, {
      state: { index: true },
      updatedAt: { default: () => new Date() },
      version: { default: 0 },
    }),
    ...writeMarks,
  },
  { collection: 'authorities' },
);

const designationTypeSchema = new Schema<z.infer<typeof designationType>>(mongooseDefinition(designationType, { code: { unique: true } }), {
  collection: 'designation_types',
});

const instrumentSchema = new Schema<z.infer<typeof instrumentRecord>>(mongooseDefinition(instrumentRecord, { code: { unique: true } }), {
  collection: 'instruments',
});

const resourceSchema = new Schema<Omit<Resource, 'id'>>(mongooseDefinition(resource.omit({ id: true }), { url: { unique: true }, description: { default: '' } }), {
  collection: 'resources',
});

/**
 * One document per dataset whose `version` grows on every write, so each app instance knows when to
 * patch or rebuild its copy. `recent` says what each of the last versions changed, oldest first,
 * the last one being `version`'s (see directory.repository.ts): raised and told in one atomic
 * update. `stored`: the newest version stored whole in `directory_snapshots`.
 */
const changeStampSchema = new Schema(
  { _id: String, version: { type: Number, default: 0 }, epoch: String, recent: { type: [Schema.Types.Mixed], default: undefined }, stored: Number },
  { collection: 'change_stamps' },
);

// Collections and indexes are created explicitly, in order, by ensureIndexes() (see there why).
mongoose.set('autoCreate', false);
mongoose.set('autoIndex', false);

export const StateModel = mongoose.model('State', stateSchema);
export const AuthorityModel = mongoose.model('Authority', authoritySchema);
export const DesignationTypeModel = mongoose.model('DesignationType', designationTypeSchema);
export const InstrumentModel = mongoose.model('Instrument', instrumentSchema);
export const ResourceModel = mongoose.model('Resource', resourceSchema);
export const ChangeStampModel = mongoose.model('ChangeStamp', changeStampSchema);
