import type { toRevisionJson } from '../editing/editing.json';
import { REVISION_ACTIONS } from '../editing/revision.repository';
import type { toFinderAnswerJson } from '../finder/finder.json';
import { NEED_CODES } from '../finder/finder.needs';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../shared/pagination';
import { DESIGNATION_CODE_PATTERN, OBJECT_ID_PATTERN, STATE_CODE_ANY_CASE_PATTERN, STATE_CODE_PATTERN, stateKind, treatySubject } from '../shared/vocabulary';
import type { toAuthorityJson, toStateDetailJson, toStateSummaryJson } from './directory.json';
import {
  ACCESS_LEVELS,
  AUTHORITY_KINDS,
  CHANNELS,
  INSTRUMENTS,
  PARTY_STATUSES,
  REGIONAL_GROUPS,
  REQUIREMENT_TOPICS,
  RESOURCE_CATEGORIES,
  UN_LANGUAGES,
  URGENT_MEANS,
  DESIGNATION_ROLES,
  legalBasisAnswer,
  textFormat,
  type Authority,
  type ContactPerson,
  type DesignationType,
  type LawLink,
  type OfficeHours,
  type OptionalSection,
  type PartyRecord,
  type Phone,
  type Resource,
  type StateText,
  type Treaty,
  type UrgentProcedure,
} from './directory.types';

/**
 * OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json. Enumerations come from
 * directory.types.ts and every object schema is checked by the compiler against the JSON shapes of
 * directory.json.ts, so the document cannot drift from what the API answers.
 */

/** The subset of OpenAPI 3.1 (and its JSON Schema 2020-12 dialect) this document uses. */
type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export interface SchemaObject {
  $ref?: string;
  type?: JsonType | readonly JsonType[];
  title?: string;
  description?: string;
  const?: string | number | boolean | null;
  enum?: ReadonlyArray<string | number | boolean | null>;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: SchemaObject;
  minItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, SchemaObject>;
  required?: readonly string[];
  additionalProperties?: boolean | SchemaObject;
  oneOf?: readonly SchemaObject[];
  examples?: readonly unknown[];
}

export interface ReferenceObject {
  $ref: string;
}

export interface ParameterObject {
  name: string;
  in: 'query' | 'path' | 'header';
  description: string;
  required?: boolean;
  schema: SchemaObject;
}

export interface MediaTypeObject {
  schema: SchemaObject;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, MediaTypeObject>;
}

export interface RequestBodyObject {
  description?: string;
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags?: readonly string[];
  parameters?: ReadonlyArray<ParameterObject | ReferenceObject>;
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject | ReferenceObject>;
}

export interface PathItemObject {
  get?: OperationObject;
  post?: OperationObject;
  put?: OperationObject;
  delete?: OperationObject;
}

export interface OpenApiDocument {
  openapi: `3.1.${number}`;
  info: { title: string; version: string; description?: string; license?: { name: string; identifier?: string } };
  servers?: ReadonlyArray<{ url: string; description?: string }>;
  tags?: ReadonlyArray<{ name: string; description?: string }>;
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, SchemaObject>;
    parameters: Record<string, ParameterObject>;
    responses: Record<string, ResponseObject>;
  };
}

/** Keys of T a JSON answer may leave out (their value may be undefined, which JSON drops). */
type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/**
 * A closed object schema whose properties are exactly the keys of T and whose `required` list is
 * every key but the optional ones, which must all be named: the compiler rejects a missing,
 * extra or wrongly optional field.
 */
function exactObject<T extends object>(
  description: string,
  properties: { [K in keyof T]-?: SchemaObject },
  optional: { [K in OptionalKeys<T>]: true },
): SchemaObject {
  const optionalKeys = new Set(Object.keys(optional));
  return {
    type: 'object',
    description,
    properties,
    required: Object.keys(properties).filter((key) => !optionalKeys.has(key)),
    additionalProperties: false,
  };
}

const STATE_KINDS = stateKind.options;
const TEXT_FORMATS = textFormat.options;
const TREATY_SUBJECTS = treatySubject.options;
const LEGAL_BASIS_ANSWERS = legalBasisAnswer.options;

type StateSummaryJson = ReturnType<typeof toStateSummaryJson>;
type StateDetailJson = ReturnType<typeof toStateDetailJson>;
type AuthorityJson = Extract<ReturnType<typeof toAuthorityJson>, { restricted: false }>;
type AuthorityStubJson = Extract<ReturnType<typeof toAuthorityJson>, { restricted: true }>;
type DesignationTypeJson = Pick<DesignationType, 'code' | 'instrument' | 'article' | 'role' | 'titles' | 'core'>;
type RevisionJson = ReturnType<typeof toRevisionJson>;

type ComponentName =
  | 'StateSummary'
  | 'StateDetail'
  | 'Authority'
  | 'AuthorityStub'
  | 'DesignationType'
  | 'Resource'
  | 'Error'
  | 'Phone'
  | 'PartyRecord'
  | 'StateText'
  | 'LawLink'
  | 'Treaty'
  | 'OptionalSection'
  | 'AuthorityInput'
  | 'OptionalSectionInput'
  | 'AccessInput'
  | 'Revision';

