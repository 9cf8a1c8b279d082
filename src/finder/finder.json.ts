import { toAuthorityJson } from '../directory/directory.json';
import type { FinderAnswer } from './finder.service';

/** The finder's answer as the API gives it: ISO dates, null for unknown, authorities as the directory's API shows them. */

const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

export function toFinderAnswerJson(answer: FinderAnswer) {
  return {
    question: { to: answer.question.to, need: answer.question.need, urgent: answer.question.urgent, from: answer.question.from ?? null },
    to: {
      code: answer.to.code,
      name: answer.to.name,
      access: answer.to.access,
      detailsRestricted: !answer.to.detailsVisible,
      lastUpdated: iso(answer.to.lastUpdatedAt),
      lastConfirmed: iso(answer.to.lastConfirmedAt),
      currency: answer.to.currency,
      stale: answer.to.stale,
      sample: answer.to.sample,
    },
    from: answer.from ?? null,
    outcome: answer.outcome,
    wanted: answer.wanted,
    designation: answer.designation ?? null,
    holderCount: answer.holderCount,
    authorities: answer.authorities.map(toAuthorityJson),
    requirements: answer.requirements ?? null,
    legalBasisForExtradition: answer.legalBasis ?? null,
    alternativeArrangements: answer.alternativeArrangements ?? null,
    treaties: answer.treaties,
  };
}
