import { z } from 'zod';
import type { StateKind, TreatySubject, UnLanguage } from '../shared/vocabulary';

/**
 * The Directory's domain vocabulary. Services take and return these plain objects; Mongoose
 * documents never leave the models. Each enumeration is a zod enum (its `.options` feed the
 * Mongoose models and the OpenAPI document); the shared ones live in shared/vocabulary.ts.
 */

export { UN_LANGUAGES, type UnLanguage } from '../shared/vocabulary';
export type Localized = Record<UnLanguage, string>;

/** UN regional groups: political groupings used by UN bodies, not part of the M49 standard. */
export const regionalGroup = z.enum(['AFRICAN', 'ASIA_PACIFIC', 'EASTERN_EUROPEAN', 'GRULAC', 'WEOG', 'NONE']);
export const REGIONAL_GROUPS = regionalGroup.options;
export type RegionalGroup = z.infer<typeof regionalGroup>;

export const instrument = z.enum(['UNTOC', 'TIP', 'SOM', 'FIREARMS', 'UNCAC', 'DRUGS1988']);
export const INSTRUMENTS = instrument.options;
export type Instrument = z.infer<typeof instrument>;

export const partyStatus = z.enum(['party', 'signatory', 'not-party']);
export const PARTY_STATUSES = partyStatus.options;
export type PartyStatus = z.infer<typeof partyStatus>;

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
export type UrgentMeans = z.infer<typeof urgentMeans>;

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
export type ResourceCategory = z.infer<typeof resourceCategory>;

export const requirementTopic = z.enum(['mla', 'extradition', 'transfer']);
export const REQUIREMENT_TOPICS = requirementTopic.options;
export type RequirementTopic = z.infer<typeof requirementTopic>;

export interface PartyRecord {
  instrument: Instrument;
  status: PartyStatus;
  /** ISO date (YYYY-MM-DD) of signature, if known. */
  signed?: string;
  /** ISO date of ratification, acceptance, approval, accession or succession, if known. */
  consented?: string;
  /** Where the fact comes from, e.g. the depositary's status page and the date it was read. */
  source?: string;
}

/** A text written by the State, in the language it chose; `format` says how to render it. */
export interface StateText {
  text: string;
  language: string;
  format: z.infer<typeof textFormat>;
}

export interface LawLink {
  title: string;
  url: string;
  language: string;
}

export interface Treaty {
  title: string;
  otherParties: string[];
  subject: TreatySubject;
  signed?: string;
  inForce?: string;
  url?: string;
}

/** Decision 3/2 (g)(iii): information a State may choose to add. */
export interface OptionalSection {
  requirements: Partial<Record<RequirementTopic, StateText>>;
  laws: LawLink[];
  treaties: Treaty[];
  alternativeArrangements?: StateText;
  /** Art. 16(5): does the State take the Convention as the legal basis for extradition? */
  untocLegalBasisForExtradition?: z.infer<typeof legalBasisAnswer>;
}

export interface State {
  /** ISO 3166-1 alpha-3, or a documented code (EUU, as the World Bank and UN statistics use it, for the European Union) for parties without one. */
  code: string;
  iso2?: string;
  m49?: string;
  kind: StateKind;
  names: Localized;
  region: RegionalGroup;
  /** Common, former and abbreviated names in any language, used only to find the State. */
  aliases: string[];
  parties: PartyRecord[];
  access: AccessLevel;
  optional: OptionalSection;
  lastUpdatedAt?: Date;
  lastConfirmedAt?: Date;
  /** Who else hears about reminders the focal points leave unanswered (e.g. the permanent mission); never shown to readers. */
  secondaryContacts?: SecondaryContact[];
  /** True when the State's entry (optional section included) is sample data. */
  sample: boolean;
  /** Raised by every edit of the State's own fields (access, optional section), so a stale form cannot overwrite a newer save. */
  version: number;
}

/** A State's contact besides its focal points, copied when reminders go unanswered. */
export interface SecondaryContact {
  name: string;
  email: string;
  /** e.g. 'permanent mission' */
  role?: string;
  language?: UnLanguage;
}

export const designationRole = z.enum(['mla', 'extradition', 'transfer', 'migrant-smuggling', 'drug-trafficking', 'firearms', 'other']);
export const DESIGNATION_ROLES = designationRole.options;
export type DesignationRole = z.infer<typeof designationRole>;

export const textFormat = z.enum(['plain', 'markdown']);
export const legalBasisAnswer = z.enum(['yes', 'no', 'unknown']);

export interface DesignationType {
  /** Stable code: instrument, article, paragraph, e.g. UNTOC-18-13. */
  code: string;
  instrument: Instrument;
  /** Human reference, e.g. "art. 18(13)". */
  article: string;
  role: DesignationRole;
  titles: Localized;
  /** Position in lists; the UNTOC core designations come first. */
  order: number;
  /** Whether a State page lists it as missing when no authority holds it (the decision's core set). */
  core: boolean;
}

export interface Phone {
  /** E.164, e.g. +442079460123. */
  number: string;
  label?: string;
}

export interface ContactPerson {
  name: string;
  title?: string;
  phones: Phone[];
  emails: string[];
  languages: string[];
}

export interface OfficeHours {
  /** IANA time zone, e.g. Europe/Vienna. */
  timeZone: string;
  /** ISO weekdays the office is open (1 = Monday ... 7 = Sunday). */
  days: number[];
  opens: string;
  closes: string;
  notes?: string;
}

export interface UrgentProcedure {
  accepted: boolean;
  means: UrgentMeans[];
  notes?: string;
}

export interface Authority {
  id: string;
  state: string;
  designations: string[];
  name: { original: string; originalLanguage: string; en: string };
  kind: AuthorityKind;
  address: { lines: string[]; city: string; postalCode?: string; country: string };
  phones: Phone[];
  fax: Phone[];
  emails: string[];
  website?: string;
  officeHours?: OfficeHours;
  languages: string[];
  channels: Channel[];
  urgent: UrgentProcedure;
  contact247?: { description: string; phones: Phone[]; emails: string[] };
  contactPersons: ContactPerson[];
  notes?: string;
  updatedAt: Date;
  sample: boolean;
  /** Raised by every edit, so a stale form cannot overwrite a newer save. */
  version: number;
}

export interface Resource {
  id: string;
  title: string;
  category: ResourceCategory;
  url: string;
  languages: string[];
  description: string;
}