const ref = (name: ComponentName): SchemaObject => ({ $ref: `#/components/schemas/${name}` });
const string = (description?: string): SchemaObject => ({ type: 'string', ...(description ? { description } : {}) });
const arrayOf = (items: SchemaObject, description?: string): SchemaObject => ({ type: 'array', items, ...(description ? { description } : {}) });
const dateTimeOrNull = (description: string): SchemaObject => ({ type: ['string', 'null'], format: 'date-time', description });

const STATE_CODE: SchemaObject = { type: 'string', pattern: STATE_CODE_PATTERN.source, description: 'ISO 3166-1 alpha-3 code, or EUU for the European Union', examples: ['FRA'] };
const AUTHORITY_ID: SchemaObject = { type: 'string', pattern: OBJECT_ID_PATTERN.source, description: 'Stable identifier of an authority' };
const DESIGNATION_CODE: SchemaObject = {
  type: 'string',
  pattern: DESIGNATION_CODE_PATTERN.source,
  description: 'Designation code: instrument, article, paragraph',
  examples: ['UNTOC-18-13'],
};
const LANGUAGE_CODE: SchemaObject = { type: 'string', pattern: '^[a-z]{2,3}$', description: 'ISO 639-1 language code (639-2/3 where none exists)' };
const PHONE_NUMBER: SchemaObject = { type: 'string', pattern: '^\\+[1-9]\\d{6,14}$', description: 'E.164', examples: ['+442079460123'] };
const ISO_DATE: SchemaObject = { type: 'string', format: 'date' };
const CLOCK_TIME: SchemaObject = { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'Local time, HH:MM' };
const WEB_ADDRESS: SchemaObject = { type: 'string', format: 'uri' };
const EMAIL: SchemaObject = { type: 'string', format: 'email' };
const VERSION: SchemaObject = {
  type: 'integer',
  minimum: 0,
  description: 'Raised by every change; send the version you read back with a change (in the body or If-Match), so a stale copy cannot overwrite a newer save',
};

const localized = (description: string): SchemaObject => ({
  type: 'object',
  description,
  properties: Object.fromEntries(UN_LANGUAGES.map((lang) => [lang, string()])),
  required: UN_LANGUAGES,
  additionalProperties: false,
});

const phone = exactObject<Phone>('A telephone or fax number', { number: PHONE_NUMBER, label: string() }, { label: true });

const stateText = exactObject<StateText>(
  "A text written by the State in the language it chose; `format` says how to render it",
  { text: string(), language: LANGUAGE_CODE, format: { type: 'string', enum: TEXT_FORMATS } },
  {},
);

const partyRecord = exactObject<PartyRecord>(
  'Whether the State is a party to an instrument',
  {
    instrument: { type: 'string', enum: INSTRUMENTS },
    status: { type: 'string', enum: PARTY_STATUSES },
    signed: ISO_DATE,
    consented: { ...ISO_DATE, description: 'Ratification, acceptance, approval, accession or succession' },
    source: string('Where the fact comes from'),
  },
  { signed: true, consented: true, source: true },
);

const lawLink = exactObject<LawLink>('A link to a law', { title: string(), url: WEB_ADDRESS, language: LANGUAGE_CODE }, {});

const treaty = exactObject<Treaty>(
  'A bilateral or multilateral treaty',
  {
    title: string(),
    otherParties: arrayOf(STATE_CODE),
    subject: { type: 'string', enum: TREATY_SUBJECTS },
    signed: ISO_DATE,
    inForce: ISO_DATE,
    url: WEB_ADDRESS,
  },
  { signed: true, inForce: true, url: true },
);

const optionalSection = exactObject<OptionalSection>(
  'Decision 3/2 (g)(iii): information a State may choose to add',
  {
    requirements: {
      type: 'object',
      description: 'Summaries of requirements, by kind of request',
      properties: Object.fromEntries(REQUIREMENT_TOPICS.map((topic) => [topic, ref('StateText')])),
      additionalProperties: false,
    },
    laws: arrayOf(ref('LawLink')),
    treaties: arrayOf(ref('Treaty')),
    alternativeArrangements: ref('StateText'),
    untocLegalBasisForExtradition: {
      type: 'string',
      enum: LEGAL_BASIS_ANSWERS,
      description: 'Art. 16(5): does the State take the Convention as the legal basis for extradition?',
    },
  },
  { alternativeArrangements: true, untocLegalBasisForExtradition: true },
);

const summaryProperties: { [K in keyof StateSummaryJson]-?: SchemaObject } = {
  code: STATE_CODE,
  name: string("The State's name in the language asked for with `lang`"),
  names: localized('The name in the six official languages of the United Nations'),
  region: { type: 'string', enum: REGIONAL_GROUPS, description: 'UN regional group' },
  access: {
    type: 'string',
    enum: ACCESS_LEVELS,
    description: 'Whether the State publishes its details to everyone or to authorized users only',
  },
  lastUpdated: dateTimeOrNull('When the entry last changed; null when never'),
  lastConfirmed: dateTimeOrNull('When the State last confirmed the entry unchanged; null when never'),
  stale: { type: 'boolean', description: 'Neither updated nor confirmed within the last 12 months' },
  designations: arrayOf(DESIGNATION_CODE, 'Designations held by at least one authority, in catalogue order'),
  authorityCount: { type: 'integer', minimum: 0 },
  sample: { type: 'boolean', description: 'True when the entry holds fictitious sample data' },
};

