import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Signed one-click links of the digests. They need no sign-in and do not expire, since a digest
 * read months later must still let its reader act on it: the value is what it names and an HMAC
 * of that under a purpose of its own, so a value made for one purpose is refused by the other.
 */

const USER = '[a-f0-9]{24}';
const SIGNATURE = '[A-Za-z0-9_-]{43}';
const UNSUBSCRIBE_SHAPE = new RegExp(`^(${USER})\\.(${SIGNATURE})$`);
const UNFOLLOW_SHAPE = new RegExp(`^(${USER})\\.([A-Z]{3})\\.(${SIGNATURE})$`);

function signature(secret: string, purpose: string, parts: readonly string[]): string {
  return createHmac('sha256', secret).update(`${purpose}:${parts.join(':')}`).digest('base64url');
}

/** Whether `given` is the signature of `parts` for `purpose`, compared in constant time. */
function signedBy(secret: string, purpose: string, parts: readonly string[], given: string): boolean {
  const expected = Buffer.from(signature(secret, purpose, parts));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The one-click unsubscribe value of a user's digests: the user's id and an HMAC of it. */
export function signUnsubscribeToken(secret: string, userId: string): string {
  return `${userId}.${signature(secret, 'unsubscribe-digest', [userId])}`;
}

/** The user an unsubscribe value was made for, or undefined when it was not made with this secret. */
export function verifyUnsubscribeToken(secret: string, token: string): string | undefined {
  const [, userId, given] = UNSUBSCRIBE_SHAPE.exec(token) ?? [];
  return userId && given && signedBy(secret, 'unsubscribe-digest', [userId], given) ? userId : undefined;
}

/** The one-click value that stops a user following one State (a digest gives one per State it lists): the user, the State, an HMAC of both. */
export function signUnfollowToken(secret: string, userId: string, state: string): string {
  return `${userId}.${state}.${signature(secret, 'unfollow-state', [userId, state])}`;
}

/** The user and State an unfollow value was made for, or undefined when it was not made with this secret. */
export function verifyUnfollowToken(secret: string, token: string): { userId: string; state: string } | undefined {
  const [, userId, state, given] = UNFOLLOW_SHAPE.exec(token) ?? [];
  return userId && state && given && signedBy(secret, 'unfollow-state', [userId, state], given) ? { userId, state } : undefined;
}
