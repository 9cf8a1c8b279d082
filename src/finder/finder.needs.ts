import { z } from 'zod';
import type { RequirementTopic } from '../directory/directory.types';

/**
 * The kinds of request a practitioner may need to send, in plain words, and which designations
 * answer each. `designations` are the authorities to send to, in order of preference;
 * `fallbacks` are designations of the same State that can take the request when none of those
 * is recorded (another central authority for mutual legal assistance under another instrument).
 */

export const needCode = z.enum([
  'evidence',
  'search-and-seizure',
  'freezing-and-confiscation',
  'service-of-documents',
  'video-hearing',
  'extradition',
  'transfer',
  'vessel',
  'corruption',
  'drugs',
]);
export const NEED_CODES = needCode.options;
export type NeedCode = z.infer<typeof needCode>;

/** How the form groups the kinds of request (one `<optgroup>` each). */
export type NeedGroup = 'mla' | 'persons' | 'instruments';

export interface Need {
  code: NeedCode;
  group: NeedGroup;
  designations: readonly string[];
  fallbacks: readonly string[];
  /** Which of the State's requirement summaries applies, if any. */
  requirements?: RequirementTopic;
  /** Whether art. 16(5) (the Convention as the legal basis for extradition) bears on the request. */
  legalBasis: boolean;
}

/** Any central authority for mutual legal assistance can take a request the others would. */
const MLA_FALLBACKS = ['UNCAC-46-13', 'DRUGS1988-7-8'] as const;
const mla = (code: NeedCode): Need => ({ code, group: 'mla', designations: ['UNTOC-18-13'], fallbacks: MLA_FALLBACKS, requirements: 'mla', legalBasis: false });

export const NEEDS: readonly Need[] = [
  mla('evidence'),
  mla('search-and-seizure'),
  mla('freezing-and-confiscation'),
  mla('service-of-documents'),
  mla('video-hearing'),
  { code: 'extradition', group: 'persons', designations: ['UNTOC-16'], fallbacks: ['DRUGS1988-6'], requirements: 'extradition', legalBasis: true },
  { code: 'transfer', group: 'persons', designations: ['UNTOC-17'], fallbacks: [], requirements: 'transfer', legalBasis: false },
  { code: 'vessel', group: 'instruments', designations: ['SOM-8-6'], fallbacks: ['DRUGS1988-17-7'], legalBasis: false },
  { code: 'corruption', group: 'instruments', designations: ['UNCAC-46-13'], fallbacks: ['UNTOC-18-13', 'DRUGS1988-7-8'], requirements: 'mla', legalBasis: false },
  { code: 'drugs', group: 'instruments', designations: ['DRUGS1988-7-8'], fallbacks: ['UNTOC-18-13', 'UNCAC-46-13'], requirements: 'mla', legalBasis: false },
];

export const NEED_GROUPS: readonly NeedGroup[] = ['mla', 'persons', 'instruments'];

/** The kinds of request as the forms list them: one group each, its codes in order. */
export const NEEDS_BY_GROUP: ReadonlyArray<{ group: NeedGroup; needs: NeedCode[] }> = NEED_GROUPS.map((group) => ({
  group,
  needs: NEEDS.filter((need) => need.group === group).map((need) => need.code),
}));

/** The kind of request with this code. */
export function needOf(code: NeedCode): Need {
  const need = NEEDS.find((candidate) => candidate.code === code);
  if (!need) throw new Error(`no kind of request ${code}`);
  return need;
}