const stateSummary = exactObject<StateSummaryJson>('A State at a glance', summaryProperties, {});

const authorityStub = exactObject<AuthorityStubJson>(
  "An authority of a State that restricts its details to authorized users: only that it exists and what it is designated for",
  { id: AUTHORITY_ID, state: STATE_CODE, designations: arrayOf(DESIGNATION_CODE), restricted: { type: 'boolean', const: true } },
  {},
);

const authority = exactObject<AuthorityJson>(
  'An authority with its contact details',
  {
    id: AUTHORITY_ID,
    state: STATE_CODE,
    designations: { ...arrayOf(DESIGNATION_CODE), minItems: 1 },
    name: exactObject<Authority['name']>(
      'The name in its original language and in English',
      { original: string(), originalLanguage: LANGUAGE_CODE, en: string() },
      {},
    ),
    kind: { type: 'string', enum: AUTHORITY_KINDS },
    address: exactObject<Authority['address']>(
      'Postal address',
      { lines: arrayOf(string()), city: string(), postalCode: string(), country: string() },
      { postalCode: true },
    ),
    phones: arrayOf(ref('Phone')),
    fax: arrayOf(ref('Phone')),
    emails: arrayOf(EMAIL),
    website: WEB_ADDRESS,
    officeHours: exactObject<OfficeHours>(
      'When the office is open, in its own time zone',
      {
        timeZone: string('IANA time zone, e.g. Europe/Vienna'),
        days: arrayOf({ type: 'integer', minimum: 1, maximum: 7 }, 'ISO weekdays (1 = Monday ... 7 = Sunday)'),
        opens: CLOCK_TIME,
        closes: CLOCK_TIME,
        notes: string(),
      },
      { notes: true },
    ),
    languages: arrayOf(LANGUAGE_CODE, 'Languages in which the authority accepts requests'),
    channels: arrayOf({ type: 'string', enum: CHANNELS }, 'Ways a request may be transmitted'),
    urgent: exactObject<UrgentProcedure>(
      'How urgent requests are taken in advance of the formal request (art. 18(14))',
      { accepted: { type: 'boolean' }, means: arrayOf({ type: 'string', enum: URGENT_MEANS }), notes: string() },
      { notes: true },
    ),
    contact247: exactObject<NonNullable<Authority['contact247']>>(
      'A contact reachable at any hour',
      { description: string(), phones: arrayOf(ref('Phone')), emails: arrayOf(EMAIL) },
      {},
    ),
    contactPersons: arrayOf(
      exactObject<ContactPerson>(
        'A person to contact',
        { name: string(), title: string(), phones: arrayOf(ref('Phone')), emails: arrayOf(EMAIL), languages: arrayOf(LANGUAGE_CODE) },
        { title: true },
      ),
    ),
    notes: string(),
    updatedAt: dateTimeOrNull('When the authority was last updated'),
    sample: { type: 'boolean', description: 'True when the authority is fictitious sample data' },
    restricted: { type: 'boolean', const: false },
    version: VERSION,
  },
  { website: true, officeHours: true, contact247: true, notes: true },
);

const stateDetail = exactObject<StateDetailJson>(
  'One State with its authorities. When the State restricts its details, an anonymous caller gets stubs and no optional section.',
  {
    ...summaryProperties,
    kind: { type: 'string', enum: STATE_KINDS },
    aliases: arrayOf(string(), 'Common, former and abbreviated names, in any language'),
    parties: arrayOf(ref('PartyRecord')),
    missingDesignations: arrayOf(DESIGNATION_CODE, 'Core designations no authority of the State holds'),
    detailsRestricted: { type: 'boolean', description: 'True when the caller may not see contact details and the optional section' },
    optional: { oneOf: [ref('OptionalSection'), { type: 'null' }], description: 'null when the details are restricted from the caller' },
    authorities: arrayOf(
      { oneOf: [ref('Authority'), ref('AuthorityStub')], description: 'A full authority (`restricted: false`) or a stub (`restricted: true`)' },
      'Authorities in catalogue order of their first designation',
    ),
    version: { ...VERSION, description: "Version of the State's own fields (access, optional section), to send back when changing them" },
  },
  {},
);

const designationType = exactObject<DesignationTypeJson>(
  'A kind of designation a State may make under an instrument',
  {
    code: DESIGNATION_CODE,
    instrument: { type: 'string', enum: INSTRUMENTS },
    article: string('Human reference, e.g. "art. 18(13)"'),
    role: { type: 'string', enum: DESIGNATION_ROLES },
    titles: localized('The title in the six official languages'),
    core: { type: 'boolean', description: 'Whether a State page lists it as missing when no authority holds it' },
  },
  {},
);

const resource = exactObject<Resource>(
  'A tool, model treaty or law, manual or report for practitioners',
  {
    id: string(),
    title: string(),
    category: { type: 'string', enum: RESOURCE_CATEGORIES },
    url: WEB_ADDRESS,
    languages: arrayOf(LANGUAGE_CODE),
    description: string(),
  },
  {},
);

