import type { AuthorityView } from '../directory/directory.service';

/**
 * vCard 4.0 (RFC 6350) for one authority. Written by hand: the npm vCard writers are unmaintained
 * or miss parameters we need. Text values escape \ , ; and newlines (RFC 6350 3.4); lines are
 * folded at 75 octets without splitting a UTF-8 character (3.2); lines end with CRLF.
 */

/**
 * Escapes a text value or one component of a structured value (ADR, ORG). Line breaks become \n;
 * other control characters (and the Unicode line separators, which some readers break lines at)
 * are dropped, so that no stored value can end its content line and start another property.
 */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/;/g, '\\;')
    .replace(/\r\n|\r|\n|\u0085|\u2028|\u2029/g, '\\n')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/**
 * A URI value (URL, TEL): RFC 6350 does not backslash-escape URIs, so whatever is not a URI
 * character (control characters, spaces, letters outside ASCII) is percent-encoded instead.
 */
export function escapeUri(value: string): string {
  return value.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (char) => {
    try {
      return encodeURIComponent(char);
    } catch {
      return ''; // a lone surrogate has no UTF-8 form
    }
  });
}

/** A parameter value (a language tag): only the letters, digits and hyphens a tag is made of. */
const parameterValue = (value: string): string => value.replace(/[^A-Za-z0-9-]/g, '');

/** Folds a content line into lines of at most 75 octets, each continuation starting with a space. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** The authority as a vCard: ORG and FN in its own language (and English), work phones and faxes, e-mails, address, web site, languages, and a note with its designations. */
export function authorityVCard(authority: AuthorityView, options: { countryName: string; designationTitles: string[]; revision?: Date }): string {
  const lines: string[] = ['BEGIN:VCARD', 'VERSION:4.0', 'KIND:org'];
  const original = authority.name.original;
  lines.push(`FN;LANGUAGE=${parameterValue(authority.name.originalLanguage)}:${escapeText(original)}`);
  if (authority.name.en && authority.name.en !== original) lines.push(`FN;LANGUAGE=en:${escapeText(authority.name.en)}`);
  lines.push(`ORG:${escapeText(original)}`);
  for (const phone of authority.phones) lines.push(`TEL;TYPE=work,voice;VALUE=uri:tel:${escapeUri(phone.number)}`);
  for (const fax of authority.fax) lines.push(`TEL;TYPE=work,fax;VALUE=uri:tel:${escapeUri(fax.number)}`);
  for (const email of authority.emails) lines.push(`EMAIL;TYPE=work:${escapeText(email)}`);
  const { address } = authority;
  // ADR: post office box; extended address; street; locality; region; postal code; country
  const street = address.lines.map(escapeText).join(',');
  lines.push(`ADR;TYPE=work:;;${street};${escapeText(address.city)};;${escapeText(address.postalCode ?? '')};${escapeText(options.countryName)}`);
  if (authority.website) lines.push(`URL:${escapeUri(authority.website)}`);
  authority.languages.forEach((language, index) => lines.push(`LANG;PREF=${index + 1}:${escapeText(language)}`));
  const note = [`Designated as: ${options.designationTitles.join('; ')}`, authority.notes].filter(Boolean).join('\n');
  lines.push(`NOTE:${escapeText(note)}`);
  lines.push(`REV:${(options.revision ?? authority.updatedAt).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
  lines.push(`UID:urn:uuid:${uuidFromId(authority.id)}`);
  lines.push('END:VCARD');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** A stable UUID-shaped identifier from the authority's 24-hex-digit id, so an address book updates rather than duplicates the card. */
function uuidFromId(id: string): string {
  const hex = id.padEnd(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
