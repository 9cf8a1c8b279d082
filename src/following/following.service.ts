import type { TFunction } from 'i18next';
import { activeAccount, viewerOf } from '../accounts/accounts.service';
import type { AccountUser } from '../accounts/accounts.types';
import { canSeeDetails } from '../directory/access.policy';
import { getStateSummary, listStates, type StateSummary } from '../directory/directory.service';
import { recentChanges, type Revision } from '../editing/editing.service';
import { takeClaim } from '../shared/database/once';
import { createI18n } from '../shared/i18n';
import { logger } from '../shared/logger';
import type { Mailer } from '../shared/mail';
import type { UnLanguage } from '../shared/vocabulary';
import { ANONYMOUS, type Viewer } from '../shared/viewer';
import { composeDigest, type DigestState } from './digest-mail';
import { buildAtomFeed, FEED_ENTRIES } from './feed.builder';
import { changeInWords, mayDetail, type ChangeInWords } from './following.changes';
import { deleteFollow, deleteFollowsOf, findDigestHour, findDigestMark, findFollowers, findFollowsOf, followExists, insertFollow, saveDigestHour, saveDigestMark } from './following.repository';
import { signUnfollowToken, signUnsubscribeToken, verifyUnfollowToken, verifyUnsubscribeToken } from './unsubscribe-link';
import { absoluteUrl as absoluteUrlOf } from '../shared/public-url';

/** What feeds and digests need to write absolute links, and, for digests, to send and sign. */
export interface FollowingLinks {
  publicUrl: string;
}
export interface DigestDependencies extends FollowingLinks {
  mailer: Mailer;
  /** Signs the one-click unsubscribe links (the app's COOKIE_SECRET). */
  secret: string;
}

/** A digest names at most this many changes per State; the State's page has the rest. */
const DIGEST_CHANGES_PER_STATE = 20;
/** How long a digest's claim holds: far longer than writing and sending one message. */
const DIGEST_LEASE_MS = 10 * 60_000;

export const absoluteUrl = (links: FollowingLinks, path: string) => absoluteUrlOf(links.publicUrl, path);

/** Each change in words for this viewer: in full where they may see it, otherwise only that the State's entry changed. */
async function changesFor(viewer: Viewer, revisions: Revision[], openedAt: Map<string, Date>, lang: UnLanguage, t: TFunction): Promise<ChangeInWords[]> {
  const states = new Map((await listStates({}, lang)).map((state) => [state.code, state]));
  return revisions.flatMap((revision) => {
    const state = states.get(revision.state);
    if (!state) return [];
    const access = { seesRestricted: canSeeDetails(viewer, { code: state.code, access: 'restricted' }), isPublic: state.access === 'public', openedAt: openedAt.get(state.code) };
    return [changeInWords(revision, state.name, mayDetail(revision, access), t)];
  });
}

/**
 * The Atom feed of one State's changes, or of the whole Directory's, as an anonymous reader may
 * know them (whoever asks: a feed is public), in the reader's language; the latest FEED_ENTRIES.
 */
export async function publicFeed(links: FollowingLinks, options: { state?: string; lang: UnLanguage; t: TFunction }): Promise<string> {
  const { lang, t } = options;
  const state = options.state ? await getStateSummary(options.state, lang) : undefined;
  const { revisions, openedAt } = await recentChanges({ ...(state ? { states: [state.code] } : {}), limit: FEED_ENTRIES });
  const changes = await changesFor(ANONYMOUS, revisions, openedAt, lang, t);
  const feedPath = state ? `/states/${state.code}/feed.atom` : '/feed.atom';
  return buildAtomFeed({
    selfUrl: absoluteUrl(links, feedPath),
    pageUrl: absoluteUrl(links, state ? `/states/${state.code}` : '/'),
    title: state ? t('following:feed.stateTitle', { state: state.name }) : t('following:feed.directoryTitle'),
    subtitle: t('following:feed.subtitle'),
    lang,
    generator: t('site.name'),
    author: { name: t('site.name'), link: absoluteUrl(links, '/') },
    host: new URL(links.publicUrl).hostname || 'directory.invalid',
    linkOf: (change) => absoluteUrl(links, `/states/${change.state}`),
    summaryOf: (change) => summaryOf(change, lang, t),
    changes,
  });
}