const error: SchemaObject = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: string('Machine-readable: invalid_parameters, bad_request, unauthorized, forbidden, not_found, conflict, internal_error'),
        message: string('Human-readable'),
        fields: {
          type: 'object',
          description: 'For invalid_parameters: each offending parameter or body field (a dotted path such as `phones.1.number`) with what it should be',
          additionalProperties: { type: 'string' },
        },
        currentVersion: { type: 'integer', minimum: 0, description: 'For conflict: the version now stored' },
        changes: arrayOf(
          {
            type: 'object',
            properties: { field: string('Dotted path of a field changed since the version sent'), current: { description: 'Its value now' } },
            required: ['field'],
            additionalProperties: false,
          },
          'For conflict: what changed since the version sent',
        ),
        changedBy: {
          type: 'object',
          description: 'For conflict: who made the latest of those changes, and when',
          properties: { email: EMAIL, role: string(), at: { type: 'string', format: 'date-time' } },
          required: ['at'],
          additionalProperties: false,
        },
      },
      required: ['code', 'message'],
      additionalProperties: false,
    },
  },
  required: ['error'],
  additionalProperties: false,
};

/** What a client sends to add or change an authority; fields it read (id, state, version...) may be sent back unchanged. */
const authorityInputProperties: Record<string, SchemaObject> = {
  ...authority.properties,
  address: {
    type: 'object',
    description: 'Postal address; the country is always the State',
    properties: { lines: arrayOf(string()), city: string(), postalCode: string(), country: string('Ignored') },
    required: ['city'],
    additionalProperties: false,
  },
  officeHours: {
    type: 'object',
    description: 'When the office is open, in its own time zone',
    properties: {
      timeZone: string('IANA time zone, e.g. Europe/Vienna'),
      days: arrayOf({ type: 'integer', minimum: 1, maximum: 7 }, 'ISO weekdays (1 = Monday ... 7 = Sunday)'),
      opens: CLOCK_TIME,
      closes: CLOCK_TIME,
      notes: string(),
    },
    required: ['timeZone', 'opens', 'closes'],
    additionalProperties: false,
  },
  urgent: {
    type: 'object',
    description: 'How urgent requests are taken in advance of the formal request (art. 18(14))',
    properties: { accepted: { type: 'boolean' }, means: arrayOf({ type: 'string', enum: URGENT_MEANS }), notes: string() },
    additionalProperties: false,
  },
  contact247: {
    type: 'object',
    description: 'A contact reachable at any hour',
    properties: { description: string(), phones: arrayOf(ref('Phone')), emails: arrayOf(EMAIL) },
    required: ['description'],
    additionalProperties: false,
  },
  contactPersons: arrayOf({
    type: 'object',
    description: 'A person to contact',
    properties: { name: string(), title: string(), phones: arrayOf(ref('Phone')), emails: arrayOf(EMAIL), languages: arrayOf(LANGUAGE_CODE) },
    required: ['name'],
    additionalProperties: false,
  }),
  id: { ...AUTHORITY_ID, description: 'Ignored (read-only)' },
  state: { ...STATE_CODE, description: 'Read-only: when sent, it must be the State the authority belongs to' },
  updatedAt: { type: ['string', 'null'], description: 'Ignored (read-only)' },
  sample: { type: 'boolean', description: 'Ignored (read-only)' },
  restricted: { type: 'boolean', description: 'Ignored (read-only)' },
  version: { ...VERSION, description: 'The version read; required to change an authority unless If-Match is sent' },
};

const authorityInput: SchemaObject = {
  type: 'object',
  description: 'An authority to add or change. Lists left out count as empty; at most 20 phones, fax numbers, e-mails and contact persons.',
  properties: authorityInputProperties,
  required: ['designations', 'name', 'kind', 'address'],
  additionalProperties: false,
};

const optionalSectionInput: SchemaObject = {
  type: 'object',
  description: "A State's whole optional section, replacing the one stored; parts left out are removed",
  properties: { ...optionalSection.properties, version: { ...VERSION, description: "The State's version read; required unless If-Match is sent" } },
  additionalProperties: false,
};

const accessInput: SchemaObject = {
  type: 'object',
  description: 'Decision 3/2 (g)(v): whether the State publishes its details to everyone or to authorized users only',
  properties: { access: { type: 'string', enum: ACCESS_LEVELS }, version: { ...VERSION, description: "The State's version read; required unless If-Match is sent" } },
  required: ['access'],
  additionalProperties: false,
};

const revision = exactObject<RevisionJson>(
  'One change of a State’s entries: who, when, which fields, and the entry before and after',
  {
    id: string(),
    entity: { type: 'string', enum: ['authority', 'state'] },
    entityId: string("The authority's id, or the State's code"),
    state: STATE_CODE,
    action: { type: 'string', enum: REVISION_ACTIONS },
    at: { type: 'string', format: 'date-time' },
    actor: {
      type: 'object',
      properties: { id: string(), email: { type: ['string', 'null'] }, role: string() },
      required: ['id', 'email', 'role'],
      additionalProperties: false,
    },
    fields: arrayOf(string(), 'Dotted paths of the fields that changed'),
    before: { type: ['object', 'null'], description: 'The entry before the change; null for an addition or a confirmation' },
    after: { type: ['object', 'null'], description: 'The entry after the change; null for a removal or a confirmation' },
    version: { type: 'integer', minimum: 0, description: "The entity's version after the change" },
    restoredFrom: { type: ['string', 'null'], description: 'For a restore: the revision whose earlier values were brought back' },
  },
  {},
);

