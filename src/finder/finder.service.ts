import { NotFoundError, ValidationError } from '../shared/errors';
import { currencyOf, type Currency } from '../shared/freshness';
import type { Viewer } from '../shared/viewer';
import type { StateText, StructuredRequirements, Treaty, UnLanguage } from '../directory/directory.types';
import { getState, listCurrentDesignationTypes, type AuthorityStub, type AuthorityView, type StateDetail } from '../directory/directory.service';
import { findNeed, type Need } from './finder.needs';

/** What a practitioner asks: a kind of request to a State, perhaps urgent, perhaps from their own State. */
export interface FinderQuestion {
  to: string;
  /** A kind of request (NEED_CODES) or a designation type's code (the kinds the catalogue adds). */
  need: string;
  urgent: boolean;
  from?: string;
}

/**
 * designated: an authority holds a designation for this kind of request; fallback: none does, and
 * another designation of the State is offered instead; none: the State has no authority recorded.
 */
export type FinderOutcome = 'designated' | 'fallback' | 'none';

export interface FinderAnswer {
  question: FinderQuestion;
  to: {
    code: string;
    name: string;
    access: StateDetail['access'];
    /** False when the State restricts its details from this viewer: no authority, requirement or treaty is given. */
    detailsVisible: boolean;
    lastUpdatedAt?: Date;
    lastConfirmedAt?: Date;
    /** How current the entry is (shared/freshness). */
    currency: Currency;
    stale: boolean;
    sample: boolean;
  };
  from?: { code: string; name: string };
  outcome: FinderOutcome;
  /** The designation that answers this kind of request first. */
  wanted: string;
  /** The designation whose authorities are given: the wanted one, another for the same kind, or the fallback. */
  designation?: string;
  /** How many authorities hold that designation (public, as on the State page). */
  holderCount: number;
  /** Those authorities in full; empty when the details are restricted from the viewer. */
  authorities: AuthorityView[];
  requirements?: StateText;
  /** The same requirements as facts, for the requester's checklist. */
  structuredRequirements?: StructuredRequirements;
  /** Art. 16(5), only for extradition and only when the State recorded it. */
  legalBasis?: 'yes' | 'no' | 'unknown';
  alternativeArrangements?: StateText;
  /** Treaties either State recorded with the other as a party, those on this kind of request first. */
  treaties: Treaty[];
}

/** A well-formed code that no State has: an error at its field on the page, a 404 from the API. */
export class UnknownStateError extends ValidationError {
  constructor(readonly stateCode: string, field: 'to' | 'from') {
    super({ [field]: `no State or participant with code ${stateCode}` });
  }
}

/** A State by code, or a refusal naming the field that gave it. */
async function stateFor(viewer: Viewer, code: string, lang: UnLanguage, field: 'to' | 'from', now: Date): Promise<StateDetail> {
  try {
    return await getState(viewer, code, lang, now);
  } catch (error) {
    if (error instanceof NotFoundError) throw new UnknownStateError(code, field);
    throw error;
  }
}

/** The designation to answer with: the first of the need's that the State holds, then its fallbacks, then any other it holds. */
export function chooseDesignation(need: Pick<Need, 'designations' | 'fallbacks'>, held: readonly string[]): { outcome: FinderOutcome; designation?: string } {
  const preferred = need.designations.find((code) => held.includes(code));
  if (preferred) return { outcome: 'designated', designation: preferred };
  const fallback = need.fallbacks.find((code) => held.includes(code)) ?? held[0];
  return fallback ? { outcome: 'fallback', designation: fallback } : { outcome: 'none' };
}

/** Treaties between the two States, as either recorded them, each once, those on the request's subject first. */
export function treatiesBetween(to: Pick<StateDetail, 'code' | 'optional'>, from: Pick<StateDetail, 'code' | 'optional'> | undefined, subject?: string): Treaty[] {
  if (!from) return [];
  const recorded = [
    ...(to.optional?.treaties ?? []).filter((treaty) => treaty.otherParties.includes(from.code)),
    ...(from.optional?.treaties ?? []).filter((treaty) => treaty.otherParties.includes(to.code)),
  ];
  const seen = new Set<string>();
  const unique = recorded.filter((treaty) => {
    const key = `${treaty.subject}\n${treaty.title.trim().toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => Number(b.subject === subject) - Number(a.subject === subject));
}

const isVisible = (authority: AuthorityView | AuthorityStub): authority is AuthorityView => !authority.restricted;

/**
 * The finder's answer: who holds the designation for this kind of request in that State, how to
 * send it, what the State requires, the treaties between the two States and how current the
 * entry is. Everything comes through the directory's own view for this viewer, so a State that
 * restricts its details gives only what its public page gives (what is designated, the stamps).
 */
export async function findAuthority(viewer: Viewer, question: FinderQuestion, lang: UnLanguage, now = new Date()): Promise<FinderAnswer> {
  const need = findNeed(question.need, await listCurrentDesignationTypes());
  if (!need) throw new ValidationError({ need: `no kind of request ${question.need}; see /api/v1/designations` });
  const to = await stateFor(viewer, question.to, lang, 'to', now);
  const from = question.from ? await stateFor(viewer, question.from, lang, 'from', now) : undefined;
  const { outcome, designation } = chooseDesignation(need, to.designations);
  const holders = designation ? to.authorities.filter((authority) => authority.designations.includes(designation)) : [];
  // When the request is urgent, authorities that take urgent requests in advance come first
  const authorities = holders.filter(isVisible).sort((a, b) => (question.urgent ? Number(b.urgent.accepted) - Number(a.urgent.accepted) : 0));
  const optional = to.detailsVisible ? to.optional : undefined;
  return {
    question,
    to: {
      code: to.code,
      name: to.name,
      access: to.access,
      detailsVisible: to.detailsVisible,
      lastUpdatedAt: to.lastUpdatedAt,
      lastConfirmedAt: to.lastConfirmedAt,
      currency: currencyOf(to, now),
      stale: to.stale,
      sample: to.sample,
    },
    ...(from ? { from: { code: from.code, name: from.name } } : {}),
    outcome,
    wanted: need.designations[0]!,
    ...(designation ? { designation } : {}),
    holderCount: holders.length,
    authorities,
    ...(need.requirements && optional?.requirements[need.requirements] ? { requirements: optional.requirements[need.requirements] } : {}),
    ...(need.requirements && optional?.structuredRequirements?.[need.requirements] ? { structuredRequirements: optional.structuredRequirements[need.requirements] } : {}),
    ...(need.legalBasis && optional?.untocLegalBasisForExtradition ? { legalBasis: optional.untocLegalBasisForExtradition } : {}),
    ...(optional?.alternativeArrangements ? { alternativeArrangements: optional.alternativeArrangements } : {}),
    // Each State's optional section is there only when this viewer may see it (getState)
    treaties: treatiesBetween(to, from, need.requirements),
  };
}
