import { createHmac, timingSafeEqual } from 'node:crypto';

const TOKEN_SHAPE = /^([a-f0-9]{24})\.([A-Za-z0-9_-]{43})$/;

function signature(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(`unsubscribe-digest:${userId}`).digest('base64url');
}

/**
 * The one-click unsubscribe value of a user's digests: the user's id and an HMAC of it. It needs
 * no sign-in and does not expire, since a digest read months later must still let its reader stop them.
 */
export function signUnsubscribeToken(secret: string, userId: string): string {
  return `${userId}.${signature(secret, userId)}`;
}

/** The user an unsubscribe value was made for, or undefined when it was not made with this secret. */
export function verifyUnsubscribeToken(secret: string, token: string): string | undefined {
  const match = TOKEN_SHAPE.exec(token);
  if (!match) return undefined;
  const [, userId, given] = match as unknown as [string, string, string];
  const expected = Buffer.from(signature(secret, userId));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? userId : undefined;
}

const STATE_TOKEN_SHAPE = /^([a-f0-9]{24})\.([A-Z]{3})\.([A-Za-z0-9_-]{43})$/;

function stateSignature(secret: string, userId: string, state: string): string {
  return createHmac('sha256', secret).update(`unfollow-state:${userId}:${state}`).digest('base64url');
}

/** The one-click value that stops a user following one State (a digest gives one per State it lists): the user, the State, an HMAC of both. */
export function signUnfollowToken(secret: string, userId: string, state: string): string {
  return `${userId}.${state}.${stateSignature(secret, userId, state)}`;
}

/** The user and State an unfollow value was made for, or undefined when it was not made with this secret. */
export function verifyUnfollowToken(secret: string, token: string): { userId: string; state: string } | undefined {
  const match = STATE_TOKEN_SHAPE.exec(token);
  if (!match) return undefined;
  const [, userId, state, given] = match as unknown as [string, string, string, string];
  const expected = Buffer.from(stateSignature(secret, userId, state));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? { userId, state } : undefined;
}
