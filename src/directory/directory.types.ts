import { z } from 'zod';
import { validators } from '../shared/validators';
import { designationCode, emailAddress, isoDate, languageCode, OBJECT_ID_PATTERN, stateCode, stateKind, treatySubject, unLanguage, webAddress } from '../shared/vocabulary';

/**
 * The Directory's domain vocabulary. Services take and return these plain objects; Mongoose
 * documents never leave the models. Each shape and enumeration is a zod schema, its type is
 * `z.infer` of it; the enumerations' `.options` feed the Mongoose models, and the shapes the API
 * answers with carry the descriptions (`.meta`) the OpenAPI document is generated from. The
 * shared vocabulary lives in shared/vocabulary.ts.
 */

export { UN_LANGUAGES, type UnLanguage } from '../shared/vocabulary';

/** A text in the six official languages of the United Nations. */
const nonEmpty = z.string().min(1);
export const localized = z.strictObject({ ar: nonEmpty, zh: nonEmpty, en: nonEmpty, fr: nonEmpty, ru: nonEmpty, es: nonEmpty });
export type Localized = z.infer<typeof localized>;

/** UN regional groups: political groupings used by UN bodies, not part of the M49 standard. */
export const regionalGroup = z.enum(['AFRICAN', 'ASIA_PACIFIC', 'EASTERN_EUROPEAN', 'GRULAC', 'WEOG', 'NONE']);
export const REGIONAL_GROUPS = regionalGroup.options;
export type RegionalGroup = z.infer<typeof regionalGroup>;

/**
 * An instrument's code: capitals and digits, e.g. UNTOC, DRUGS1988. Instruments are data (the
 * secretariat keeps the catalogue in the console), so a code is checked against the catalogue by
 * the services, not here.
 */
export const INSTRUMENT_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,19}$/;
export const instrument = z.string().regex(INSTRUMENT_CODE_PATTERN).meta({ description: 'Instrument code', examples: ['UNTOC'] });
export type Instrument = z.infer<typeof instrument>;

/** The depositary's reference of a treaty in the UN Treaty Collection (chapter and number), e.g. XVIII-12 or XVIII-12-a. */
export const DEPOSITARY_REFERENCE_PATTERN = /^[IVXLC]{1,8}-\d{1,3}(-[a-z])?$/;

export const partyStatus = z.enum(['party', 'signatory', 'not-party']);
export const PARTY_STATUSES = partyStatus.options;

export const accessLevel = z.enum(['public', 'restricted']);
export const ACCESS_LEVELS = accessLevel.options;
export type AccessLevel = z.infer<typeof accessLevel>;

/** Ways a request may be transmitted to an authority. */
export const channel = z.enum(['post', 'diplomatic', 'email', 'fax', 'interpol', 'direct-judicial', 'secure-platform']);
export const CHANNELS = channel.options;
export type Channel = z.infer<typeof channel>;

/** How an authority takes urgent requests in advance of the formal request (art. 18(14)). */
export const urgentMeans = z.enum(['email', 'fax', 'oral', 'interpol']);
export const URGENT_MEANS = urgentMeans.options;

export const authorityKind = z.enum([
  'ministry-of-justice',
  'prosecution-service',
  'attorney-general',
  'ministry-of-foreign-affairs',
  'ministry-of-interior',
  'court',
  'police',
  'other',
]);
export const AUTHORITY_KINDS = authorityKind.options;
export type AuthorityKind = z.infer<typeof authorityKind>;

export const resourceCategory = z.enum([
  'request-drafting-tool',
  'model-treaty',
  'model-law',
  'manual',
  'workshop-report',
  'other',
]);
export const RESOURCE_CATEGORIES = resourceCategory.options;

export const requirementTopic = z.enum(['mla', 'extradition', 'transfer']);
export type RequirementTopic = z.infer<typeof requirementTopic>;

export const textFormat = z.enum(['plain', 'markdown']);
export const legalBasisAnswer = z.enum(['yes', 'no', 'unknown']);

/** How the documents of a request must be authenticated before the State acts on them. */
export const authentication = z.enum(['none', 'certification', 'apostille', 'legalisation']);
export const AUTHENTICATIONS = authentication.options;

