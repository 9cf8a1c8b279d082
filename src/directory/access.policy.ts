import type { Viewer } from '../shared/viewer';
import type { State } from './directory.types';

/**
 * Decision 3/2 (g)(v): each State decides whether its details are public or for authorized users.
 * Authorized users are approved practitioners, the secretariat, and the State's own focal points.
 */
export function canSeeDetails(viewer: Viewer, state: Pick<State, 'code' | 'access'>): boolean {
  if (state.access === 'public') return true;
  if (viewer.kind === 'anonymous') return false;
  if (viewer.role === 'practitioner' || viewer.role === 'secretariat') return true;
  return viewer.states.includes(state.code);
}
