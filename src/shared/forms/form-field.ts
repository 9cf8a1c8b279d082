import { listOf } from './form-body';

/**
 * What the form field partials (`views/partials/form/`) show for one field, worked out the same
 * way for every form: its id, the name it posts, its value from the page's values, its message
 * from the page's errors, and which texts describe it.
 */

/** What a partial is given: the field's name (`email`, or a dotted path such as `phones.0.number`), optional id, value, error and hint; and the page's values and errors. */
export interface FieldInput {
  name: string;
  /** The id after `f-` and the key of its message in `errors`; by default the name. */
  id?: string;
  /** The value to show; by default the page's `values` at the name. */
  value?: unknown;
  /** The message to show; by default the page's `errors` at the id. */
  error?: string;
  hint?: string;
  values?: unknown;
  errors?: Record<string, string>;
}

export interface FieldView {
  /** The element's id, `f-` and the field's id. */
  id: string;
  /** The posted name: `phones.0.number` as `phones[0][number]`, which the form parser reads back as rows. */
  name: string;
  /** The value as text (a list one item a line). */
  value: string;
  /** The value as a list, for checkboxes and multiple choices. */
  chosen: string[];
  error: string;
  hint: string;
  /** The ids of the hint and the message, for `aria-describedby`; '' when there is neither. */
  describedBy: string;
}

function at(values: unknown, path: string): unknown {
  let value: unknown = values;
  for (const part of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

/** One field of a form as its partial renders it. */
export function formField(input: FieldInput): FieldView {
  const key = input.id || input.name;
  const id = `f-${key}`;
  const [first, ...rest] = input.name.split('.');
  const raw = input.value !== undefined ? input.value : at(input.values, input.name);
  const error = input.error ?? input.errors?.[key] ?? '';
  const hint = input.hint ?? '';
  return {
    id,
    name: `${first}${rest.map((part) => `[${part}]`).join('')}`,
    value: Array.isArray(raw) ? raw.map(text).join('\n') : text(raw),
    chosen: (listOf(raw) as unknown[]).map(text),
    error,
    hint,
    describedBy: [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' '),
  };
}
