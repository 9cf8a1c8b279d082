import { recordAuditEvent } from '../audit/audit.service';
import { logger } from '../shared/logger';
import { forgetFailures } from './sign-in-throttle';
import { bumpSessionEpoch, findUserByEmail, findUserById, setPasswordHash } from './accounts.repository';
import type { RequestContext } from './accounts.service';
import type { AccountUser } from './accounts.types';
import { link, sendAccountMail, type MailContext } from './account-mail';
import { consumeToken, issueToken, peekToken, revokeUserTokens, type TokenPurpose } from './one-time-tokens';
import { hashPassword } from './password';

export const RESET_LINK_HOURS = 1;
export const SET_PASSWORD_LINK_DAYS = 7;

/** Both kinds of link open the same "choose a password" form. */
export const PASSWORD_PURPOSES: readonly TokenPurpose[] = ['password-reset', 'set-password'];

/**
 * Sends a reset link if an active account has this address; otherwise does nothing, and the caller
 * answers the same either way. The mail goes out in the background so that the time taken does not
 * tell an account apart from none.
 */
export async function requestPasswordReset(email: string, mail: MailContext, context: RequestContext = {}): Promise<void> {
  const now = context.now ?? new Date();
  const user = await findUserByEmail(email);
  if (!user || user.status !== 'active') {
    await recordAuditEvent({ type: 'password-reset-requested', actorEmail: email.slice(0, 254), ip: context.ip, details: { sent: false } }, now);
    return;
  }
  const { token } = await issueToken({ purpose: 'password-reset', email: user.email, userId: user.id, ttlMs: RESET_LINK_HOURS * 3600_000, now });
  await recordAuditEvent({ type: 'password-reset-requested', actorEmail: user.email, subject: user.id, ip: context.ip, details: { sent: true } }, now);
  sendAccountMail(mail, 'passwordReset', user.email, user.language, { name: user.name, link: link(mail, `/password/reset/${token}`), count: RESET_LINK_HOURS }).catch((error: unknown) =>
    logger.error({ err: error, userId: user.id }, 'password reset mail not sent'),
  );
}

/** Sends the first "choose your password" link of a new account (valid SET_PASSWORD_LINK_DAYS days). */
export async function sendSetPasswordLink(user: Pick<AccountUser, 'id' | 'email' | 'name' | 'language'>, mail: MailContext, now = new Date()): Promise<void> {
  const { token } = await issueToken({ purpose: 'set-password', email: user.email, userId: user.id, ttlMs: SET_PASSWORD_LINK_DAYS * 24 * 3600_000, now });
  await sendAccountMail(mail, 'setPassword', user.email, user.language, { name: user.name, link: link(mail, `/password/reset/${token}`), count: SET_PASSWORD_LINK_DAYS });
}

/** Whom a reset link is for while it can still be used, for its form; undefined when it cannot. */
export async function passwordLinkFor(token: string, now = new Date()): Promise<{ purpose: TokenPurpose; email: string } | undefined> {
  const record = await peekToken(token, PASSWORD_PURPOSES, now);
  if (!record?.userId) return undefined;
  const user = await findUserById(record.userId);
  if (!user || user.status !== 'active') return undefined;
  return { purpose: record.purpose, email: user.email };
}

/**
 * Sets a new password through a link: uses the token (once), sets the password, voids the user's
 * other links and ends every session, since whoever held the old password may hold one of them.
 * Returns false when the link is expired, used or unknown.
 */
export async function resetPassword(token: string, password: string, context: RequestContext = {}): Promise<boolean> {
  const now = context.now ?? new Date();
  const passwordHash = await hashPassword(password);
  const record = await consumeToken(token, PASSWORD_PURPOSES, now);
  const user = record?.userId ? await findUserById(record.userId) : undefined;
  if (!record || !user || user.status !== 'active') return false;
  await setPasswordHash(user.id, passwordHash);
  await forgetFailures(user.email);
  await revokeUserTokens(user.id, PASSWORD_PURPOSES, now);
  await bumpSessionEpoch(user.id);
  await recordAuditEvent({ type: 'password-reset', actorId: user.id, actorEmail: user.email, subject: user.id, ip: context.ip, details: { via: record.purpose } }, now);
  return true;
}
