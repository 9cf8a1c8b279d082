import {
  AUTHORITY_FIELD_NAMES,
  type Authority,
  type ContactPerson,
  type OptionalSection,
  type Phone,
  type State,
  type StateText,
  type StructuredRequirements,
} from '../directory/directory.types';
import { renderStateText } from '../directory/directory.presenter';
import { languageCodeOf, languageFieldText, languageNamesText } from '../shared/languages';
import { diffField, displayLines, valueAt, type FieldDiff } from './editing.diff';
import { fieldLabel } from './editing.schema';
import type { Revision } from './revision.repository';

/**
 * What the editing pages show: form values in the shape the forms post (strings, indexed rows with
 * spare blank ones), field names and ids, and revisions as differences. Plain functions.
 */

/** Blank rows a form offers for adding phones, e-mails, persons, laws and treaties without JavaScript. */
export const SPARE_ROWS = 2;
/** Blank rows inside a contact person or the 24/7 contact. */
export const SPARE_NESTED_ROWS = 1;

type FormValue = string | string[] | FormValues | FormValues[] | Array<string | FormValues>;
export interface FormValues {
  [key: string]: FormValue;
}

const pad = <T>(list: T[], blank: () => T, spare: number): T[] => [...list, ...Array.from({ length: spare }, blank)];
const phoneRows = (phones: Phone[] | undefined, spare: number): FormValues[] =>
  pad(
    (phones ?? []).map((phone) => ({ number: phone.number, label: phone.label ?? '' })),
    () => ({ number: '', label: '' }),
    spare,
  );
const textRows = (values: string[] | undefined, spare: number): string[] => pad([...(values ?? [])], () => '', spare);

function personForm(lang: string, person?: ContactPerson): FormValues {
  return {
    name: person?.name ?? '',
    title: person?.title ?? '',
    phones: phoneRows(person?.phones, SPARE_NESTED_ROWS),
    emails: textRows(person?.emails, SPARE_NESTED_ROWS),
    languages: languageNamesText(person?.languages ?? [], lang),
  };
}

/** An authority's text fields as stored (a field declared as text needs nothing more here to be shown in its form). */
const storedTexts = (authority?: Authority): FormValues =>
  Object.fromEntries(
    AUTHORITY_FIELD_NAMES.flatMap((key) => {
      const value = authority?.[key];
      return typeof value === 'string' ? [[key, value]] : [];
    }),
  );

/** An authority as its form shows it to a reader of `lang` (languages by their names); a new one when none is given. */
export function authorityForm(authority: Authority | undefined, lang: string): FormValues {
  const hours = authority?.officeHours;
  const contact = authority?.contact247;
  return {
    ...storedTexts(authority),
    designations: [...(authority?.designations ?? [])],
    designationDates: Object.fromEntries((authority?.designationDates ?? []).map((row) => [row.code, { since: row.since, notified: row.notified ?? '' }])),
    name: { original: authority?.name.original ?? '', originalLanguage: authority ? languageFieldText(authority.name.originalLanguage, lang) : '', en: authority?.name.en ?? '' },
    kind: authority?.kind ?? '',
    address: { lines: (authority?.address.lines ?? []).join('\n'), city: authority?.address.city ?? '', postalCode: authority?.address.postalCode ?? '' },
    phones: phoneRows(authority?.phones, SPARE_ROWS),
    fax: phoneRows(authority?.fax, SPARE_ROWS),
    emails: textRows(authority?.emails, SPARE_ROWS),
    officeHours: {
      timeZone: hours?.timeZone ?? '',
      days: (hours?.days ?? [1, 2, 3, 4, 5]).map(String),
      opens: hours?.opens ?? '',
      closes: hours?.closes ?? '',
      notes: hours?.notes ?? '',
    },
    languages: languageNamesText(authority?.languages ?? [], lang),
    channels: [...(authority?.channels ?? [])],
    urgent: { accepted: authority?.urgent.accepted ? 'yes' : '', means: [...(authority?.urgent.means ?? [])], notes: authority?.urgent.notes ?? '' },
    contact247: { description: contact?.description ?? '', phones: phoneRows(contact?.phones, SPARE_NESTED_ROWS), emails: textRows(contact?.emails, SPARE_NESTED_ROWS) },
    contactPersons: pad((authority?.contactPersons ?? []).map((person) => personForm(lang, person)), () => personForm(lang), SPARE_ROWS),
  };
}

