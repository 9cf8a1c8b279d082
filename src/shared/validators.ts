import { isSupportedCountry, isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Shared checks for contact data, used by the Mongoose models and by the input schemas alike. */

const timeZones = new Set(Intl.supportedValuesOf('timeZone'));
// Intl lists canonical zones only; aliases such as UTC and Etc/GMT are valid too.
const isTimeZone = (zone: string): boolean => {
  if (timeZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/**
 * C0 and C1 control characters (CR, LF, tab, NUL, ESC...), DEL, and the Unicode line and paragraph
 * separators. None belongs in a name, an address line, an e-mail or a web address, and each can
 * end a line in some reader of the data (a vCard, a CSV, a log, a mail header).
 */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The same, less the tab, line feed and carriage return a multi-line text may hold. */
const CONTROL_CHARACTERS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;
/** Characters RFC 3986 allows in a URI, where a percent sign starts an escape of two hex digits. */
const URI_CHARACTERS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
/** A control character escaped (%0D%0A, %00, %7F, or C1 as UTF-8): no authority's address needs one, and a reader that decodes it would break lines. */
const ESCAPED_CONTROL_CHARACTER = /%(?:[01][0-9A-Fa-f]|7[Ff]|[Cc]2%[89][0-9A-Fa-f]|[Ee]2%80%[Aa][89])/;

export const validators = {
  /** E.164: a plus sign, country code and subscriber number, valid for that country's plan. */
  phone: (value: string): boolean => /^\+[1-9]\d{6,14}$/.test(value) && isValidPhoneNumber(value),
  email: (value: string): boolean =>
    /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/.test(value) && !CONTROL_CHARACTERS.test(value) && value.length <= 254,
  /**
   * An http(s) address checked as written: the WHATWG URL parser silently drops tabs and line
   * breaks and escapes spaces, so the raw text must itself be a URI (RFC 3986 characters only),
   * which is also what the API promises (`format: uri`). `toUri` turns a typed IRI into one.
   */
  httpUrl: (value: string): boolean => {
    if (value.length > 2048 || !URI_CHARACTERS.test(value) || ESCAPED_CONTROL_CHARACTER.test(value)) return false;
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
    } catch {
      return false;
    }
  },
  /** One line of text: no control character at all. */
  singleLine: (value: string): boolean => !CONTROL_CHARACTERS.test(value),
  /** A text area's text: line breaks and tabs, but no other control character. */
  multiLine: (value: string): boolean => !CONTROL_CHARACTERS_BUT_LINE_BREAKS.test(value),
  timeZone: isTimeZone,
  /** ISO 639-1 (or 639-2/3 where no two-letter code exists), known to CLDR. */
  language: (value: string): boolean => /^[a-z]{2,3}$/.test(value) && languageNames.of(value) !== undefined,
  isoDate: (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)),
  clockTime: (value: string): boolean => /^([01]\d|2[0-3]):[0-5]\d$/.test(value),
};

/**
 * A web address as typed, made a URI where it is an IRI (letters outside ASCII, in the host or the
 * path): the URL parser writes such a host in punycode and escapes the rest. Text with control
 * characters or spaces is left as it is, for `validators.httpUrl` to refuse.
 */
export function toUri(value: string): string {
  if (!/[^\u0000-\u007f]/.test(value) || /[\s\p{Cc}\u2028\u2029]/u.test(value)) return value;
  try {
    return new URL(value).href;
  } catch {
    return value;
  }
}

/**
 * A telephone number as people type it, in international format ("+7 495 987-65-43", "00 7 ...")
 * or as dialled within the State whose ISO 3166-1 alpha-2 code is `region` ("8 (495) 987-65-43"
 * in Russia), made E.164. A number that is not valid for its country is returned with only the
 * spaces, dots, hyphens and brackets removed, for `validators.phone` to refuse.
 */
export function toE164(value: string, region?: string): string {
  const defaultCountry = region !== undefined && isSupportedCountry(region) ? region : undefined;
  const parsed = parsePhoneNumberFromString(value, defaultCountry ? { defaultCountry } : {});
  return parsed?.isValid() ? parsed.number : value.replace(/[\s().\u00a0-]/g, '');
}
