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

/** What a vCard's note says in the reader's language: labels and sentences already translated, and how that language joins a list. */
export interface VCardWords {
  list: (items: string[]) => string;
  designatedAs: string;
  /** How urgent requests are taken, as a sentence. */
  urgent: string;
  contact247: string;
  contactPersons: string;
  /** A label and its value as the language writes them ("label: value", "label : value", "label：value"). */
  labelled: (label: string, value: string) => string;
}

/** Phones and e-mails of a 24/7 line or a person, on one line. */
const reachedAt = (phones: Array<{ number: string }>, emails: string[]) => [...phones.map((phone) => phone.number), ...emails].join(', ');

/** The note: designations, the urgent procedure, the 24/7 line, contact persons and the authority's own notes, one to a line. */
export function vCardNote(authority: AuthorityView, designationTitles: string[], words: VCardWords): string {
  const lines = [`${words.designatedAs} ${words.list(designationTitles)}`, [words.urgent, authority.urgent.notes].filter(Boolean).join(' ')];
  const line247 = authority.contact247;
  if (line247) lines.push(words.labelled(words.contact247, line247.description ? words.labelled(line247.description, reachedAt(line247.phones, line247.emails)) : reachedAt(line247.phones, line247.emails)));
  if (authority.contactPersons.length) {
    lines.push(words.labelled(words.contactPersons, '').trimEnd());
    for (const person of authority.contactPersons) lines.push(`- ${words.labelled([person.name, person.title].filter(Boolean).join(', '), reachedAt(person.phones, person.emails))}`);
  }
  if (authority.notes) lines.push(authority.notes);
  return lines.join('\n');
}

/**
 * The authority as a vCard: ORG and FN in its own language (and English), work phones and faxes
 * (the 24/7 line's too), e-mails, address, web site, languages, its contact persons (RELATED) and
 * the note `vCardNote` wrote.
 */
export function authorityVCard(authority: AuthorityView, options: { countryName: string; note: string; revision?: Date }): string {
  const lines: string[] = ['BEGIN:VCARD', 'VERSION:4.0', 'KIND:org'];
  const original = authority.name.original;
  lines.push(`FN;LANGUAGE=${parameterValue(authority.name.originalLanguage)}:${escapeText(original)}`);
  if (authority.name.en && authority.name.en !== original) lines.push(`FN;LANGUAGE=en:${escapeText(authority.name.en)}`);
  lines.push(`ORG:${escapeText(original)}`);
  for (const phone of authority.phones) lines.push(`TEL;TYPE=work,voice;VALUE=uri:tel:${escapeUri(phone.number)}`);
  for (const fax of authority.fax) lines.push(`TEL;TYPE=work,fax;VALUE=uri:tel:${escapeUri(fax.number)}`);
  // The line reachable at any hour comes first among the phones an address book offers
  for (const phone of authority.contact247?.phones ?? []) lines.push(`TEL;TYPE=work,voice;PREF=1;VALUE=uri:tel:${escapeUri(phone.number)}`);
  for (const email of authority.emails) lines.push(`EMAIL;TYPE=work:${escapeText(email)}`);
  for (const email of authority.contact247?.emails ?? []) lines.push(`EMAIL;TYPE=work;PREF=1:${escapeText(email)}`);
  const { address } = authority;
  // ADR: post office box; extended address; street; locality; region; postal code; country
  const street = address.lines.map(escapeText).join(',');
  lines.push(`ADR;TYPE=work:;;${street};${escapeText(address.city)};;${escapeText(address.postalCode ?? '')};${escapeText(options.countryName)}`);
  if (authority.website) lines.push(`URL:${escapeUri(authority.website)}`);
  authority.languages.forEach((language, index) => lines.push(`LANG;PREF=${index + 1}:${escapeText(language)}`));
  for (const person of authority.contactPersons) lines.push(`RELATED;TYPE=contact;VALUE=text:${escapeText([person.name, person.title].filter(Boolean).join(', '))}`);
  lines.push(`NOTE:${escapeText(options.note)}`);
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
