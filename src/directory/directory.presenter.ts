import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { SearchResult } from './directory.service';
import {
  requirementTopic,
  type DesignationType,
  type OfficeHours,
  type RegionalGroup,
  type RequirementTopic,
  type StateText,
  type StructuredRequirements,
  type UnLanguage,
} from './directory.types';

/** Plain functions that turn directory data into what a page shows; no Express, easy to test. */

export function designationTitle(types: DesignationType[], code: string, lang: UnLanguage): string {
  return types.find((type) => type.code === code)?.titles[lang] ?? code;
}

/** Readable fragments for the designations practitioners link to most; any other takes its code in lower case. */
const DESIGNATION_SLUGS: Record<string, string> = {
  'UNTOC-18-13': 'mutual-legal-assistance',
  'UNTOC-16': 'extradition',
  'UNTOC-17': 'transfer',
  'SOM-8-6': 'smuggling-at-sea',
};

/** The fragment a State page gives a designation's section, so `/states/DEU#extradition` stays a link one can share. */
export function designationAnchor(code: string): string {
  return DESIGNATION_SLUGS[code] ?? code.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** Which of a State's requirement summaries applies to requests sent under a designation: the one of its role, if there is one. */
export function requirementTopicOf(type: Pick<DesignationType, 'role'>): RequirementTopic | undefined {
  const parsed = requirementTopic.safeParse(type.role);
  return parsed.success ? parsed.data : undefined;
}

/** What a line of a requirements checklist is about, so a page or a test can tell the lines apart. */
export type ChecklistTopic = 'requestLanguages' | 'translation' | 'attachmentLanguages' | 'channels' | 'advanceCopy' | 'dualCriminality' | 'authentication' | 'legalBases';
export interface ChecklistLine {
  topic: ChecklistTopic;
  text: string;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * A kind of request's structured requirements as the lines of a checklist a requester ticks off
 * before sending, in the reader's language: languages by their names, alternatives joined with
 * "or". What the State has not stated gives no line.
 */
export function requirementsChecklist(facts: StructuredRequirements | undefined, t: Translate, lang: UnLanguage): ChecklistLine[] {
  if (!facts) return [];
  const names = new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' });
  const either = new Intl.ListFormat(lang, { type: 'disjunction' });
  const listed = new Intl.ListFormat(lang, { type: 'unit' });
  const languages = (codes: string[]) => either.format(codes.map((code) => names.of(code) ?? code));
  // Without a translation required, a document must already be in one of the languages
  const inOrInto = facts.translationRequired === false ? 'writtenIn' : 'translatedInto';
  const lines: ChecklistLine[] = [];
  const add = (topic: ChecklistTopic, key: string, options?: Record<string, unknown>) => lines.push({ topic, text: t(`checklist.${key}`, options) });
  if (facts.requestLanguages.length > 0) add('requestLanguages', `request.${inOrInto}`, { languages: languages(facts.requestLanguages) });
  else if (facts.translationRequired !== undefined) add('translation', facts.translationRequired ? 'translationNeeded' : 'noTranslation');
  if (facts.attachmentLanguages.length > 0) add('attachmentLanguages', `attachments.${inOrInto}`, { languages: languages(facts.attachmentLanguages) });
  if (facts.formalChannels.length > 0) add('channels', 'channels', { channels: either.format(facts.formalChannels.map((channel) => t(`checklist.channel.${channel}`))) });
  if (facts.advanceCopyByEmail === true) {
    if (facts.originalWithinDays !== undefined) add('advanceCopy', 'advanceCopyWithin', { count: facts.originalWithinDays });
    else add('advanceCopy', 'advanceCopy');
  } else if (facts.advanceCopyByEmail === false) add('advanceCopy', 'noAdvanceCopy');
  if (facts.dualCriminality) add('dualCriminality', `dualCriminality.${facts.dualCriminality}`);
  if (facts.authentication) add('authentication', `authentication.${facts.authentication}`);
  if (facts.legalBases.length > 0) add('legalBases', 'legalBases', { bases: listed.format(facts.legalBases.map((basis) => t(`checklist.basis.${basis}`))) });
  return lines;
}

export interface LocalTime {
  /** e.g. "Tuesday 14:05" in the reader's language. */
  label: string;
  /** Whether the office is open now by its stated hours; undefined when hours are not given. */
  open?: boolean;
}

const ISO_WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The authority's local time now and whether its office hours cover it, so a caller abroad knows whether to phone. */
export function localTimeAt(hours: OfficeHours, lang: UnLanguage, now = new Date()): LocalTime {
  const label = new Intl.DateTimeFormat(lang, { timeZone: hours.timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(now);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: hours.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  const weekday = ISO_WEEKDAY[parts.weekday ?? ''] ?? 0;
  const clock = `${parts.hour}:${parts.minute}`;
  const open = hours.days.includes(weekday) && clock >= hours.opens && clock < hours.closes;
  return { label, open };
}

/** Names of ISO weekdays (1 = Monday) in the reader's language, for office hours. */
export function weekdayNames(days: number[], lang: UnLanguage): string[] {
  const format = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' });
  // 2024-01-01 was a Monday
  return days.map((day) => format.format(new Date(Date.UTC(2024, 0, day))));
}

export const REGION_ORDER: RegionalGroup[] = ['AFRICAN', 'ASIA_PACIFIC', 'EASTERN_EUROPEAN', 'GRULAC', 'WEOG', 'NONE'];

/** States grouped by UN regional group in `REGION_ORDER`, each group keeping the order given (the reader's): a State picker's groups. */
export function statesByRegion<T extends { region: RegionalGroup }>(states: readonly T[]): Array<{ region: RegionalGroup; states: T[] }> {
  return REGION_ORDER.map((region) => ({ region, states: states.filter((state) => state.region === region) })).filter((group) => group.states.length > 0);
}

/** A phone number in E.164 as a person reads it (+44 20 7946 0123); unchanged if it cannot be parsed. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/**
 * A State's own text as safe HTML: Markdown rendered, then sanitised to a small set of tags, so
 * nothing a focal point types can run script or pull in remote content.
 */
export function renderStateText(text: StateText): string {
  const html = text.format === 'markdown' ? (marked.parse(text.text, { async: false, gfm: true }) as string) : `<p>${escapeHtml(text.text).replace(/\n{2,}/g, '</p><p>').replace(/\n/g, '<br>')}</p>`;
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'ul', 'ol', 'li', 'strong', 'em', 'b', 'i', 'a', 'h3', 'h4', 'blockquote', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['https', 'http', 'mailto'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
  });
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

/** A numbered page link of a paginated list; `gap` stands for the pages left out between two links. */
export type PageLink = { page: number; href: string; current: boolean } | { gap: true };

/**
 * Links to the pages of a list at `path`, keeping every other query parameter: the first and last
 * pages and two either side of the current one, with gaps between.
 */
export function pageLinks(path: string, query: Record<string, unknown>, current: number, pages: number): PageLink[] {
  const href = (page: number) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (name !== 'page' && typeof value === 'string') params.append(name, value);
    }
    if (page > 1) params.set('page', String(page));
    const search = params.toString();
    return search ? `${path}?${search}` : path;
  };
  const links: PageLink[] = [];
  for (let page = 1; page <= pages; page += 1) {
    if (page === 1 || page === pages || Math.abs(page - current) <= 2) links.push({ page, href: href(page), current: page === current });
    else if (!('gap' in (links.at(-1) ?? {}))) links.push({ gap: true });
  }
  return links;
}

/**
 * Why a search result was found, as a translation key (`search.matched.*`) and the text it names
 * ("alias: Deutschland"); a name that is the result's own title needs no repeating.
 */
export function matchReason(result: SearchResult): { key: string; value: string } | undefined {
  const { matched } = result;
  if (!matched) return undefined;
  if (matched.field === 'name') {
    const shown = result.type === 'state' ? [result.state.name] : [result.authority.name.original, result.authority.name.en];
    return { key: shown.includes(matched.value) ? 'search.matched.name' : 'search.matched.nameValue', value: matched.value };
  }
  return { key: `search.matched.${matched.field}`, value: matched.value };
}
