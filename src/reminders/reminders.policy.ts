import type { AccountUser } from '../accounts/accounts.types';
import { ForbiddenError } from '../shared/errors';
import type { Viewer } from '../shared/viewer';
import type { Delivery } from './reminders.types';

/** Defining, sending and tracking reminders is the secretariat's alone. */
export function assertManagesReminders(actor: Pick<AccountUser, 'role' | 'status'> | undefined): asserts actor is AccountUser {
  if (!actor || actor.role !== 'secretariat' || actor.status !== 'active') throw new ForbiddenError('Only the secretariat may manage reminders.');
}

/**
 * Whom a 'still accurate' link acts as: the recipient, as focal point of the one State the reminder
 * was about and of no other, so a link can never confirm (or reveal) another State's entry.
 */
export function linkViewer(delivery: Pick<Delivery, 'id' | 'userId' | 'state'>): Viewer {
  return { kind: 'user', id: delivery.userId ?? `reminder:${delivery.id}`, role: 'focal-point', states: [delivery.state] };
}

/** A link confirms only the State of its own delivery. */
export function assertLinkCoversState(delivery: Pick<Delivery, 'state'>, stateCode: string): void {
  if (delivery.state !== stateCode) throw new ForbiddenError('This link is about another State.');
}
