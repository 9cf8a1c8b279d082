import { z } from 'zod';
import { authorityJson, toAuthorityJson } from '../directory/directory.json';
import { accessLevel, legalBasisAnswer, stateText, structuredRequirements, treaty } from '../directory/directory.types';
import { designationCode, isoDateTime, stateCode } from '../shared/vocabulary';
import type { FinderAnswer } from './finder.service';

/**
 * The finder's answer as the API gives it: ISO dates, null for unknown, authorities as the
 * directory's API shows them. A zod schema (the OpenAPI document is generated from it) whose
 * `z.infer` type the builder returns.
 */

const dateTimeOrNull = (description: string) => isoDateTime.nullable().meta({ description });

export const finderAnswerJson = z
  .object({
    question: z.object({ to: stateCode, need: z.string().meta({ description: 'The kind of request, as asked' }), urgent: z.boolean(), from: stateCode.nullable() }),
    to: z.object({
      code: stateCode,
      name: z.string().meta({ description: "The State's name in the language asked for with `lang`" }),
      access: accessLevel,
      detailsRestricted: z.boolean().meta({ description: 'True when the caller may not see the authorities and the optional section' }),
      lastUpdated: dateTimeOrNull('When the entry last changed; null when never'),
      lastConfirmed: dateTimeOrNull('When the State last confirmed the entry unchanged; null when never'),
      currency: z.enum(['current', 'stale', 'never']).meta({ description: 'Updated or confirmed within 12 months, only before, or never' }),
      stale: z.boolean().meta({ description: 'Neither updated nor confirmed within the last 12 months' }),
      sample: z.boolean().meta({ description: 'True when the entry holds fictitious sample data' }),
    }),
    from: z.object({ code: stateCode, name: z.string() }).nullable().meta({ description: 'The requesting State, when given' }),
    outcome: z.enum(['designated', 'fallback', 'none']).meta({
      description:
        'designated: an authority holds a designation for this kind of request; fallback: none does and another designation of the State is given; none: the State has no authority recorded',
    }),
    wanted: designationCode.meta({ description: 'The designation that answers this kind of request first' }),
    designation: designationCode.nullable().meta({ description: 'The designation whose authorities are given; null when none' }),
    holderCount: z.number().int().min(0).meta({ description: 'How many authorities hold that designation (public, as on the State page)' }),
    authorities: z.array(authorityJson).meta({ description: 'Those authorities, urgent-taking ones first for an urgent request; empty when restricted from the caller' }),
    requirements: stateText.nullable().meta({ description: "The State's summary of its requirements for this kind of request" }),
    structuredRequirements: structuredRequirements.nullable().meta({ description: 'The same requirements as facts to check off before sending; null when none is stated or the details are restricted' }),
    legalBasisForExtradition: legalBasisAnswer.nullable().meta({ description: 'Art. 16(5), for extradition only, when recorded' }),
    alternativeArrangements: stateText.nullable(),
    treaties: z.array(treaty).meta({ description: 'Treaties either State recorded with the other as a party; empty without `from`' }),
  })
  .meta({
    id: 'FinderAnswer',
    description: 'Who holds the designation for this kind of request, how to send it, what the State requires, the treaties between the two States and how current the entry is',
  });
type FinderAnswerJson = z.infer<typeof finderAnswerJson>;

const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

export function toFinderAnswerJson(answer: FinderAnswer): FinderAnswerJson {
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
    authorities: answer.authorities.map((authority) => toAuthorityJson(authority)),
    requirements: answer.requirements ?? null,
    structuredRequirements: answer.structuredRequirements ?? null,
    legalBasisForExtradition: answer.legalBasis ?? null,
    alternativeArrangements: answer.alternativeArrangements ?? null,
    treaties: answer.treaties,
  };
}