/** What a State grants a request on: a treaty with the requesting State, reciprocity, or the Convention itself. */
export const legalBasisKind = z.enum(['treaty', 'reciprocity', 'untoc']);
export const LEGAL_BASIS_KINDS = legalBasisKind.options;

export const designationRole = z.enum(['mla', 'extradition', 'transfer', 'migrant-smuggling', 'drug-trafficking', 'firearms', 'contact-point', 'other']);
export const DESIGNATION_ROLES = designationRole.options;

/** The act by which a State consented to be bound, as the depositary marks it (none: ratification; a, A, AA, d). */
export const consentKind = z.enum(['ratification', 'accession', 'acceptance', 'approval', 'succession']);
export const CONSENT_KINDS = consentKind.options;
export type ConsentKind = z.infer<typeof consentKind>;

export const partyRecord = z
  .object({
    instrument,
    status: partyStatus,
    /** ISO date (YYYY-MM-DD) of signature, if known. */
    signed: isoDate.optional(),
    consented: isoDate.meta({ description: 'Ratification, acceptance, approval, accession or succession' }).optional(),
    consentKind: consentKind.meta({ description: 'The act of consent on that date, when known' }).optional(),
    /** e.g. the depositary's status page and the date it was read. */
    source: z.string().meta({ description: 'Where the fact comes from' }).optional(),
  })
  .meta({ id: 'PartyRecord', description: 'Whether the State is a party to an instrument' });
export type PartyRecord = z.infer<typeof partyRecord>;

export const stateText = z
  .object({ text: nonEmpty, language: languageCode, format: textFormat })
  .meta({ id: 'StateText', description: 'A text written by the State in the language it chose; `format` says how to render it' });
export type StateText = z.infer<typeof stateText>;

export const lawLink = z.object({ title: nonEmpty, url: webAddress, language: languageCode }).meta({ id: 'LawLink', description: 'A link to a law' });

export const treaty = z
  .object({
    title: nonEmpty,
    otherParties: z.array(stateCode),
    subject: treatySubject,
    signed: isoDate.optional(),
    inForce: isoDate.optional(),
    url: webAddress.optional(),
  })
  .meta({ id: 'Treaty', description: 'A bilateral or multilateral treaty' });
export type Treaty = z.infer<typeof treaty>;

/**
 * The requirements of one kind of request as facts a requester can check off, beside the State's
 * own summary. Every part is optional: a list left empty or an answer left out is not stated.
 */
export const structuredRequirements = z
  .object({
    requestLanguages: z.array(languageCode).meta({ description: 'Languages the request may be written in or translated into' }),
    attachmentLanguages: z.array(languageCode).meta({ description: 'Languages the attachments may be written in or translated into' }),
    translationRequired: z.boolean().meta({ description: 'Whether a request or attachment in another language must come with a translation into one of those' }).optional(),
    formalChannels: z.array(channel).meta({ description: 'How the formal request may be sent' }),
    advanceCopyByEmail: z.boolean().meta({ description: 'Whether an advance copy by e-mail is acted upon before the original arrives' }).optional(),
    originalWithinDays: z.number().int().min(1).max(365).meta({ description: 'Days within which the original must follow an advance copy' }).optional(),
    dualCriminality: legalBasisAnswer.meta({ description: 'Whether the act must be an offence in both States for coercive measures' }).optional(),
    authentication: authentication.meta({ description: 'Certification or authentication the documents need' }).optional(),
    legalBases: z.array(legalBasisKind).meta({ description: 'Legal bases on which the State grants the request' }),
  })
  .meta({ id: 'StructuredRequirements', description: 'Requirements of one kind of request, as a checklist' });
export type StructuredRequirements = z.infer<typeof structuredRequirements>;

