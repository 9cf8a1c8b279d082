import type { AuthorityStub, AuthorityView, StateDetail, StateSummary } from './directory.service';

/** The API's representations: stable field names, ISO dates, null for unknown. */

const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

export function toStateSummaryJson(state: StateSummary) {
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

export function toAuthorityJson(authority: AuthorityView | AuthorityStub) {
  if (authority.restricted) {
    return { id: authority.id, state: authority.state, designations: authority.designations, restricted: true as const };
  }
  const { updatedAt, ...rest } = authority;
  return { ...rest, updatedAt: iso(updatedAt) };
}

export function toStateDetailJson(state: StateDetail) {
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