/** The line under a change's title: the fields that changed, or why there is nothing more. */
export function summaryOf(change: ChangeInWords, lang: UnLanguage, t: TFunction): string {
  if (!change.detailed) return t('following:change.noDetails');
  if (change.fields.length === 0) return t('following:change.noFields');
  return t('following:change.fields', { fields: new Intl.ListFormat(lang, { type: 'conjunction' }).format(change.fields) });
}

/** Follows a State (any signed-in role may); following it again changes nothing. */
export async function followState(user: Pick<AccountUser, 'id'>, code: string, now = new Date()): Promise<void> {
  const state = await getStateSummary(code, 'en');
  await insertFollow({ user: user.id, state: state.code, since: now });
}

export async function unfollowState(user: Pick<AccountUser, 'id'>, code: string): Promise<void> {
  const state = await getStateSummary(code, 'en');
  await deleteFollow(user.id, state.code);
}

export async function isFollowing(user: Pick<AccountUser, 'id'>, code: string): Promise<boolean> {
  return followExists(user.id, code.toUpperCase());
}

/** The States a user follows, with their names in the reader's language, for the account page. */
export async function followedStates(user: Pick<AccountUser, 'id'>, lang: UnLanguage): Promise<Array<{ code: string; name: string }>> {
  const follows = await findFollowsOf(user.id);
  const names = new Map((await listStates({}, lang)).map((state) => [state.code, state.name]));
  return follows.map((follow) => ({ code: follow.state, name: names.get(follow.state) ?? follow.state }));
}

/** Whether an unsubscribe link is one this Directory made (the page asks before unsubscribing, so a link scanner changes nothing). */
export function checkUnsubscribeLink(secret: string, token: string): boolean {
  return verifyUnsubscribeToken(secret, token) !== undefined;
}

/** Stops a user's digests from their signed link: they follow no State any more. False for a link this Directory did not make. */
export async function unsubscribeByLink(secret: string, token: string): Promise<boolean> {
  const userId = verifyUnsubscribeToken(secret, token);
  if (!userId) return false;
  const removed = await deleteFollowsOf(userId);
  logger.info({ user: userId, removed }, 'digest unsubscribed by link');
  return true;
}

/** The State a signed stop-following link is for, with its name in the reader's language; undefined for a link this Directory did not make. */
export async function checkUnfollowLink(secret: string, token: string, lang: UnLanguage): Promise<{ code: string; name: string } | undefined> {
  const found = verifyUnfollowToken(secret, token);
  return found && stateNamed(found.state, lang);
}

async function stateNamed(code: string, lang: UnLanguage): Promise<{ code: string; name: string }> {
  const name = await getStateSummary(code, lang).then(
    (state) => state.name,
    // A State gone from the directory since the digest went out is still named by its code
    () => code,
  );
  return { code, name };
}

/**
 * Stops a user following one State from the signed link of a digest; the others stay followed.
 * The State, named in the reader's language; undefined for a link this Directory did not make.
 */
export async function unfollowByLink(secret: string, token: string, lang: UnLanguage): Promise<{ code: string; name: string } | undefined> {
  const found = verifyUnfollowToken(secret, token);
  if (!found) return undefined;
  await unfollowState({ id: found.userId }, found.state);
  logger.info({ user: found.userId, state: found.state }, 'State unfollowed by link');
  return stateNamed(found.state, lang);
}

/** The hour (UTC) the user chose for their daily digest, if any. */
export async function digestHourOf(user: Pick<AccountUser, 'id'>): Promise<number | undefined> {
  return findDigestHour(user.id);
}

/** Sets the hour (UTC, 0-23) from which the user's digest of the day may go out; undefined goes back to the day's first run. */
export async function chooseDigestHour(user: Pick<AccountUser, 'id'>, hour: number | undefined): Promise<void> {
  await saveDigestHour(user.id, hour);
}

let translations: ReturnType<typeof createI18n> | undefined;
/** The interface's words in one language, outside any request: a digest goes out in its reader's language. */
function translator(lang: UnLanguage): TFunction {
  translations ??= createI18n();
  return translations.getFixedT(lang);
}

/** The UTC day of a moment (YYYY-MM-DD): a user gets one digest a day at most. */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