const stateTextForm = (text?: StateText): FormValues => ({ text: text?.text ?? '', language: text?.language ?? '', format: text?.format ?? 'plain' });

/** A yes-or-no answer as its choice posts it: blank when not stated. */
const answerForm = (answer: boolean | undefined): string => (answer === undefined ? '' : answer ? 'yes' : 'no');

const structuredForm = (facts?: StructuredRequirements): FormValues => ({
  requestLanguages: (facts?.requestLanguages ?? []).join(', '),
  attachmentLanguages: (facts?.attachmentLanguages ?? []).join(', '),
  translationRequired: answerForm(facts?.translationRequired),
  formalChannels: [...(facts?.formalChannels ?? [])],
  advanceCopyByEmail: answerForm(facts?.advanceCopyByEmail),
  originalWithinDays: facts?.originalWithinDays === undefined ? '' : String(facts.originalWithinDays),
  dualCriminality: facts?.dualCriminality ?? '',
  authentication: facts?.authentication ?? '',
  legalBases: [...(facts?.legalBases ?? [])],
});

/** A State's optional section as its form shows it. */
export function optionalForm(optional: OptionalSection): FormValues {
  const structured = optional.structuredRequirements;
  return {
    requirements: {
      mla: stateTextForm(optional.requirements.mla),
      extradition: stateTextForm(optional.requirements.extradition),
      transfer: stateTextForm(optional.requirements.transfer),
    },
    structuredRequirements: { mla: structuredForm(structured?.mla), extradition: structuredForm(structured?.extradition), transfer: structuredForm(structured?.transfer) },
    laws: pad(
      optional.laws.map((law) => ({ title: law.title, url: law.url, language: law.language })),
      () => ({ title: '', url: '', language: '' }),
      SPARE_ROWS,
    ),
    treaties: pad(
      optional.treaties.map((treaty) => ({
        title: treaty.title,
        otherParties: treaty.otherParties.join(', '),
        subject: treaty.subject,
        signed: treaty.signed ?? '',
        inForce: treaty.inForce ?? '',
        url: treaty.url ?? '',
      })),
      () => ({ title: '', otherParties: '', subject: '', signed: '', inForce: '', url: '' }),
      SPARE_ROWS,
    ),
    alternativeArrangements: stateTextForm(optional.alternativeArrangements),
    untocLegalBasisForExtradition: optional.untocLegalBasisForExtradition ?? '',
  };
}

/** The State's texts the optional form holds, by their field path. */
const STATE_TEXT_KEYS = ['requirements.mla', 'requirements.extradition', 'requirements.transfer', 'alternativeArrangements'] as const;

export interface StateTextPreview {
  /** Rendered and sanitised exactly as readers of the State page will see it. */
  html: string;
  lang?: string;
}

/** The State's texts of a posted optional form as readers would see them, by field path; texts left blank have none. */
export function stateTextPreviews(values: unknown): Record<string, StateTextPreview> {
  const previews: Record<string, StateTextPreview> = {};
  for (const key of STATE_TEXT_KEYS) {
    const text = fieldValue(values, `${key}.text`);
    if (!text.trim()) continue;
    const lang = languageCodeOf(fieldValue(values, `${key}.language`));
    const format = fieldValue(values, `${key}.format`) === 'markdown' ? 'markdown' : 'plain';
    previews[key] = { html: renderStateText({ text: text.replace(/\r\n?/g, '\n'), format, language: lang ?? 'und' }), ...(lang ? { lang } : {}) };
  }
  return previews;
}

