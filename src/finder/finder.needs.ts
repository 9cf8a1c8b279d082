import { z } from 'zod';
import type { DesignationType, RequirementTopic, UnLanguage } from '../directory/directory.types';

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
  /** One of NEED_CODES, or the code of the designation type a catalogue kind is named after. */
  code: string;
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
export const NEEDS_BY_GROUP: ReadonlyArray<{ group: NeedGroup; needs: string[] }> = NEED_GROUPS.map((group) => ({
  group,
  needs: NEEDS.filter((need) => need.group === group).map((need) => need.code),
}));

/** Where a catalogue kind falls back to, by its designation's role: another authority that takes such requests. */
const FALLBACKS_BY_ROLE: Partial<Record<DesignationType['role'], readonly string[]>> = {
  mla: ['UNTOC-18-13', 'UNCAC-46-13', 'DRUGS1988-7-8'],
  extradition: ['UNTOC-16', 'DRUGS1988-6'],
};
const REQUIREMENTS_BY_ROLE: Partial<Record<DesignationType['role'], RequirementTopic>> = { mla: 'mla', extradition: 'extradition', transfer: 'transfer' };

/**
 * The kinds of request the catalogue adds: one for each designation type in use that no kind above
 * answers (an instrument the secretariat added, a firearms contact), named by its code and listed
 * with the other instruments, so a new instrument reaches the finder with no change to the code.
 */
export function catalogueNeeds(catalogue: readonly DesignationType[]): Need[] {
  const answered = new Set(NEEDS.flatMap((need) => need.designations));
  return catalogue
    .filter((type) => !answered.has(type.code))
    .map((type) => ({
      code: type.code,
      group: 'instruments',
      designations: [type.code],
      fallbacks: (FALLBACKS_BY_ROLE[type.role] ?? []).filter((code) => code !== type.code),
      ...(REQUIREMENTS_BY_ROLE[type.role] ? { requirements: REQUIREMENTS_BY_ROLE[type.role] } : {}),
      legalBasis: false,
    }));
}

/** The kinds of request as the forms list them, the catalogue's included: one group each, its codes in order. */
export function needGroupsFor(catalogue: readonly DesignationType[]): ReadonlyArray<{ group: NeedGroup; needs: string[] }> {
  const extra = catalogueNeeds(catalogue).map((need) => need.code);
  return NEEDS_BY_GROUP.map((group) => (group.group === 'instruments' ? { group: group.group, needs: [...group.needs, ...extra] } : group));
}

/** Names a kind of request in the reader's language: a fixed kind by its words, a catalogue kind by its designation's title. */
export function needLabeller(t: (key: string) => string, catalogue: readonly DesignationType[], lang: UnLanguage): (code: string) => string {
  return (code) => ((NEED_CODES as readonly string[]).includes(code) ? t(`finder:need.${code}`) : (catalogue.find((type) => type.code === code)?.titles[lang] ?? code));
}

/** The kind of request with this code, a fixed one or one of the catalogue's; undefined for neither. */
export function findNeed(code: string, catalogue: readonly DesignationType[]): Need | undefined {
  return NEEDS.find((need) => need.code === code) ?? catalogueNeeds(catalogue).find((need) => need.code === code);
}

/** The kind of request with this code. */
export function needOf(code: NeedCode): Need {
  const need = NEEDS.find((candidate) => candidate.code === code);
  if (!need) throw new Error(`no kind of request ${code}`);
  return need;
}