export type DigestOutcome = 'sent' | 'nothing-new' | 'already-done' | 'held-elsewhere' | 'not-yet';

/**
 * The day's digest of one user: the changes to the States they follow since their last digest (or
 * since they followed), as they may see them, in their language. Claimed first (`digest:<user>:<day>`),
 * so of several instances one writes it; the mark written after sending says the day is done. A
 * crash between the SMTP server's 250 and the mark resends once after the claim expires, with the
 * same Message-ID, as reminders do.
 */
export async function sendDigest(deps: DigestDependencies, userId: string, now = new Date()): Promise<DigestOutcome> {
  const day = dayOf(now);
  if ((await findDigestMark(userId))?.day === day) return 'already-done';
  const hour = await findDigestHour(userId);
  if (hour !== undefined && now.getUTCHours() < hour) return 'not-yet';
  const claim = await takeClaim(`digest:${userId}:${day}`, { at: now, ttlMs: DIGEST_LEASE_MS, what: "a followers' digest" });
  if (!claim) return 'held-elsewhere';
  // Read again once claimed: another instance may have finished the day meanwhile
  const mark = await findDigestMark(userId);
  if (mark?.day === day) return 'already-done';
  const user = await activeAccount(userId);
  const follows = user ? await findFollowsOf(userId) : [];
  const sinceOf = new Map(follows.map((follow) => [follow.state, mark && mark.through > follow.since ? mark.through : follow.since]));
  const earliest = Math.min(...[...sinceOf.values()].map((since) => since.getTime()));
  const { revisions, openedAt } = follows.length
    ? await recentChanges({ states: [...sinceOf.keys()], after: new Date(earliest), limit: DIGEST_CHANGES_PER_STATE * follows.length })
    : { revisions: [], openedAt: new Map<string, Date>() };
  const news = revisions.filter((revision) => revision.at > (sinceOf.get(revision.state) ?? now) && revision.at <= now);
  // Sent through the latest change it names, not through the clock: a change recorded meanwhile waits for the next digest
  const through = news.length ? new Date(Math.max(...news.map((revision) => revision.at.getTime()))) : (mark?.through ?? new Date(0));
  if (!user || news.length === 0) {
    await saveDigestMark({ user: userId, through, day });
    return 'nothing-new';
  }
  const lang = user.language;
  const t = translator(lang);
  const changes = await changesFor(viewerOf(user), news, openedAt, lang, t);
  const states: DigestState[] = [];
  for (const follow of follows) {
    const ofState = changes.filter((change) => change.state === follow.state).slice(0, DIGEST_CHANGES_PER_STATE);
    if (ofState.length) {
      const unfollowUrl = absoluteUrl(deps, `/unfollow/${signUnfollowToken(deps.secret, userId, follow.state)}`);
      states.push({ code: follow.state, name: (await getStateSummary(follow.state, lang)).name, changes: ofState, unfollowUrl });
    }
  }
  const unsubscribeUrl = absoluteUrl(deps, `/unsubscribe/${signUnsubscribeToken(deps.secret, userId)}`);
  const mail = composeDigest(deps, { to: user.email, name: user.name, lang, t, day: now, states, unsubscribeUrl, summaryOf: (change) => summaryOf(change, lang, t) });
  const messageId = `<digest-${userId}-${day}@${new URL(deps.publicUrl).hostname || 'directory.invalid'}>`;
  await deps.mailer.send({ ...mail, messageId });
  await saveDigestMark({ user: userId, through, day, sentAt: now, messageId });
  return 'sent';
}

/** The digest run: every follower's digest of the day, one after the other; a failure is logged and tried again at the next run. */
export async function runDigests(deps: DigestDependencies, now = new Date()): Promise<Record<DigestOutcome | 'failed', number>> {
  const outcome: Record<DigestOutcome | 'failed', number> = { sent: 0, 'nothing-new': 0, 'already-done': 0, 'held-elsewhere': 0, 'not-yet': 0, failed: 0 };
  for (const userId of await findFollowers()) {
    try {
      outcome[await sendDigest(deps, userId, now)] += 1;
    } catch (error) {
      outcome.failed += 1;
      logger.warn({ err: error, user: userId }, 'digest not sent; the next run tries again');
    }
  }
  return outcome;
}
