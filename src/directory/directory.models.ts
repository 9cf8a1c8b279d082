import mongoose, { Schema } from 'mongoose';
import type { z } from 'zod';
import { mongooseDefinition } from '../shared/database/mongoose-from-zod';
import { validators } from '../shared/validators';
import { DESIGNATION_CODE_PATTERN, STATE_CODE_PATTERN, stateKind, treatySubject } from '../shared/vocabulary';
import {
  ACCESS_LEVELS,
  AUTHORITY_KINDS,
  CHANNELS,
  INSTRUMENTS,
  PARTY_STATUSES,
  REGIONAL_GROUPS,
  RESOURCE_CATEGORIES,
  UN_LANGUAGES,
  URGENT_MEANS,
  authorityRecord,
  legalBasisAnswer,
  textFormat,
} from './directory.types';

/**
 * Mongoose models of the directory. Only the repository (directory.repository.ts) touches them;
 * everything else sees the plain objects of directory.types.ts.
 * No text, TTL, partial or collated index: the same code runs on MongoDB and FerretDB v1.
 */

const check = (test: (value: string) => boolean, what: string) => ({
  validator: (value: string | undefined | null) => value === undefined || value === null || value === '' || test(value),
  message: (props: { value: unknown }) => `${String(props.value)} is not a valid ${what}`,
});
const eachOf = (test: (value: string) => boolean, what: string) => ({
  validator: (values: string[]) => values.every(test),
  message: `every entry must be a valid ${what}`,
});

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

const localizedShape = Object.fromEntries(UN_LANGUAGES.map((lang) => [lang, { type: String, required: true, trim: true, maxlength: 300 }]));

const phoneSchema = new Schema(
  {
    number: { type: String, required: true, trim: true, validate: check(validators.phone, 'phone number in E.164 format') },
    label: { type: String, trim: true, maxlength: 100 },
  },
  { _id: false },
);

const stateTextSchema = new Schema(
  {
    text: { type: String, required: true, maxlength: 20_000 },
    language: { type: String, required: true, validate: check(validators.language, 'language code') },
    format: { type: String, enum: textFormat.options, default: 'plain' },
  },
  { _id: false },
);

const stateSchema = new Schema(
  {
    code: { type: String, required: true, unique: true, match: STATE_CODE_PATTERN },
    iso2: { type: String, match: /^[A-Z]{2}$/ },
    m49: { type: String, match: /^\d{3}$/ },
    kind: { type: String, enum: stateKind.options, required: true },
    names: localizedShape,
    region: { type: String, enum: REGIONAL_GROUPS, required: true },
    aliases: { type: [{ type: String, trim: true, maxlength: 200 }], default: [] },
    parties: {
      type: [
        new Schema(
          {
            instrument: { type: String, enum: INSTRUMENTS, required: true },
            status: { type: String, enum: PARTY_STATUSES, required: true },
            signed: { type: String, validate: check(validators.isoDate, 'date') },
            consented: { type: String, validate: check(validators.isoDate, 'date') },
            source: { type: String, maxlength: 500 },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    access: { type: String, enum: ACCESS_LEVELS, default: 'public', required: true },
    optional: {
      requirements: {
        mla: { type: stateTextSchema, required: false },
        extradition: { type: stateTextSchema, required: false },
        transfer: { type: stateTextSchema, required: false },
      },
      laws: {
        type: [
          new Schema(
            {
              title: { type: String, required: true, maxlength: 500 },
              url: { type: String, required: true, validate: check(validators.httpUrl, 'web address') },
              language: { type: String, required: true, validate: check(validators.language, 'language code') },
            },
            { _id: false },
          ),
        ],
        default: [],
      },
      treaties: {
        type: [
          new Schema(
            {
              title: { type: String, required: true, maxlength: 500 },
              otherParties: { type: [String], default: [] },
              subject: { type: String, enum: treatySubject.options, required: true },
              signed: { type: String, validate: check(validators.isoDate, 'date') },
              inForce: { type: String, validate: check(validators.isoDate, 'date') },
              url: { type: String, validate: check(validators.httpUrl, 'web address') },
            },
            { _id: false },
          ),
        ],
        default: [],
      },
      alternativeArrangements: { type: stateTextSchema, required: false },
      untocLegalBasisForExtradition: { type: String, enum: legalBasisAnswer.options },
    },
    lastUpdatedAt: Date,
    lastConfirmedAt: Date,
    secondaryContacts: {
      type: [
        new Schema(
          {
            name: { type: String, required: true, trim: true, maxlength: 200 },
            email: { type: String, required: true, trim: true, lowercase: true, validate: check(validators.email, 'e-mail address') },
            role: { type: String, trim: true, maxlength: 100 },
            language: { type: String, enum: UN_LANGUAGES },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    sample: { type: Boolean, default: false },
    version: { type: Number, default: 0, min: 0 },
    ...writeMarks,
  },
  { collection: 'states', minimize: false },
);

/** Declared once, in directory.types.ts; here only what Mongoose alone knows, and the marks of unfinished writes. */
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

const designationTypeSchema = new Schema(
  {
    code: { type: String, required: true, unique: true, match: DESIGNATION_CODE_PATTERN },
    instrument: { type: String, enum: INSTRUMENTS, required: true },
    article: { type: String, required: true, maxlength: 50 },
    role: { type: String, required: true },
    titles: localizedShape,
    order: { type: Number, required: true },
    core: { type: Boolean, default: false },
  },
  { collection: 'designation_types' },
);

const resourceSchema = new Schema(
  {
    title: { type: String, required: true, maxlength: 300 },
    category: { type: String, enum: RESOURCE_CATEGORIES, required: true },
    url: { type: String, required: true, unique: true, validate: check(validators.httpUrl, 'web address') },
    languages: { type: [String], default: [], validate: eachOf(validators.language, 'language code') },
    description: { type: String, default: '', maxlength: 2000 },
  },
  { collection: 'resources' },
);

/** One document per dataset whose `version` grows on every write, so each app instance knows when to rebuild its search index. */
const changeStampSchema = new Schema({ _id: String, version: { type: Number, default: 0 } }, { collection: 'change_stamps' });

// Collections and indexes are created explicitly, in order, by ensureIndexes() (see there why).
mongoose.set('autoCreate', false);
mongoose.set('autoIndex', false);

export const StateModel = mongoose.model('State', stateSchema);
export const AuthorityModel = mongoose.model('Authority', authoritySchema);
export const DesignationTypeModel = mongoose.model('DesignationType', designationTypeSchema);
export const ResourceModel = mongoose.model('Resource', resourceSchema);
export const ChangeStampModel = mongoose.model('ChangeStamp', changeStampSchema);
