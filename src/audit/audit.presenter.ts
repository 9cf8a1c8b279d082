/**
 * An audit event's details in words for the secretariat's log: each stored key under its label, and
 * each value as a reader says it (State names for codes, languages by name, yes and no, dates,
 * roles and decisions by their labels), in the reader's language.
 */

export interface DetailWords {
  /** i18next's `t`: `defaultValue` is used when a key has no label. */
  t: (key: string, options?: Record<string, unknown>) => string;
  stateName: (code: string) => string | undefined;
  languageName: (code: string) => string;
  formatDate: (date: Date) => string;
}

export interface DetailRow {
  label: string;
  value: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?$/;
const STATE_CODE = /^[A-Z]{3}$/;
const LANGUAGE_KEYS = new Set(['language']);
/** Keys whose values are one of a few words, and where their labels are. */
const LABELS_OF: Record<string, string> = {
  role: 'role',
  previousRole: 'role',
  from: 'access',
  to: 'access',
  decision: 'accounts:requests.statuses',
  status: 'accounts:users.statuses',
  change: 'accounts:audit.value.change',
  action: 'accounts:audit.value.action',
  reason: 'accounts:audit.value.reason',
  outcome: 'accounts:audit.value.outcome',
  statusBefore: 'reports:statuses',
  statusAfter: 'reports:statuses',
};

function valueInWords(key: string, value: unknown, words: DetailWords): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return words.t(value ? 'console:yes' : 'console:no');
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length ? value.map((item) => valueInWords(key, item, words)).join(words.t('listSeparator')) : '—';
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([inner, innerValue]) => `${labelOf(inner, words)}: ${valueInWords(inner, innerValue, words)}`)
      .join('; ');
  }
  const text = String(value);
  if (LANGUAGE_KEYS.has(key)) return words.languageName(text);
  const labels = LABELS_OF[key];
  if (labels) return words.t(`${labels}.${text}`, { defaultValue: text });
  if (STATE_CODE.test(text)) return words.stateName(text) ?? text;
  if (ISO_DATE.test(text) && !Number.isNaN(Date.parse(text))) return words.formatDate(new Date(text));
  return text;
}

function labelOf(key: string, words: DetailWords): string {
  return words.t(`accounts:audit.detail.${key}`, { defaultValue: key });
}

/** The details of one event as labelled rows, in the order they were recorded. */
export function auditDetailRows(details: Record<string, unknown> | undefined, words: DetailWords): DetailRow[] {
  return Object.entries(details ?? {}).map(([key, value]) => ({ label: labelOf(key, words), value: valueInWords(key, value, words) }));
}
