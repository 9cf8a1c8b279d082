import { recordAuditEvent } from '../audit/audit.service';
import { NotFoundError } from '../shared/errors';
import type { Role } from '../shared/viewer';
import { bumpSessionEpoch, disableSampleUsers, findUserByEmail, findUserById, insertUser, listUsers as findUsers, updateUserAccess, type NewUser } from './accounts.repository';
import { assertNotSelfLockout, assertSecretariat } from './accounts.policy';
import type { RequestContext } from './accounts.service';
import type { AccountUser, UserStatus } from './accounts.types';
import { assertKnownStates } from './access-requests.service';

export interface UserAccessChange {
  role: Role;
  states: string[];
  status: UserStatus;
}

/** Every user, optionally of one role, sorted by name. */
export async function listUsers(actor: AccountUser | undefined, filter: { role?: Role } = {}): Promise<AccountUser[]> {
  assertSecretariat(actor);
  const users = await findUsers(filter);
  const collator = new Intl.Collator('en', { sensitivity: 'base' });
  return users.sort((a, b) => collator.compare(a.name, b.name) || a.email.localeCompare(b.email));
}

export async function getUser(actor: AccountUser | undefined, id: string): Promise<AccountUser> {
  assertSecretariat(actor);
  const user = await findUserById(id);
  if (!user) throw new NotFoundError('No such user');
  return user;
}

/**
 * Changes a user's role, States and status. Only a focal point keeps States. A change of role or
 * a deactivation ends the user's sessions: a new role may need a second factor at sign-in, and a
 * deactivated user must be out at once (their API tokens stop working too).
 */
export async function changeUserAccess(actor: AccountUser | undefined, id: string, change: UserAccessChange, context: RequestContext = {}): Promise<AccountUser> {
  assertSecretariat(actor);
  const now = context.now ?? new Date();
  const target = await getUser(actor, id);
  assertNotSelfLockout(actor, target, change);
  const states = change.role === 'focal-point' ? [...new Set(change.states)].sort() : [];
  if (states.length > 0) await assertKnownStates(states, 'states');
  const before = { role: target.role, states: [...target.states].sort(), status: target.status };
  const after = { role: change.role, states, status: change.status };
  if (JSON.stringify(before) === JSON.stringify(after)) return target;
  await updateUserAccess(id, after);
  if (before.role !== after.role || after.status === 'disabled') await bumpSessionEpoch(id);
  await recordAuditEvent({ type: 'role-changed', actorId: actor.id, actorEmail: actor.email, subject: id, ip: context.ip, details: { email: target.email, before, after } }, now);
  return { ...target, ...after };
}

/** Active focal points with their States and language: whom the secretariat's reminders go to (a job, so no actor). */
export async function listActiveFocalPoints(): Promise<Array<Pick<AccountUser, 'id' | 'email' | 'name' | 'language' | 'states'>>> {
  const users = await findUsers({ role: 'focal-point' });
  return users.filter((user) => user.status === 'active').map(({ id, email, name, language, states }) => ({ id, email, name, language, states }));
}

/** Active secretariat members with their language: who hears of what readers report (a stranger's post, so no actor). */
export async function listActiveSecretariat(): Promise<Array<Pick<AccountUser, 'id' | 'email' | 'name' | 'language'>>> {
  const users = await findUsers({ role: 'secretariat' });
  return users.filter((user) => user.status === 'active').map(({ id, email, name, language }) => ({ id, email, name, language }));
}

/** Whether an account, active or not, has this e-mail address. */
export async function accountExists(email: string): Promise<boolean> {
  return Boolean(await findUserByEmail(email));
}

/** Adds a demonstration account (sample mode), marked as sample so that leaving sample mode disables it. */
export async function createDemoAccount(account: Omit<NewUser, 'sample'>): Promise<void> {
  await insertUser({ ...account, sample: true });
}

/** Disables the demonstration accounts of an earlier sample-mode start; returns how many were active. */
export async function disableDemoAccounts(): Promise<number> {
  return disableSampleUsers();
}
