import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { findAuthoritiesOfState } from '../../src/editing/editing.repository';
import type { Authority } from '../../src/directory/directory.types';
import { updateAuthority, type EditContext } from '../../src/editing/editing.service';

export const secretariatContext: EditContext = { viewer: { kind: 'user', id: '64b000000000000000000009', role: 'secretariat', states: [] }, email: 'secretariat@test.example' };

/** Changes the e-mail addresses of a State's authority through the editing service, as a focal point's save would. */
export async function changeEmails(state: string, email: string): Promise<Authority> {
  const authority = (await findAuthoritiesOfState(state))[0]!;
  const { id: _id, state: _state, updatedAt: _updatedAt, sample: _sample, version: _version, ...fields } = authority;
  void [_id, _state, _updatedAt, _sample, _version];
  return updateAuthority(secretariatContext, { id: authority.id }, authority.version, { ...fields, emails: [email] } as unknown as Parameters<typeof updateAuthority>[3]);
}

export interface AtomEntry {
  id: string;
  title: string;
  summary: string;
  updated: string;
  link: string;
}

/** An Atom document read by a real XML parser: it must be well-formed, with a <feed> in the Atom namespace. */
export function parseAtom(xml: string): { title: string; id: string; selfLink?: string; entries: AtomEntry[] } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'entry' || name === 'link', textNodeName: '#text' }).parse(xml) as {
    feed?: { '@xmlns': string; title: string | { '#text': string }; id: string; link: Array<{ '@rel'?: string; '@href': string }>; entry?: Array<Record<string, unknown>> };
  };
  const feed = parsed.feed;
  if (!feed || feed['@xmlns'] !== 'http://www.w3.org/2005/Atom') throw new Error('no Atom <feed>');
  const text = (value: unknown) => (typeof value === 'object' && value !== null ? String((value as Record<string, unknown>)['#text'] ?? '') : String(value ?? ''));
  return {
    title: text(feed.title),
    id: feed.id,
    selfLink: feed.link.find((link) => link['@rel'] === 'self')?.['@href'],
    entries: (feed.entry ?? []).map((entry) => ({
      id: String(entry.id),
      title: text(entry.title),
      summary: text(entry.summary),
      updated: String(entry.updated),
      link: (entry.link as Array<{ '@href': string }>)[0]!['@href'],
    })),
  };
}
