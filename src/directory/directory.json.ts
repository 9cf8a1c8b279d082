import { z } from 'zod';
import { designationCode, isoDateTime, stateCode, stateKind } from '../shared/vocabulary';
import { MATCH_REASON_FIELDS, type AuthorityStub, type AuthorityView, type SearchResult, type StateDetail, type StateSummary } from './directory.service';
import { accessLevel, authority, designationType, instrumentRecord, localized, optionalSection, partyRecord, regionalGroup, type DesignationType, type InstrumentRecord } from './directory.types';

/**
 * The API's representations: stable field names, ISO dates, null for unknown. Each is a zod schema
 * (the OpenAPI document is generated from it) whose `z.infer` type the builder below returns.
 */

const dateTimeOrNull = (description: string) => isoDateTime.nullable().meta({ description });

const stateSummaryShape = {
  code: stateCode,
  name: z.string().meta({ description: "The State's name in the language asked for with `lang`" }),
  names: localized.meta({ description: 'The name in the six official languages of the United Nations' }),
  region: regionalGroup.meta({ description: 'UN regional group' }),
  access: accessLevel.meta({ description: 'Whether the State publishes its details to everyone or to authorized users only' }),
  lastUpdated: dateTimeOrNull('When the entry last changed; null when never'),
  lastConfirmed: dateTimeOrNull('When the State last confirmed the entry unchanged; null when never'),
  stale: z.boolean().meta({ description: 'Neither updated nor confirmed within the last 12 months' }),
  designations: z.array(designationCode).meta({ description: 'Designations held by at least one authority, in catalogue order' }),
  authorityCount: z.number().int().min(0),
  sample: z.boolean().meta({ description: 'True when the entry holds fictitious sample data' }),
};

export const stateSummaryJson = z.object(stateSummaryShape).meta({ id: 'StateSummary', description: 'A State at a glance' });
type StateSummaryJson = z.infer<typeof stateSummaryJson>;

export const authorityJson = authority
  .extend({ updatedAt: dateTimeOrNull('When the authority was last updated'), restricted: z.literal(false) })
  .meta({ id: 'Authority', description: 'An authority with its contact details' });
type AuthorityJson = z.infer<typeof authorityJson>;

export const authorityStubJson = z
  .object({ id: authority.shape.id, state: stateCode, designations: z.array(designationCode), restricted: z.literal(true) })
  .meta({
    id: 'AuthorityStub',
    description: 'An authority of a State that restricts its details to authorized users: only that it exists and what it is designated for',
  });
type AuthorityStubJson = z.infer<typeof authorityStubJson>;

export const authorityOrStubJson = z.union([authorityJson, authorityStubJson]);

export const stateDetailJson = z
  .object({
    ...stateSummaryShape,
    kind: stateKind,
    aliases: z.array(z.string()).meta({ description: 'Common, former and abbreviated names, in any language' }),
    parties: z.array(partyRecord),
    missingDesignations: z.array(designationCode).meta({ description: 'Core designations no authority of the State holds' }),
    detailsRestricted: z.boolean().meta({ description: 'True when the caller may not see contact details and the optional section' }),
    optional: optionalSection.nullable().meta({ description: 'null when the details are restricted from the caller' }),
    authorities: z
      .array(authorityOrStubJson.meta({ description: 'A full authority (`restricted: false`) or a stub (`restricted: true`)' }))
      .meta({ description: 'Authorities in catalogue order of their first designation' }),
    version: authority.shape.version.meta({ description: "Version of the State's own fields (access, optional section), to send back when changing them" }),
  })
  .meta({
    id: 'StateDetail',
    description: 'One State with its authorities. When the State restricts its details, an anonymous caller gets stubs and no optional section.',
  });
type StateDetailJson = z.infer<typeof stateDetailJson>;

const retiredFlag = z.boolean().meta({ description: 'Retired: kept where it was recorded and in history, no longer offered in forms and filters' });