export const optionalSection = z
  .object({
    requirements: z
      .object({ mla: stateText.optional(), extradition: stateText.optional(), transfer: stateText.optional() } satisfies Record<RequirementTopic, z.ZodType>)
      .meta({ description: 'Summaries of requirements, by kind of request' }),
    structuredRequirements: z
      .object({
        mla: structuredRequirements.optional(),
        extradition: structuredRequirements.optional(),
        transfer: structuredRequirements.optional(),
      } satisfies Record<RequirementTopic, z.ZodType>)
      .meta({ description: 'Requirements as a checklist, by kind of request; absent when none is stated' })
      .optional(),
    laws: z.array(lawLink),
    treaties: z.array(treaty),
    alternativeArrangements: stateText.optional(),
    untocLegalBasisForExtradition: legalBasisAnswer
      .meta({ description: 'Art. 16(5): does the State take the Convention as the legal basis for extradition?' })
      .optional(),
  })
  .meta({ id: 'OptionalSection', description: 'Decision 3/2 (g)(iii): information a State may choose to add' });
export type OptionalSection = z.infer<typeof optionalSection>;

/** A State's contact besides its focal points, copied when reminders go unanswered. */
const secondaryContact = z.object({
  name: nonEmpty,
  email: emailAddress,
  /** e.g. 'permanent mission' */
  role: z.string().optional(),
  language: unLanguage.optional(),
});
export type SecondaryContact = z.infer<typeof secondaryContact>;

export const state = z.object({
  /** ISO 3166-1 alpha-3, or a documented code (EUU, as the World Bank and UN statistics use it, for the European Union) for parties without one. */
  code: stateCode,
  iso2: z.string().regex(/^[A-Z]{2}$/).optional(),
  m49: z.string().regex(/^\d{3}$/).optional(),
  kind: stateKind,
  names: localized,
  region: regionalGroup,
  /** Common, former and abbreviated names in any language, used only to find the State. */
  aliases: z.array(z.string()),
  parties: z.array(partyRecord),
  access: accessLevel,
  optional: optionalSection,
  lastUpdatedAt: z.date().optional(),
  lastConfirmedAt: z.date().optional(),
  /** Who else hears about reminders the focal points leave unanswered (e.g. the permanent mission); never shown to readers. */
  secondaryContacts: z.array(secondaryContact).optional(),
  /** True when the State's entry (optional section included) is sample data. */
  sample: z.boolean(),
  /** Raised by every edit of the State's own fields (access, optional section), so a stale form cannot overwrite a newer save. */
  version: z.number().int(),
});
export type State = z.infer<typeof state>;

export const instrumentRecord = z.object({
  code: instrument,
  titles: localized.meta({ description: 'The full title in the six official languages' }),
  shortNames: localized.meta({ description: 'The short name in the six official languages, as lists and filters show it' }),
  depositaryReference: z
    .string()
    .regex(DEPOSITARY_REFERENCE_PATTERN)
    .meta({ description: "The depositary's reference in the UN Treaty Collection", examples: ['XVIII-12'] })
    .optional(),
  inForce: isoDate.meta({ description: 'Date of entry into force, if it has entered into force' }).optional(),
  /** Position in lists; the Convention and its Protocols come first. */
  order: z.number().int(),
  /** A retired instrument stays in records and history but leaves forms and filters. */
  retired: z.boolean().optional(),
});
export type InstrumentRecord = z.infer<typeof instrumentRecord>;

export const designationType = z.object({
  code: designationCode,
  instrument,
  article: nonEmpty.meta({ description: 'Human reference, e.g. "art. 18(13)"' }),
  role: designationRole,
  titles: localized.meta({ description: 'The title in the six official languages' }),
  shortTitles: localized.meta({ description: 'A short label for tables and at-a-glance marks, e.g. "MLA"' }).optional(),
  /** Position in lists; the UNTOC core designations come first. */
  order: z.number().int(),
  core: z.boolean().meta({ description: 'Whether every party to its instrument is expected to make it: a State page lists it as missing when no authority holds it' }),
  /** A retired type stays on the authorities that held it and in history, but leaves forms and filters. */
  retired: z.boolean().optional(),
});
export type DesignationType = z.infer<typeof designationType>;

export const phone = z
  .object({
    number: z.string().regex(/^\+[1-9]\d{6,14}$/).refine(validators.phone).meta({ description: 'E.164', examples: ['+442079460123'] }),
    label: z.string().optional(),
  })
  .meta({ id: 'Phone', description: 'A telephone or fax number' });
export type Phone = z.infer<typeof phone>;

export const contactPerson = z
  .object({ name: nonEmpty, title: z.string().optional(), phones: z.array(phone), emails: z.array(emailAddress), languages: z.array(languageCode) })
  .meta({ description: 'A person to contact' });