const schemas: Record<ComponentName, SchemaObject> = {
  StateSummary: stateSummary,
  StateDetail: stateDetail,
  Authority: authority,
  AuthorityStub: authorityStub,
  DesignationType: designationType,
  Resource: resource,
  Error: error,
  Phone: phone,
  PartyRecord: partyRecord,
  StateText: stateText,
  LawLink: lawLink,
  Treaty: treaty,
  OptionalSection: optionalSection,
  AuthorityInput: authorityInput,
  OptionalSectionInput: optionalSectionInput,
  AccessInput: accessInput,
  Revision: revision,
};

/** `{ "data": [...], "meta": ..., "links": ... }`, the envelope of a list answered page by page. */
const pageResponse = (description: string, items: SchemaObject): ResponseObject => {
  const link = (what: string): SchemaObject => ({ type: 'string', description: `Root-relative address of ${what}, with the other query parameters kept` });
  const count = (description: string): SchemaObject => ({ type: 'integer', minimum: 0, description });
  return {
    description,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: {
            data: arrayOf(items, 'The items of this page; empty past the last page'),
            meta: {
              type: 'object',
              properties: {
                total: count('How many there are in all pages'),
                page: { type: 'integer', minimum: 1, description: 'This page, from 1' },
                limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: 'At most this many per page' },
                pages: count('How many pages there are (0 when there is nothing)'),
              },
              required: ['total', 'page', 'limit', 'pages'],
              additionalProperties: false,
            },
            links: {
              type: 'object',
              properties: {
                self: link('this page'),
                first: link('the first page'),
                last: link('the last page'),
                next: link('the next page, absent on the last one'),
                prev: link('the previous page, absent on the first one'),
              },
              required: ['self', 'first', 'last'],
              additionalProperties: false,
            },
          },
          required: ['data', 'meta', 'links'],
          additionalProperties: false,
        },
      },
    },
  };
};

/** `{ "data": ... }`, the envelope of every successful answer. */
const dataResponse = (description: string, data: SchemaObject): ResponseObject => ({
  description,
  content: {
    'application/json': { schema: { type: 'object', properties: { data }, required: ['data'], additionalProperties: false } },
  },
});

