// Tests read pages through a DOM parser: an assertion names the element it is about, so a change of
// attribute order, quoting or whitespace in a view does not break it, and a word elsewhere on the
// page does not satisfy it.
import * as cheerio from 'cheerio';

/** Trimmed text with runs of whitespace collapsed to one space. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A parsed page with the queries the tests use most. */
export interface Page {
  $: cheerio.CheerioAPI;
  /** Number of elements matching the selector. */
  count(selector: string): number;
  /** Collapsed text of the first element matching the selector; throws when there is none. */
  text(selector: string): string;
  /** Collapsed text of every element matching the selector. */
  texts(selector: string): string[];
  /** The attribute of the first element matching the selector (undefined when absent). */
  attr(selector: string, name: string): string | undefined;
  /** The attribute of every element matching the selector. */
  attrs(selector: string, name: string): string[];
  /** The value a form would submit for the field named `name` (text input, textarea, selected option). */
  field(name: string, form?: string): string | undefined;
  /** Values of the options of the select named `name`. */
  options(name: string): string[];
  /** Values chosen in the field named `name`: selected options, ticked checkboxes or radios. */
  chosen(name: string): string[];
  /** The hidden CSRF token of the first form matching `form` (every form by default). */
  csrfToken(form?: string): string;
  /** Field names the error summary links to (`#f-name` → `name`). */
  errorSummaryFields(): string[];
  /** Field names that show an error message beside the field (`id="f-name-error"`). */
  fieldErrors(): string[];
  /** Collapsed text of the message beside the field whose id is `f-<id>` (undefined when none). */
  fieldError(id: string): string | undefined;
  /** Collapsed text of each cell of each body row of the first table matching `table`. */
  rows(table: string): string[][];
  /** Hrefs of every link. */
  hrefs(): string[];
  /** Href of the first link whose collapsed text is `text` (undefined when none). */
  linkTo(text: string): string | undefined;
  /** The document's language. */
  lang(): string | undefined;
}

/** Parses an HTML page or fragment. */
export function page(html: string): Page {
  const $ = cheerio.load(html);
  // only form controls: a page's <meta name="description"> is not its description field
  const control = (name: string) => ['input', 'select', 'textarea'].map((tag) => `${tag}[name="${name}"]`).join(', ');
  const fieldEl = (name: string, form?: string) => (form ? $(form).first().find(control(name)) : $(control(name))).first();
  return {
    $,
    count: (selector) => $(selector).length,
    text(selector) {
      const found = $(selector).first();
      if (found.length === 0) throw new Error(`no element matches ${selector}`);
      return squash(found.text());
    },
    texts: (selector) => $(selector).toArray().map((el) => squash($(el).text())),
    attr: (selector, name) => $(selector).first().attr(name),
    attrs: (selector, name) =>
      $(selector)
        .toArray()
        .map((el) => $(el).attr(name))
        .filter((value): value is string => value !== undefined),
    field(name, form) {
      const el = fieldEl(name, form);
      if (el.length === 0) return undefined;
      if (el.is('select')) {
        const chosen = el.find('option[selected]').first();
        return chosen.length > 0 ? (chosen.attr('value') ?? chosen.text()) : el.find('option').first().attr('value');
      }
      if (el.is('textarea')) return el.text();
      return el.attr('value') ?? '';
    },
    options: (name) =>
      $(`select[name="${name}"] option`)
        .toArray()
        .map((el) => $(el).attr('value') ?? ''),
    chosen: (name) =>
      $(`select[name="${name}"] option[selected], input[name="${name}"][checked]`)
        .toArray()
        .map((el) => $(el).attr('value') ?? (el.tagName === 'option' ? squash($(el).text()) : 'on')),
    csrfToken(form = 'form') {
      const token = $(form).find('input[name="_csrf"]').first().attr('value');
      if (!token) throw new Error('no CSRF token in page');
      return token;
    },
    errorSummaryFields: () =>
      $('.error-summary a[href^="#f-"]')
        .toArray()
        .map((el) => ($(el).attr('href') ?? '').slice('#f-'.length)),
    fieldErrors: () =>
      $('[id^="f-"][id$="-error"]')
        .toArray()
        .map((el) => ($(el).attr('id') ?? '').slice('f-'.length, -'-error'.length)),
    fieldError(id) {
      const message = $(`[id="f-${id}-error"]`).first();
      return message.length > 0 ? squash(message.text()) : undefined;
    },
    rows: (table) =>
      $(table)
        .first()
        .find('tbody tr')
        .toArray()
        .map((row) =>
          $(row)
            .children('th, td')
            .toArray()
            .map((cell) => squash($(cell).text())),
        ),
    hrefs: () =>
      $('a[href]')
        .toArray()
        .map((el) => $(el).attr('href') ?? ''),
    linkTo: (text) =>
      $('a[href]')
        .toArray()
        .find((el) => squash($(el).text()) === text)
        ?.attribs['href'],
    lang: () => $('html').attr('lang'),
  };
}
