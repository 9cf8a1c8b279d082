/**
 * The Directory's domain vocabulary. Services take and return these plain objects; Mongoose
 * documents never leave the models.
 */

/** The six official languages of the United Nations, in the UN's own order (alphabetical in English). */
export const UN_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type UnLanguage = (typeof UN_LANGUAGES)[number];
export type Localized = Record<UnLanguage, string>;

/** UN regional groups: political groupings used by UN bodies, not part of the M49 standard. */
export const REGIONAL_GROUPS = ['AFRICAN', 'ASIA_PACIFIC', 'EASTERN_EUROPEAN', 'GRULAC', 'WEOG', 'NONE'] as const;
export type RegionalGroup = (typeof REGIONAL_GROUPS)[number];

export const INSTRUMENTS = ['UNTOC', 'TIP', 'SOM', 'FIREARMS', 'UNCAC', 'DRUGS1988'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

export const PARTY_STATUSES = ['party', 'signatory', 'not-party'] as const;
export type PartyStatus = (typeof PARTY_STATUSES)[number];

export const ACCESS_LEVELS = ['public', 'restricted'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Ways a request may be transmitted to an authority. */
export const CHANNELS = ['post', 'diplomatic', 'email', 'fax', 'interpol', 'direct-judicial', 'secure-platform'] as const;
export type Channel = (typeof CHANNELS)[number];

/** How an authority takes urgent requests in advance of the formal request (art. 18(14)). */
export const URGENT_MEANS = ['email', 'fax', 'oral', 'interpol'] as const;
export type UrgentMeans = (typeof URGENT_MEANS)[number];

export const AUTHORITY_KINDS = [
  'ministry-of-justice',
  'prosecution-service',
  'attorney-general',
  'ministry-of-foreign-affairs',
  'ministry-of-interior',
  'court',
  'police',
  'other',
] as const;
export type AuthorityKind = (typeof AUTHORITY_KINDS)[number];

export const RESOURCE_CATEGORIES = [
  'request-drafting-tool',
  'model-treaty',
  'model-law',
  'manual',
  'workshop-report',
  'other',
] as const;
export type ResourceCategory = (typeof RESOURCE_CATEGORIES)[number];

export const REQUIREMENT_TOPICS = ['mla', 'extradition', 'transfer'] as const;
export type RequirementTopic = (typeof REQUIREMENT_TOPICS)[number];

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
  format: 'plain' | 'markdown';
}

export interface LawLink {
  title: string;
  url: string;
  language: string;
}

export interface Treaty {
  title: string;
  otherParties: string[];
  subject: 'mla' | 'extradition' | 'transfer' | 'other';
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
  untocLegalBasisForExtradition?: 'yes' | 'no' | 'unknown';
}

export interface State {
  /** ISO 3166-1 alpha-3, or a documented code (EUU, as the World Bank and UN statistics use it, for the European Union) for parties without one. */
  code: string;
  iso2?: string;
  m49?: string;
  kind: 'member' | 'observer' | 'non-member' | 'organization';
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

export interface DesignationType {
  /** Stable code: instrument, article, paragraph, e.g. UNTOC-18-13. */
  code: string;
  instrument: Instrument;
  /** Human reference, e.g. "art. 18(13)". */
  article: string;
  role: 'mla' | 'extradition' | 'transfer' | 'migrant-smuggling' | 'drug-trafficking' | 'firearms' | 'other';
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