export const designationTypeJson = designationType
  .pick({ code: true, instrument: true, article: true, role: true, titles: true, shortTitles: true, core: true })
  .extend({ retired: retiredFlag.meta({ description: 'Retired (itself or with its instrument): kept on the authorities that hold it, no longer offered in forms and filters' }) })
  .meta({ id: 'DesignationType', description: 'A kind of designation a State may make under an instrument' });

export function toDesignationTypeJson(type: DesignationType): z.infer<typeof designationTypeJson> {
  const { code, instrument, article, role, titles, shortTitles, core, retired } = type;
  return { code, instrument, article, role, titles, ...(shortTitles ? { shortTitles } : {}), core, retired: retired ?? false };
}

export const instrumentJson = instrumentRecord
  .omit({ retired: true })
  .extend({ retired: retiredFlag })
  .meta({ id: 'Instrument', description: 'A convention or protocol under which States designate authorities, as the secretariat keeps it' });

export function toInstrumentJson(instrument: InstrumentRecord): z.infer<typeof instrumentJson> {
  return { ...instrument, retired: instrument.retired ?? false };
}

const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

export function toStateSummaryJson(state: StateSummary): StateSummaryJson {
  return {
    code: state.code,
    name: state.name,
    names: state.names,
    region: state.region,
    access: state.access,
    lastUpdated: iso(state.lastUpdatedAt),
    lastConfirmed: iso(state.lastConfirmedAt),
    stale: state.stale,
    designations: state.designations,
    authorityCount: state.authorityCount,
    sample: state.sample,
  };
}

/** An authority in full, or the stub of one whose State restricts its details from the caller. */
export function toAuthorityJson(authority: AuthorityView): AuthorityJson;
export function toAuthorityJson(authority: AuthorityView | AuthorityStub): AuthorityJson | AuthorityStubJson;
export function toAuthorityJson(authority: AuthorityView | AuthorityStub): AuthorityJson | AuthorityStubJson {
  if (authority.restricted) {
    return { id: authority.id, state: authority.state, designations: authority.designations, restricted: true as const };
  }
  const { updatedAt, ...rest } = authority;
  return { ...rest, updatedAt: iso(updatedAt) };
}

export function toStateDetailJson(state: StateDetail): StateDetailJson {
  return {
    ...toStateSummaryJson(state),
    kind: state.kind,
    aliases: state.aliases,
    parties: state.parties,
    missingDesignations: state.missingCore,
    detailsRestricted: !state.detailsVisible,
    optional: state.optional ?? null,
    authorities: state.authorities.map(toAuthorityJson),
    version: state.version,
  };
}

const matchReasonJson = z
  .object({
    field: z.enum(MATCH_REASON_FIELDS).meta({
      description: "What matched: one of the names, the code, an alias (a common or other language's name), a contact person, an e-mail address, the city, or the name of the authority's State",
    }),
    value: z.string().meta({ description: 'The text that matched, as written in the entry' }),
    label: z.string().meta({ description: 'Why it matched, in the language asked for with `lang`, as the search page says it' }),
  })
  .meta({ id: 'MatchReason', description: 'Why a search result was found' });

const matchedOrNull = matchReasonJson.nullable().meta({ description: 'null when only filters were given' });

export const searchResultJson = z
  .union([
    z.object({ type: z.literal('state'), matched: matchedOrNull, state: stateSummaryJson }),
    z.object({ type: z.literal('authority'), matched: matchedOrNull, authority: authorityJson }),
  ])
  .meta({ id: 'SearchResult', description: 'A State or an authority, with why it was found' });
type SearchResultJson = z.infer<typeof searchResultJson>;

/** A search result with why it matched, `label` being that reason in the caller's language. */
export function toSearchResultJson(result: SearchResult, label: string | undefined): SearchResultJson {
  const matched = result.matched && label !== undefined ? { ...result.matched, label } : null;
  return result.type === 'state'
    ? { type: 'state', matched, state: toStateSummaryJson(result.state) }
    : { type: 'authority', matched, authority: toAuthorityJson(result.authority) };
}
