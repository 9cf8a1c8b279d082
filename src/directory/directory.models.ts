import mongoose, { Schema } from 'mongoose';
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
    /** The revision that produced this version: a save that died before recording it is completed from its claim. */
    lastRevision: String,
    /** An import (write journal) that wrote this entry and may not be decided yet: readers see its state before that import until it commits. */
    pendingJournal: String,
    /** The editable fields before that import (absent for an entry it created). */
    pendingBefore: Schema.Types.Mixed,
  },
  { collection: 'states', minimize: false },
);

const authoritySchema = new Schema(
  {
    state: { type: String, required: true, match: STATE_CODE_PATTERN, index: true },
    designations: { type: [String], required: true, validate: { validator: (v: string[]) => v.length > 0, message: 'at least one designation' } },
    name: {
      original: { type: String, required: true, trim: true, maxlength: 300 },
      originalLanguage: { type: String, required: true, validate: check(validators.language, 'language code') },
      en: { type: String, required: true, trim: true, maxlength: 300 },
    },
    kind: { type: String, enum: AUTHORITY_KINDS, required: true },
    address: {
      lines: { type: [{ type: String, maxlength: 200 }], default: [] },
      city: { type: String, required: true, maxlength: 100 },
      postalCode: { type: String, maxlength: 20 },
      country: { type: String, required: true, maxlength: 100 },
    },
    phones: { type: [phoneSchema], default: [] },
    fax: { type: [phoneSchema], default: [] },
    emails: { type: [{ type: String, trim: true, lowercase: true }], default: [], validate: eachOf(validators.email, 'e-mail address') },
    website: { type: String, validate: check(validators.httpUrl, 'web address') },
    officeHours: {
      type: new Schema(
        {
          timeZone: { type: String, required: true, validate: check(validators.timeZone, 'IANA time zone') },
          days: { type: [Number], default: [1, 2, 3, 4, 5], validate: { validator: (d: number[]) => d.every((n) => Number.isInteger(n) && n >= 1 && n <= 7), message: 'days are 1 (Monday) to 7 (Sunday)' } },
          opens: { type: String, required: true, validate: check(validators.clockTime, 'time (HH:MM)') },
          closes: { type: String, required: true, validate: check(validators.clockTime, 'time (HH:MM)') },
          notes: { type: String, maxlength: 500 },
        },
        { _id: false },
      ),
      required: false,
    },
    languages: { type: [String], default: [], validate: eachOf(validators.language, 'language code') },
    channels: { type: [{ type: String, enum: CHANNELS }], default: [] },
    urgent: {
      accepted: { type: Boolean, default: false },
      means: { type: [{ type: String, enum: URGENT_MEANS }], default: [] },
      notes: { type: String, maxlength: 2000 },
    },
    contact247: {
      type: new Schema(
        {
          description: { type: String, required: true, maxlength: 500 },
          phones: { type: [phoneSchema], default: [] },
          emails: { type: [String], default: [], validate: eachOf(validators.email, 'e-mail address') },
        },
        { _id: false },
      ),
      required: false,
    },
    contactPersons: {
      type: [
        new Schema(
          {
            name: { type: String, required: true, maxlength: 200 },
            title: { type: String, maxlength: 200 },
            phones: { type: [phoneSchema], default: [] },
            emails: { type: [String], default: [], validate: eachOf(validators.email, 'e-mail address') },
            languages: { type: [String], default: [], validate: eachOf(validators.language, 'language code') },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    notes: { type: String, maxlength: 5000 },
    updatedAt: { type: Date, default: () => new Date() },
    sample: { type: Boolean, default: false },
    version: { type: Number, default: 0, min: 0 },
    /** The revision that produced this version: a save that died before recording it is completed from its claim. */
    lastRevision: String,
    /** An import (write journal) that wrote this entry and may not be decided yet: readers see its state before that import until it commits. */
    pendingJournal: String,
    /** The editable fields before that import (absent for an entry it created). */
    pendingBefore: Schema.Types.Mixed,
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
