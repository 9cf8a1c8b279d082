/**
 * Plain functions that compare two versions of an entry: which fields changed, and, for the
 * history page, what was taken out and put in. No Express, no database: easy to test.
 */

type Plain = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** JSON with object keys sorted, so two equal values always give the same text. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableStringify(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The same value as plain JSON data: no undefined, no class instances. */
export function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

/**
 * Paths of the fields that differ, descending into objects but not into lists (a list changes as a
 * whole: `phones`, `name.en`, `requirements.mla.text`). An absent and an empty value are equal.
 */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  const empty = (value: unknown) => value === undefined || value === null || (Array.isArray(value) && value.length === 0) || value === '';
  if (isPlainObject(before) || isPlainObject(after)) {
    const left = isPlainObject(before) ? before : {};
    const right = isPlainObject(after) ? after : {};
    if (!isPlainObject(before) && !empty(before)) return [prefix || '_'];
    if (!isPlainObject(after) && !empty(after)) return [prefix || '_'];
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
    return keys.flatMap((key) => changedPaths(left[key], right[key], prefix ? `${prefix}.${key}` : key));
  }
  if (empty(before) && empty(after)) return [];
  return stableStringify(before) === stableStringify(after) ? [] : [prefix || '_'];
}

/** The value at a dotted path, or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let node = value;
  for (const segment of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Plain)[segment];
  }
  return node;
}

/** A value as lines a person reads: one per list item, objects as their values joined. */
export function displayLines(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.flatMap((item) => (isPlainObject(item) || Array.isArray(item) ? [inline(item)] : displayLines(item)));
  if (isPlainObject(value)) {
    return Object.entries(value)
      .filter(([, inner]) => inner !== undefined && inner !== null && inner !== '')
      .map(([key, inner]) => `${key}: ${inline(inner)}`);
  }
  if (typeof value === 'string') return value.split('\n');
  return [String(value)];
}

function inline(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(inline).filter(Boolean).join(', ');
  if (isPlainObject(value)) {
    return Object.values(value)
      .map(inline)
      .filter(Boolean)
      .join(' · ');
  }
  return String(value);
}

export type DiffPart = { kind: 'same' | 'del' | 'ins'; text: string };

/** Largest table the exact comparison may build; beyond it the middle is shown as replaced whole. */
const MAX_CELLS = 1_000_000;

/** Differences between two token lists: longest common subsequence on what lies between the common start and end. */
export function diffTokens(before: string[], after: string[]): DiffPart[] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore -= 1;
    endAfter -= 1;
  }
  const a = before.slice(start, endBefore);
  const b = after.slice(start, endAfter);
  const middle: DiffPart[] = [];
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    middle.push(...a.map((text) => ({ kind: 'del' as const, text })), ...b.map((text) => ({ kind: 'ins' as const, text })));
  } else {
    const width = b.length + 1;
    const table = new Uint32Array((a.length + 1) * width);
    for (let i = a.length - 1; i >= 0; i -= 1) {
      for (let j = b.length - 1; j >= 0; j -= 1) {
        table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        middle.push({ kind: 'same', text: a[i]! });
        i += 1;
        j += 1;
      } else if (i < a.length && (j >= b.length || table[(i + 1) * width + j]! >= table[i * width + j + 1]!)) {
        // deletions before insertions, as people read a replacement
        middle.push({ kind: 'del', text: a[i]! });
        i += 1;
      } else {
        middle.push({ kind: 'ins', text: b[j]! });
        j += 1;
      }
    }
  }
  const same = (texts: string[]) => texts.map((text) => ({ kind: 'same' as const, text }));
  return [...same(before.slice(0, start)), ...middle, ...same(before.slice(endBefore))];
}

/** Neighbouring parts of the same kind as one, so a changed phrase is marked once. */
function merged(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if (last && last.kind === part.kind) last.text += part.text;
    else out.push({ ...part });
  }
  return out;
}

/** Words, each with the spaces before it, so a changed phrase is marked as one and the text reads as before. */
const words = (text: string): string[] => text.match(/\s*\S+|\s+$/g) ?? [];

export interface FieldDiff {
  field: string;
  /** Line by line (lists, several lines) or word by word (a one-line text). */
  mode: 'lines' | 'words';
  parts: DiffPart[];
}

/** What changed in one field: deletions and insertions, for the history page to mark with <del> and <ins>. */
export function diffField(field: string, before: unknown, after: unknown): FieldDiff {
  const left = displayLines(before);
  const right = displayLines(after);
  if (left.length <= 1 && right.length <= 1 && !Array.isArray(before) && !Array.isArray(after)) {
    return { field, mode: 'words', parts: merged(diffTokens(words(left[0] ?? ''), words(right[0] ?? ''))) };
  }
  // Blank lines only separate paragraphs: they carry no change worth showing.
  return { field, mode: 'lines', parts: diffTokens(left.filter((line) => line.trim()), right.filter((line) => line.trim())) };
}
