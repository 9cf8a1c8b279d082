import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a 'still accurate' link works after its reminder is queued. */
export const CONFIRM_LINK_DAYS = 30;

const TOKEN_SHAPE = /^([a-f0-9]{24})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

function signature(secret: string, deliveryId: string, expires: number): string {
  return createHmac('sha256', secret).update(`still-accurate:${deliveryId}:${expires}`).digest('base64url');
}

/**
 * A signed link value for one delivery: the delivery id, the expiry (seconds) and an HMAC over both.
 * It is the same for every attempt at the same delivery, so a retried message carries the same link;
 * single use is enforced on the delivery (`linkUsedAt`), not by the token.
 */
export function signConfirmationToken(secret: string, deliveryId: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${deliveryId}.${expires}.${signature(secret, deliveryId, expires)}`;
}

export function confirmationExpiry(queuedAt: Date): Date {
  return new Date(queuedAt.getTime() + CONFIRM_LINK_DAYS * 24 * 60 * 60 * 1000);
}

export type TokenCheck = { ok: true; deliveryId: string; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired' };

/** Checks a link value's signature, then its expiry; never says more than invalid or expired. */
export function verifyConfirmationToken(secret: string, token: string, now: Date): TokenCheck {
  const match = TOKEN_SHAPE.exec(token);
  if (!match) return { ok: false, reason: 'invalid' };
  const [, deliveryId, expiresText, given] = match as unknown as [string, string, string, string];
  const expected = Buffer.from(signature(secret, deliveryId, Number(expiresText)));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(Number(expiresText) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, deliveryId, expiresAt };
}
