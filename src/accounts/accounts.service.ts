import { recordAuditEvent } from '../audit/audit.service';
import { TooManyRequestsError, UnauthorizedError, ValidationError } from '../shared/errors';
import type { Viewer } from '../shared/viewer';
import {
  bumpSessionEpoch,
  claimTotpStep,
  consumeRecoveryCode,
  findCredentials,
  findTotpState,
  findUserById,
  recordSignIn,
  saveTotp,
} from './accounts.repository';
import { ROLES_REQUIRING_TOTP, type AccountUser } from './accounts.types';
import { verifyPassword } from './password';
import { attemptSucceeded, beginAttempt } from './sign-in-throttle';
import { currentTotpStep, hashRecoveryCode, isRecoveryCodeShape, matchTotp, newRecoveryCodes, newTotpSecret, totpEnrolment, type TotpEnrolment } from './totp';

export const TOTP_ISSUER = 'Central Authorities Directory';

export interface RequestContext {
  ip?: string;
  now?: Date;
}

export type PasswordOutcome =
  /** Password right; a TOTP code (or recovery code) comes next. */
  | { next: 'second-factor'; user: AccountUser }
  /** Password right; the role needs TOTP and the user has none yet: enrol before signing in. */
  | { next: 'enrol'; user: AccountUser }
  /** Password right and no second factor needed (a practitioner without TOTP). */
  | { next: 'signed-in'; user: AccountUser };

/**
 * First sign-in step. Refuses with one message for a wrong e-mail or password, and slows repeated
 * failures from one client on one account with a growing delay, known account or not, so neither
 * the answers nor their timing tell whether an account exists, and nobody can lock the owner out
 * from elsewhere (sign-in-throttle.ts).
 */
export async function checkPassword(email: string, password: string, context: RequestContext = {}): Promise<PasswordOutcome> {
  const now = context.now ?? new Date();
  const ticket = await beginAttempt(email, context.ip ?? 'unknown', now);
  const credentials = await findCredentials(email);
  if (!ticket.allowed) {
    const { user } = credentials ?? {};
    await recordAuditEvent({ type: 'sign-in-locked', actorId: user?.id, actorEmail: user?.email ?? email.slice(0, 254), subject: user?.id, ip: context.ip, details: { failures: ticket.failures } }, now);
    const minutes = Math.ceil(ticket.retryAfterSeconds / 60);
    throw new TooManyRequestsError(`Too many failed attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, or reset your password.`, ticket.retryAfterSeconds);
  }
  const passwordOk = await verifyPassword(credentials?.passwordHash, password);
  if (!credentials || credentials.user.status !== 'active') {
    await recordAuditEvent({ type: 'sign-in-failed', actorEmail: email.slice(0, 254), ip: context.ip, details: { reason: credentials ? 'disabled' : 'unknown-email' } }, now);
    throw new UnauthorizedError('The e-mail address or password is not right.', 'invalid_credentials');
  }
  const { user } = credentials;
  if (!passwordOk) {
    await recordAuditEvent({ type: 'sign-in-failed', actorId: user.id, actorEmail: user.email, subject: user.id, ip: context.ip }, now);
    throw new UnauthorizedError('The e-mail address or password is not right.', 'invalid_credentials');
  }
  await attemptSucceeded(ticket);
  if (user.totpEnabled) return { next: 'second-factor', user };
  if (ROLES_REQUIRING_TOTP.includes(user.role)) return { next: 'enrol', user };
  return { next: 'signed-in', user };
}

/** Second sign-in step: a current TOTP code (each usable once) or an unused recovery code. */
export async function checkSecondFactor(userId: string, code: string, context: RequestContext = {}): Promise<AccountUser> {
  const now = context.now ?? new Date();
  const user = await findUserById(userId);
  const totp = await findTotpState(userId);
  if (!user || !totp?.secret || user.status !== 'active') throw new UnauthorizedError('Sign in again.', 'sign_in_expired');
  const typed = code.replace(/\s+/g, '');
  if (isRecoveryCodeShape(typed)) {
    if (await consumeRecoveryCode(userId, hashRecoveryCode(typed))) {
      await recordAuditEvent({ type: 'recovery-code-used', actorId: user.id, actorEmail: user.email, subject: user.id, ip: context.ip, details: { left: user.recoveryCodesLeft - 1 } }, now);
      return user;
    }
  } else {
    const step = await matchTotp(totp.secret, typed, now);
    if (step !== undefined && (await claimTotpStep(userId, step))) return user;
  }
  await recordAuditEvent({ type: 'second-factor-failed', actorId: user.id, actorEmail: user.email, subject: user.id, ip: context.ip }, now);
  throw new UnauthorizedError('That code is not right, or has already been used. Enter the current code from your authenticator app.', 'invalid_code');
}

/** A new secret and its QR code for the authenticator app; nothing is stored until confirmed. */
export async function beginTotpEnrolment(user: AccountUser): Promise<TotpEnrolment> {
  return totpEnrolment(newTotpSecret(), TOTP_ISSUER, user.email);
}

/** Stores the secret once the user proves their app produces its codes; returns recovery codes, shown once. */
export async function completeTotpEnrolment(userId: string, secret: string, code: string, context: RequestContext = {}): Promise<string[]> {
  const now = context.now ?? new Date();
  const step = await matchTotp(secret, code.replace(/\s+/g, ''), now);
  if (step === undefined) throw new ValidationError({ code: 'errors.signIn.codeMismatch' });
  const recoveryCodes = newRecoveryCodes();
  await saveTotp(userId, secret, recoveryCodes.map(hashRecoveryCode), Math.max(step, currentTotpStep(now)));
  const user = await findUserById(userId);
  await recordAuditEvent({ type: 'totp-enrolled', actorId: userId, actorEmail: user?.email, subject: userId, ip: context.ip }, now);
  return recoveryCodes;
}

/** Marks a completed sign-in: resets the failure counter, stamps the time, logs it. */
export async function completeSignIn(user: AccountUser, context: RequestContext = {}): Promise<void> {
  const now = context.now ?? new Date();
  await recordSignIn(user.id, now);
  await recordAuditEvent({ type: 'sign-in', actorId: user.id, actorEmail: user.email, subject: user.id, ip: context.ip }, now);
}

/** Ends every session of the user on every device and instance. */
export async function signOutEverywhere(user: AccountUser, context: RequestContext = {}): Promise<void> {
  await bumpSessionEpoch(user.id);
  await recordAuditEvent({ type: 'sign-out-everywhere', actorId: user.id, actorEmail: user.email, subject: user.id, ip: context.ip }, context.now);
}

/** The user a session points at, if that session is still valid (account active, epoch current). */
export async function userForSession(userId: string, epoch: number): Promise<AccountUser | undefined> {
  const user = await findUserById(userId);
  if (!user || user.status !== 'active' || user.sessionEpoch !== epoch) return undefined;
  return user;
}

/** An account that may still receive the Directory's mail (active), or undefined: what a mailing job asks before writing to someone. */
export async function activeAccount(userId: string): Promise<AccountUser | undefined> {
  const user = await findUserById(userId);
  return user?.status === 'active' ? user : undefined;
}

export function viewerOf(user: AccountUser | undefined): Viewer {
  if (!user) return { kind: 'anonymous' };
  return { kind: 'user', id: user.id, role: user.role, states: user.role === 'focal-point' ? user.states : [] };
}
