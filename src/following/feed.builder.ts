import { Feed } from 'feed';
import { escapeHtml, type ChangeInWords } from './following.changes';

/** At most this many changes in a feed: the latest ones. */
export const FEED_ENTRIES = 50;

export interface FeedInput {
  /** The feed's own absolute address (its id and rel=self). */
  selfUrl: string;
  /** The page the feed is about (rel=alternate). */
  pageUrl: string;
  title: string;
  subtitle: string;
  lang: string;
  generator: string;
  /** The feed's author (Atom wants one): the Directory. */
  author: { name: string; link: string };
  /** Where each entry leads: the State's page. */
  linkOf: (change: ChangeInWords) => string;
  /** How the changed fields are introduced in an entry ("Fields changed: ..."), or the note of a change without details. */
  summaryOf: (change: ChangeInWords) => string;
  /** Entry ids: a tag URI of the Directory's host, stable for ever. */
  host: string;
  changes: ChangeInWords[];
}

/**
 * An Atom 1.0 document of changes, newest first. `updated` is the latest change's time (the epoch
 * when there is none), never the clock: the same changes give the same bytes, hence the same ETag
 * on every instance.
 */
export function buildAtomFeed(input: FeedInput): string {
  const updated = input.changes[0]?.at ?? new Date(0);
  const feed = new Feed({
    id: input.selfUrl,
    title: input.title,
    description: input.subtitle,
    link: input.pageUrl,
    language: input.lang,
    updated,
    generator: input.generator,
    author: input.author,
    copyright: '',
    feedLinks: { atom: input.selfUrl },
  });
  for (const change of input.changes.slice(0, FEED_ENTRIES)) {
    feed.addItem({
      id: `tag:${input.host},2024:revision:${change.id}`,
      title: escapeHtml(change.title),
      link: input.linkOf(change),
      date: change.at,
      description: escapeHtml(input.summaryOf(change)),
    });
  }
  return feed.atom1();
}
