import { Types } from 'mongoose';
import { AUTHORITY_FIELD_NAMES, type AuthorityFields, type DesignationDate, type State } from '../directory/directory.types';
import type { Viewer } from '../shared/viewer';
import { toPlain } from './editing.diff';
import type { AuthorityInput } from './editing.schema';
import type { NewRevision, Snapshot } from './revision.repository';

/** An entry's editable fields as plain data (what a revision keeps), and who is editing. */

/** Who is editing: the viewer decides what is allowed; e-mail and address are recorded with the change. */
export interface EditContext {
  viewer: Viewer;
  /** The user's e-mail, recorded in revisions so the history says who; absent when unknown. */
  email?: string;
  ip?: string;
}


/** The editable fields of an authority as plain data, for a revision. */
export function authoritySnapshot(authority: AuthorityFields): Snapshot {
  return toPlain(Object.fromEntries(AUTHORITY_FIELD_NAMES.map((key) => [key, authority[key]])));
}

/**
 * The dates of the designations an authority holds after a save at `at`: for each one, the date
 * typed, else the date stored, else the day of the save (it was just added); a designation given
 * up loses its row, and the revisions say when.
 */
export function datedDesignations(designations: readonly string[], typed: ReadonlyArray<Partial<DesignationDate>> | undefined, stored: readonly DesignationDate[] | undefined, at: Date): DesignationDate[] {
  const today = at.toISOString().slice(0, 10);
  return designations.map((code) => {
    const given = typed?.find((row) => row.code === code);
    const kept = stored?.find((row) => row.code === code);
    const notified = given ? given.notified : kept?.notified;
    return { code, since: given?.since || kept?.since || today, ...(notified ? { notified } : {}) };
  });
}

/** The stored fields of an authority saved from `input` at `at` over `before` (absent for a new one). */
export function authorityFields(input: AuthorityInput, state: string, before: Pick<AuthorityFields, 'designationDates'> | undefined, at: Date): AuthorityFields {
  const fields = Object.fromEntries(AUTHORITY_FIELD_NAMES.map((key) => [key, input[key]])) as Omit<AuthorityFields, 'address'>;
  const designationDates = datedDesignations(input.designations, input.designationDates, before?.designationDates, at);
  return { ...fields, designationDates, address: { ...input.address, country: state } };
}

export function fieldsFromSnapshot(snapshot: Snapshot, state: string): AuthorityFields {
  const fields = Object.fromEntries(AUTHORITY_FIELD_NAMES.map((key) => [key, snapshot[key] ?? undefined])) as unknown as AuthorityFields;
  return { ...fields, address: { ...(fields.address ?? { lines: [], city: '' }), country: state } };
}

/** The State's editable fields as plain data: what a State revision keeps before and after. */
export function stateSnapshot(state: Pick<State, 'access' | 'optional'>, keys: ReadonlyArray<'access' | 'optional'>): Snapshot {
  return toPlain(Object.fromEntries(keys.map((key) => [key, state[key]])));
}

export function actorOf(context: EditContext): NewRevision['actor'] {
  if (context.viewer.kind === 'anonymous') throw new Error('an anonymous viewer cannot be recorded as an editor');
  return { id: context.viewer.id, role: context.viewer.role, ...(context.email ? { email: context.email } : {}) };
}

export function newObjectId(): string {
  return new Types.ObjectId().toHexString();
}
