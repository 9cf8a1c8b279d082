import { listDesignationTypes } from '../directory/directory.service';
import type { Authority, State } from '../directory/directory.types';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { changedBy, conflictSince, whoAndWhen } from './editing.conflicts';
import { assertCanEditState, canEditState } from './editing.policy';
import { findAuthority, findState } from './editing.repository';
import { settleEntry } from './editing.saves';
import { authoritySnapshot, type EditContext } from './editing.snapshots';
import { findLatestRevision } from './revision.repository';

/** The entries an edit starts from, as stored now and only if the viewer may change them. */

export async function loadState(context: EditContext, code: string, forWrite = false): Promise<State> {
  assertCanEditState(context.viewer, code);
  if (forWrite) await settleEntry('state', code);
  const state = await findState(code);
  if (!state) throw new NotFoundError(`No State or participant with code ${code}`);
  return state;
}

/**
 * An authority the viewer may change: refused (403) when it belongs to a State the viewer does not
 * edit, not found when it is not under the State named in the address. For a write, an authority
 * removed meanwhile is a conflict that says by whom.
 */
export async function loadAuthority(context: EditContext, id: string, underState: string | undefined, forWrite: boolean): Promise<Authority> {
  if (underState) assertCanEditState(context.viewer, underState);
  if (forWrite) await settleEntry('authority', id);
  const authority = await findAuthority(id);
  if (!authority) {
    const last = forWrite ? await findLatestRevision('authority', id) : undefined;
    if (last?.action === 'remove' && canEditState(context.viewer, last.state) && (!underState || underState === last.state)) {
      throw new ConflictError(`This authority was removed${whoAndWhen(last)}. Nothing was saved.`, { changes: [], changedBy: changedBy(last) });
    }
    throw new NotFoundError(`No authority with id ${id}`);
  }
  assertCanEditState(context.viewer, authority.state);
  if (underState && authority.state !== underState) throw new NotFoundError(`No authority with id ${id} in ${underState}`);
  return authority;
}

/** Why a guarded write of an authority matched nothing: changed since `version`, or removed. */
export async function authorityConflict(context: EditContext, id: string, underState: string | undefined, version: number): Promise<ConflictError> {
  const now = await findAuthority(id);
  if (now) return conflictSince('authority', id, version, authoritySnapshot(now), now.version);
  try {
    await loadAuthority(context, id, underState, true);
  } catch (error) {
    if (error instanceof ConflictError) return error;
  }
  return new ConflictError('This authority was removed meanwhile. Nothing was saved.', { changes: [] });
}

export async function assertKnownDesignations(codes: string[]): Promise<void> {
  const known = new Set((await listDesignationTypes()).map((type) => type.code));
  const unknown = codes.find((code) => !known.has(code));
  if (unknown) throw new ValidationError({ designations: `designationUnknown|${unknown}` });
}
