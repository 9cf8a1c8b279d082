import { ForbiddenError, ValidationError } from '../shared/errors';
import type { Role } from '../shared/viewer';
import { ROLES_REQUIRING_TOTP, type AccountUser, type UserStatus } from './accounts.types';

/** Managing users, access requests, invitations and the audit log is the secretariat's alone. */
export function assertSecretariat(actor: Pick<AccountUser, 'role' | 'status'> | undefined): asserts actor is AccountUser {
  if (!actor || actor.role !== 'secretariat' || actor.status !== 'active') throw new ForbiddenError('Only the secretariat may manage accounts.');
}

/**
 * A secretariat member may not demote or deactivate themselves: the Directory must never be left
 * without someone who can manage it, and a slip of the mouse must not lock them out.
 */
export function assertNotSelfLockout(actor: Pick<AccountUser, 'id'>, target: Pick<AccountUser, 'id'>, change: { role: Role; status: UserStatus }): void {
  if (actor.id !== target.id) return;
  if (change.status !== 'active') throw new ValidationError({ status: 'errors.selfDeactivate' });
  if (change.role !== 'secretariat') throw new ValidationError({ role: 'errors.selfDemote' });
}

/**
 * A personal API token acts for its user, never beyond what their session could: the account must
 * be active, and a role that signs in with a second factor must have one set up.
 */
export function tokenMayAct(user: Pick<AccountUser, 'status' | 'role' | 'totpEnabled'>): boolean {
  if (user.status !== 'active') return false;
  return !ROLES_REQUIRING_TOTP.includes(user.role) || user.totpEnabled;
}