/** A list as posted or prepared: an array, one value, or nothing. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object') return Object.values(value);
  return [value];
}

/** The text a field shows for a key of the form values. */
export function fieldValue(values: unknown, key: string): string {
  const value = valueAt(values, key);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export interface RevisionView {
  revision: Revision;
  /** The authority's name, or undefined for a change of the State's own fields. */
  authorityName?: string;
  diffs: FieldDiff[];
  /** Whether the values before this change can be brought back. */
  restorable: boolean;
  /** The entity's version now, sent with a restore; '' when the entity no longer exists. */
  currentVersion: string;
}

/** How the history page words stored values in the reader's language. */
export interface ValueWords {
  t: (key: string) => string;
  languageName: (code: string) => string;
  designationTitle: (code: string) => string;
  stateName: (code: string) => string;
  weekday: (day: number) => string;
}

const LABELLED: Record<string, string> = {
  channels: 'channel',
  formalChannels: 'channel',
  kind: 'kind',
  means: 'urgentMeans',
  subject: 'treatySubject',
  authentication: 'authentication',
  legalBases: 'legalBasisKind',
  dualCriminality: 'answer',
};
const LANGUAGE_FIELDS = new Set(['languages', 'originalLanguage', 'language', 'requestLanguages', 'attachmentLanguages']);

/**
 * A stored value as a reader should see it: designation codes as titles, enumerations as their
 * labels, language and State codes as names, weekdays as names, true and false as yes and no.
 * The last segment of the path says what a value is (`urgent.means`, `treaties` → `subject`).
 */
export function readableValue(path: string, value: unknown, words: ValueWords): unknown {
  const key = path.split('.').at(-1) ?? path;
  if (Array.isArray(value)) return value.map((item) => readableValue(key, item, words));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([inner, innerValue]) => [inner, readableValue(inner, innerValue, words)]));
  }
  if (typeof value === 'boolean') return words.t(value ? 'console:yes' : 'console:no');
  if (typeof value === 'number' && key === 'days') return words.weekday(value);
  if (typeof value !== 'string') return value;
  if (key === 'designations') return words.designationTitle(value);
  if (key === 'otherParties') return words.stateName(value);
  if (LANGUAGE_FIELDS.has(key)) return words.languageName(value);
  const labels = LABELLED[key];
  return labels ? words.t(`${labels}.${value}`) : value;
}

/** Revisions with their differences field by field, for the history page. */
export function revisionViews(revisions: Revision[], state: State, authorities: Authority[], words?: ValueWords): RevisionView[] {
  const shown = (field: string, value: unknown) => (words ? readableValue(field, value, words) : value);
  const versions = new Map(authorities.map((authority) => [authority.id, authority.version]));
  return revisions.map((revision) => {
    const name = (valueAt(revision.after, 'name') ?? valueAt(revision.before, 'name')) as Authority['name'] | undefined;
    const current = revision.entity === 'state' ? state.version : versions.get(revision.entityId);
    return {
      revision,
      ...(revision.entity === 'authority' && name ? { authorityName: name.en === name.original ? name.original : `${name.original} (${name.en})` } : {}),
      diffs: revision.fields.map((field) => diffField(field, shown(field, valueAt(revision.before, field)), shown(field, valueAt(revision.after, field)))),
      restorable: revision.before !== null && revision.action !== 'confirm',
      currentVersion: current === undefined ? '' : String(current),
    };
  });
}

export interface ConflictView {
  changes: Array<{ label: string; current: string[] }>;
  by?: string;
  at?: Date;
}

/** What changed meanwhile, in words: each field with its value now, and who changed it. */
export function conflictView(
  details: { changes: Array<{ field: string; current?: unknown }>; changedBy?: { email?: string; role?: string; at: string } } | undefined,
  t: (key: string, options?: Record<string, unknown>) => string,
): ConflictView {
  const changedBy = details?.changedBy;
  return {
    changes: (details?.changes ?? []).map((change) => ({ label: fieldLabel(change.field, t), current: displayLines(change.current) })),
    ...(changedBy ? { by: changedBy.email ?? t(`role.${changedBy.role ?? ''}`), at: new Date(changedBy.at) } : {}),
  };
}
