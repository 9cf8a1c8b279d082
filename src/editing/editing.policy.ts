import { ForbiddenError, UnauthorizedError } from '../shared/errors';
import type { Viewer } from '../shared/viewer';

/**
 * Decision 3/1 (k): each State's focal points keep its entries current. The secretariat may act
 * for any State; a focal point only for the States they are focal point of; nobody else edits.
 */
export function canEditState(viewer: Viewer, stateCode: string): boolean {
  if (viewer.kind === 'anonymous') return false;
  if (viewer.role === 'secretariat') return true;
  return viewer.role === 'focal-point' && viewer.states.includes(stateCode);
}

/** Throws unless the viewer may edit the State: 401 for anonymous, 403 for anyone else refused. */
export function assertCanEditState(viewer: Viewer, stateCode: string): void {
  if (viewer.kind === 'anonymous') throw new UnauthorizedError('Sign in to edit a State’s entries.');
  if (!canEditState(viewer, stateCode)) throw new ForbiddenError(`You may not edit the entries of ${stateCode}.`);
}
