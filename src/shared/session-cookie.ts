import type { Request } from 'express';

/** The name of the session cookie (accounts/session.ts sets it). */
export const SESSION_COOKIE = 'cad.sid';

/** True when the request carries a session cookie, valid or not: its answer may be someone's own. */
export function hasSessionCookie(req: Request): boolean {
  return (req.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`);
}