const param = (name: string): ReferenceObject => ({ $ref: `#/components/parameters/${name}` });
const response = (name: 'BadRequest' | 'NotFound' | 'Unauthorized' | 'Forbidden' | 'Conflict'): ReferenceObject => ({ $ref: `#/components/responses/${name}` });
const jsonBody = (name: ComponentName, description: string) => ({ required: true, description, content: { 'application/json': { schema: ref(name) } } });
/** The answers every write may give besides its success. */
const WRITE_ERRORS = { '400': response('BadRequest'), '401': response('Unauthorized'), '403': response('Forbidden'), '404': response('NotFound') };
const EMPTY_MEANS_ANY = ' An empty value counts as absent.';
/** A filter's schema that also admits the empty value, which counts as absent (as a form's "any" choice sends it). */
function orEmpty(schema: SchemaObject): SchemaObject {
  if (schema.enum) return { ...schema, enum: [...schema.enum, ''] };
  if (schema.pattern) return { ...schema, pattern: `^(?:${schema.pattern.replace(/^\^/, '').replace(/\$$/, '')})?$` };
  return schema;
}

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Central Authorities Directory API',
    version: '1.0.0',
    description:
      'JSON API of the directory of central authorities designated under the United Nations Convention against ' +
      'Transnational Organized Crime and its Protocols. It follows the same access rules as the pages: authorities of a State ' +
      'that restricts its details appear to anonymous callers as stubs, without names or contacts. Unknown query parameters ' +
      'are refused with 400. The Editing operations are for a State’s focal points and the secretariat, signed in (a session ' +
      'cookie, with the X-CSRF-Token header) or with a personal API token; invalid input is refused with 400 and the offending ' +
      'fields, and a change made from a stale version with 409 and what changed meanwhile. While the database cannot be ' +
      'reached, reads still answer from the copy in memory with the header X-Directory-Stale-Since (ISO 8601: the answer may ' +
      'be out of date since then), and writes answer 503 `service_unavailable` with Retry-After (nothing was saved).',
    license: { name: 'Apache 2.0', identifier: 'Apache-2.0' },
  },
  servers: [{ url: '/api/v1' }],
  tags: [{ name: 'States' }, { name: 'Authorities' }, { name: 'Reference' }, { name: 'Editing', description: 'Changes by focal points and the secretariat' }],
  paths: {
    '/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        tags: ['Reference'],
        responses: {
          '200': { description: 'The OpenAPI 3.1 description of the API', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    '/states': {
      get: {
        operationId: 'listStates',
        summary: 'Every State and participant, at a glance',
        description: 'Sorted by name in the language asked for, or by relevance when `q` is given.',
        tags: ['States'],
        parameters: [param('q'), param('designation'), param('instrument'), param('region'), param('lang'), param('page'), param('pageLimit')],
        responses: { '200': pageResponse('One page of the States', ref('StateSummary')), '400': response('BadRequest') },
      },
    },
    '/states/{code}': {
      get: {
        operationId: 'getState',
        summary: 'One State with its authorities and optional section',
        description: 'The authorities come page by page (`page`, `limit`; `authorityCount` is their total); a `Link` header gives the next and previous pages.',
        tags: ['States'],
        parameters: [param('code'), param('lang'), param('page'), param('pageLimit')],
        responses: { '200': dataResponse('The State', ref('StateDetail')), '400': response('BadRequest'), '404': response('NotFound') },
      },
    },
    '/authorities': {
      get: {
        operationId: 'listAuthorities',
        summary: 'Authorities the caller may see in full',
        description: 'Authorities of States that restrict their details are left out for anonymous callers.',
        tags: ['Authorities'],
        parameters: [
          param('q'),
          param('state'),
          param('designation'),
          param('instrument'),
          param('region'),
          param('language'),
          param('channel'),
          param('lang'),
          param('page'),
          param('pageLimit'),
        ],
        responses: { '200': pageResponse('One page of the authorities', ref('Authority')), '400': response('BadRequest') },
      },
    },
    '/authorities/{id}': {
      get: {
        operationId: 'getAuthority',
        summary: 'One authority at its stable address',
        description: 'A stub when its State restricts its details from the caller.',
        tags: ['Authorities'],
        parameters: [param('id'), param('lang')],
        responses: {
          '200': dataResponse('The authority', { oneOf: [ref('Authority'), ref('AuthorityStub')] }),
          '400': response('BadRequest'),
          '404': response('NotFound'),
        },
      },
      put: {
        operationId: 'updateAuthority',
        summary: "Replaces an authority's editable fields",
        description: 'Refused with 409 when the authority changed since the version sent (in the body or If-Match).',
        tags: ['Editing'],
        parameters: [param('id'), param('ifMatch')],
        requestBody: jsonBody('AuthorityInput', 'The authority as it should be'),
        responses: { '200': dataResponse('The authority as saved', ref('Authority')), ...WRITE_ERRORS, '409': response('Conflict') },
      },
      delete: {
        operationId: 'removeAuthority',
        summary: 'Removes an authority',
        description: 'The version read goes in If-Match; the removal can be undone from the history.',
        tags: ['Editing'],
        parameters: [param('id'), param('ifMatchRequired')],
        responses: { '204': { description: 'Removed' }, ...WRITE_ERRORS, '409': response('Conflict') },
      },
    },
    '/states/{code}/authorities': {
      post: {
        operationId: 'createAuthority',
        summary: 'Adds an authority to a State',
        tags: ['Editing'],
        parameters: [param('code')],
        requestBody: jsonBody('AuthorityInput', 'The new authority'),
        responses: { '201': dataResponse('The authority as saved, at the address in Location', ref('Authority')), ...WRITE_ERRORS },
      },
    },
    '/states/{code}/optional': {
      put: {
        operationId: 'updateOptionalSection',
        summary: "Replaces a State's requirement summaries, laws, treaties and alternative arrangements",
        tags: ['Editing'],
        parameters: [param('code'), param('ifMatch')],
        requestBody: jsonBody('OptionalSectionInput', 'The optional section as it should be'),
        responses: {
          '200': dataResponse('The optional section as saved', {
            type: 'object',
            properties: { code: STATE_CODE, version: VERSION, optional: ref('OptionalSection') },
            required: ['code', 'version', 'optional'],
            additionalProperties: false,
          }),
          ...WRITE_ERRORS,
          '409': response('Conflict'),
        },
      },
    },
    '/states/{code}/access': {
      put: {
        operationId: 'setAccess',
        summary: 'Sets whether the State publishes its details to everyone or to authorized users only',
        description: 'Recorded in the audit log.',
        tags: ['Editing'],
        parameters: [param('code'), param('ifMatch')],
        requestBody: jsonBody('AccessInput', 'The access setting'),
        responses: {
          '200': dataResponse('The setting as saved', {
            type: 'object',
            properties: { code: STATE_CODE, access: { type: 'string', enum: ACCESS_LEVELS }, version: VERSION },
            required: ['code', 'access', 'version'],
            additionalProperties: false,
          }),
          ...WRITE_ERRORS,
          '409': response('Conflict'),
        },
      },
    },
    '/states/{code}/confirm': {
      post: {
        operationId: 'confirmStillAccurate',
        summary: "Confirms that the State's entries are still accurate",
        description: "Sets the State's last-confirmed date to now; no body is needed.",
        tags: ['Editing'],
        parameters: [param('code')],
        responses: {
          '200': dataResponse('The State\'s stamps', {
            type: 'object',
            properties: {
              code: STATE_CODE,
              lastUpdated: dateTimeOrNull('When the entry last changed; null when never'),
              lastConfirmed: { type: 'string', format: 'date-time', description: 'Now' },
            },
            required: ['code', 'lastUpdated', 'lastConfirmed'],
            additionalProperties: false,
          }),
          ...WRITE_ERRORS,
        },
      },
    },
    '/states/{code}/revisions': {
      get: {
        operationId: 'listRevisions',
        summary: "The State's changes, newest first",
        tags: ['Editing'],
        parameters: [param('code'), param('limit')],
        responses: { '200': dataResponse('The revisions', arrayOf(ref('Revision'))), ...WRITE_ERRORS },
      },
    },
    '/designations': {
      get: {
        operationId: 'listDesignationTypes',
        summary: 'The catalogue of designations, core ones first',
        tags: ['Reference'],
        parameters: [param('lang')],
        responses: { '200': dataResponse('The designation types', arrayOf(ref('DesignationType'))), '400': response('BadRequest') },
      },
    },
    '/resources': {
      get: {
        operationId: 'listResources',
        summary: 'Tools, model treaties and laws, manuals',
        tags: ['Reference'],
        parameters: [param('lang')],
        responses: { '200': dataResponse('The resources, by category then title', arrayOf(ref('Resource'))), '400': response('BadRequest') },
      },
    },
    // The guided finder (src/finder): its question, and its answer checked by the compiler against finder.json.ts
    '/find': {
      get: {
        operationId: 'findAuthority',
        summary: 'The authority to send a kind of request to in a State, how to send it and what the State requires',
        description:
          'The same answer as the page /find. When the State restricts its details from the caller, `authorities` is empty and ' +
          '`requirements`, `legalBasisForExtradition` and `alternativeArrangements` are null; `holderCount` (public, as on the State page) ' +
          'still says whether the designation is held. A code of no State, or `from` equal to `to`, is refused with 400.',
        tags: ['Authorities'],
        parameters: [
          { name: 'to', in: 'query', required: true, description: 'The State the request goes to (code in any case)', schema: { type: 'string', pattern: STATE_CODE_ANY_CASE_PATTERN.source } },
          { name: 'need', in: 'query', required: true, description: 'The kind of request', schema: { type: 'string', enum: NEED_CODES } },
          { name: 'urgent', in: 'query', description: '1 when the request is urgent: authorities taking urgent requests in advance come first.' + EMPTY_MEANS_ANY, schema: { type: 'string', enum: ['1', ''] } },
          { name: 'from', in: 'query', description: "The requesting State, for the treaties recorded between the two (code in any case)." + EMPTY_MEANS_ANY, schema: orEmpty({ type: 'string', pattern: STATE_CODE_ANY_CASE_PATTERN.source }) },
          param('lang'),
        ],
        responses: {
          '200': dataResponse(
            'The answer',
            exactObject<ReturnType<typeof toFinderAnswerJson>>(
              'Who holds the designation for this kind of request, how to send it, what the State requires, the treaties between the two States and how current the entry is',
              {
                question: {
                  type: 'object',
                  properties: { to: STATE_CODE, need: { type: 'string', enum: NEED_CODES }, urgent: { type: 'boolean' }, from: { oneOf: [STATE_CODE, { type: 'null' }] } },
                  required: ['to', 'need', 'urgent', 'from'],
                  additionalProperties: false,
                },
                to: {
                  type: 'object',
                  properties: {
                    code: STATE_CODE,
                    name: string("The State's name in the language asked for with `lang`"),
                    access: { type: 'string', enum: ACCESS_LEVELS },
                    detailsRestricted: { type: 'boolean', description: 'True when the caller may not see the authorities and the optional section' },
                    lastUpdated: dateTimeOrNull('When the entry last changed; null when never'),
                    lastConfirmed: dateTimeOrNull('When the State last confirmed the entry unchanged; null when never'),
                    currency: { type: 'string', enum: ['current', 'stale', 'never'], description: 'Updated or confirmed within 12 months, only before, or never' },
                    stale: { type: 'boolean', description: 'Neither updated nor confirmed within the last 12 months' },
                    sample: { type: 'boolean', description: 'True when the entry holds fictitious sample data' },
                  },
                  required: ['code', 'name', 'access', 'detailsRestricted', 'lastUpdated', 'lastConfirmed', 'currency', 'stale', 'sample'],
                  additionalProperties: false,
                },
                from: {
                  oneOf: [{ type: 'object', properties: { code: STATE_CODE, name: string() }, required: ['code', 'name'], additionalProperties: false }, { type: 'null' }],
                  description: 'The requesting State, when given',
                },
                outcome: {
                  type: 'string',
                  enum: ['designated', 'fallback', 'none'],
                  description: 'designated: an authority holds a designation for this kind of request; fallback: none does and another designation of the State is given; none: the State has no authority recorded',
                },
                wanted: { ...DESIGNATION_CODE, description: 'The designation that answers this kind of request first' },
                designation: { oneOf: [DESIGNATION_CODE, { type: 'null' }], description: 'The designation whose authorities are given; null when none' },
                holderCount: { type: 'integer', minimum: 0, description: 'How many authorities hold that designation' },
                authorities: arrayOf(ref('Authority'), 'Those authorities, urgent-taking ones first for an urgent request; empty when restricted from the caller'),
                requirements: { oneOf: [ref('StateText'), { type: 'null' }], description: "The State's summary of its requirements for this kind of request" },
                legalBasisForExtradition: { type: ['string', 'null'], enum: [...LEGAL_BASIS_ANSWERS, null], description: 'Art. 16(5), for extradition only, when recorded' },
                alternativeArrangements: { oneOf: [ref('StateText'), { type: 'null' }] },
                treaties: arrayOf(ref('Treaty'), 'Treaties either State recorded with the other as a party; empty without `from`'),
              },
              {},
            ),
          ),
          '400': response('BadRequest'),
        },
      },
    },
  },
  components: {
    schemas,
    parameters: {
      q: {
        name: 'q',
        in: 'query',
        description: 'Words to find in names, in any language and script, accents and typing slips forgiven.' + EMPTY_MEANS_ANY,
        schema: { type: 'string', maxLength: 200 },
      },
      designation: {
        name: 'designation',
        in: 'query',
        description: 'Only those holding this designation, a code of the catalogue (/designations); another code is refused with 400.' + EMPTY_MEANS_ANY,
        schema: orEmpty(DESIGNATION_CODE),
      },
      instrument: {
        name: 'instrument',
        in: 'query',
        description: 'Only those holding a designation under this instrument.' + EMPTY_MEANS_ANY,
        schema: orEmpty({ type: 'string', enum: INSTRUMENTS }),
      },
      region: { name: 'region', in: 'query', description: 'Only States of this UN regional group.' + EMPTY_MEANS_ANY, schema: orEmpty({ type: 'string', enum: REGIONAL_GROUPS }) },
      lang: {
        name: 'lang',
        in: 'query',
        description: 'Language of names and of the sort order; English when absent.' + EMPTY_MEANS_ANY,
        schema: orEmpty({ type: 'string', enum: UN_LANGUAGES }),
      },
      state: {
        name: 'state',
        in: 'query',
        description: 'Only authorities of this State (code in any case).' + EMPTY_MEANS_ANY,
        schema: orEmpty({ type: 'string', pattern: STATE_CODE_ANY_CASE_PATTERN.source }),
      },
      language: {
        name: 'language',
        in: 'query',
        description: 'Only authorities accepting requests in this language (ISO 639-1 code, in any case; a code no authority has finds none).' + EMPTY_MEANS_ANY,
        schema: orEmpty({ type: 'string', pattern: '^[A-Za-z]{2,3}$' }),
      },
      channel: {
        name: 'channel',
        in: 'query',
        description: 'Only authorities accepting requests through this channel.' + EMPTY_MEANS_ANY,
        schema: orEmpty({ type: 'string', enum: CHANNELS }),
      },
      code: {
        name: 'code',
        in: 'path',
        required: true,
        description: 'State code (ISO 3166-1 alpha-3), in any case',
        schema: { type: 'string', pattern: STATE_CODE_ANY_CASE_PATTERN.source },
      },
      id: { name: 'id', in: 'path', required: true, description: 'Authority identifier', schema: AUTHORITY_ID },
      ifMatch: {
        name: 'If-Match',
        in: 'header',
        description: 'The version read, e.g. "3", instead of `version` in the body (as given in the ETag of a write\'s answer)',
        schema: { type: 'string', pattern: '^(W/)?"?[0-9]{1,9}"?$' },
      },
      ifMatchRequired: {
        name: 'If-Match',
        in: 'header',
        required: true,
        description: 'The version read, e.g. "3" (as given in the ETag of a write\'s answer)',
        schema: { type: 'string', pattern: '^(W/)?"?[0-9]{1,9}"?$' },
      },
      page: {
        name: 'page',
        in: 'query',
        description: 'Which page, from 1; a page past the last one answers an empty `data` with the true `meta`.',
        schema: { type: 'integer', minimum: 1, maximum: 1_000_000 },
      },
      pageLimit: {
        name: 'limit',
        in: 'query',
        description: `At most this many per page, ${DEFAULT_LIMIT} when absent; more than ${MAX_LIMIT} is refused with 400.`,
        schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT },
      },
      limit: { name: 'limit', in: 'query', description: 'At most this many, 200 when absent.', schema: { type: 'integer', minimum: 1, maximum: 500 } },
    },
    responses: {
      BadRequest: {
        description: 'A parameter is unknown or not valid (`invalid_parameters`, with `fields`), or the request is malformed (`bad_request`)',
        content: { 'application/json': { schema: ref('Error') } },
      },
      NotFound: { description: 'Nothing with that code or identifier (`not_found`)', content: { 'application/json': { schema: ref('Error') } } },
      Unauthorized: { description: 'Not signed in and no API token (`unauthorized`)', content: { 'application/json': { schema: ref('Error') } } },
      Forbidden: {
        description: "The caller may not change this State's entries, or a session request lacks its CSRF token (`forbidden`)",
        content: { 'application/json': { schema: ref('Error') } },
      },
      Conflict: {
        description: 'Someone saved the entry since the version sent (`conflict`): `changes`, `changedBy` and `currentVersion` say what and who; nothing was written',
        content: { 'application/json': { schema: ref('Error') } },
      },
    },
  },
} satisfies OpenApiDocument;

/**
 * The document as served: designation codes, which the secretariat may add to, are listed from the
 * catalogue where the API refuses any other (the filter, an authority's designations).
 */
export function openApiDocumentFor(designationCodes: readonly string[]): typeof openApiDocument {
  const document = structuredClone(openApiDocument);
  const known: SchemaObject = { type: 'string', enum: [...designationCodes], description: DESIGNATION_CODE.description };
  document.components.parameters.designation.schema = orEmpty(known);
  const designations = document.components.schemas.AuthorityInput.properties?.designations;
  if (designations) designations.items = known;
  return document;
}