export type ContactPerson = z.infer<typeof contactPerson>;

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).meta({ description: 'Local time, HH:MM' });

export const officeHours = z
  .object({
    timeZone: z.string().refine(validators.timeZone).meta({ description: 'IANA time zone, e.g. Europe/Vienna' }),
    days: z.array(z.number().int().min(1).max(7)).meta({ description: 'ISO weekdays (1 = Monday ... 7 = Sunday)' }),
    opens: clockTime,
    closes: clockTime,
    notes: z.string().optional(),
  })
  .meta({ description: 'When the office is open, in its own time zone' });
export type OfficeHours = z.infer<typeof officeHours>;

export const urgentProcedure = z
  .object({ accepted: z.boolean(), means: z.array(urgentMeans), notes: z.string().optional() })
  .meta({ description: 'How urgent requests are taken in advance of the formal request (art. 18(14))' });

/**
 * What an authority's focal points edit: the one declaration of its fields. The Mongoose model, the
 * fields a revision keeps and those a replacing write unsets all come from it; a new field is added
 * here, in the input schema (editing.schema.ts) and in the form.
 */
/** Since when an authority holds one of its designations, and when the State notified it to the depositary. */
export const designationDate = z
  .object({
    code: designationCode,
    since: isoDate.meta({ description: 'Since when the authority holds the designation' }),
    notified: isoDate.meta({ description: 'When the designation was notified to the depositary, if known' }).optional(),
  })
  .meta({ id: 'DesignationDate' });
export type DesignationDate = z.infer<typeof designationDate>;

export const authorityFields = z.object({
  designations: z.array(designationCode).min(1),
  /** One row per designation held (entries from before dates were kept have none); a designation given up leaves its row in the revisions, dated by them. */
  designationDates: z.array(designationDate).meta({ description: 'Since when each designation is held, and when it was notified to the depositary' }).optional(),
  name: z.object({ original: nonEmpty, originalLanguage: languageCode, en: nonEmpty }).meta({ description: 'The name in its original language and in English' }),
  kind: authorityKind,
  address: z
    .object({ lines: z.array(z.string()), city: nonEmpty, postalCode: z.string().optional(), country: nonEmpty })
    .meta({ description: 'Postal address' }),
  phones: z.array(phone),
  fax: z.array(phone),
  emails: z.array(emailAddress),
  website: webAddress.optional(),
  officeHours: officeHours.optional(),
  languages: z.array(languageCode).meta({ description: 'Languages in which the authority accepts requests' }),
  channels: z.array(channel).meta({ description: 'Ways a request may be transmitted' }),
  urgent: urgentProcedure,
  contact247: z
    .object({ description: nonEmpty, phones: z.array(phone), emails: z.array(emailAddress) })
    .meta({ description: 'A contact reachable at any hour' })
    .optional(),
  contactPersons: z.array(contactPerson),
  notes: z.string().optional(),
});
export type AuthorityFields = z.infer<typeof authorityFields>;
/** Every editable field, in the order forms, revisions and exports list them. */
export const AUTHORITY_FIELD_NAMES = authorityFields.keyof().options;

/** An authority as stored and answered: its editable fields, its State, and the stamps of its last change. */
export const authorityRecord = z.object({
  state: stateCode,
  ...authorityFields.shape,
  updatedAt: z.date(),
  sample: z.boolean().meta({ description: 'True when the authority is fictitious sample data' }),
  version: z
    .number()
    .int()
    .min(0)
    .meta({ description: 'Raised by every change; send the version you read back with a change (in the body or If-Match), so a stale copy cannot overwrite a newer save' }),
});

export const authority = z.object({
  id: z.string().regex(OBJECT_ID_PATTERN).meta({ description: 'Stable identifier of an authority' }),
  ...authorityRecord.shape,
});
export type Authority = z.infer<typeof authority>;

export const resource = z
  .object({ id: z.string(), title: nonEmpty, category: resourceCategory, url: webAddress, languages: z.array(languageCode), description: z.string() })
  .meta({ id: 'Resource', description: 'A tool, model treaty or law, manual or report for practitioners' });
export type Resource = z.infer<typeof resource>;
