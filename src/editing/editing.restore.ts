import type { AccessLevel, OptionalSection } from '../directory/directory.types';
import { onlyOnce } from '../shared/database/once';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { changedBy, whoAndWhen } from './editing.conflicts';
import { changedPaths } from './editing.diff';
import { authorityConflict, loadState } from './editing.entries';
import { findAuthority, insertAuthority, updateAuthorityAtVersion, type StateEditableFields } from './editing.repository';
import { changeState, planSave, record, settleEntry } from './editing.saves';
import { authoritySnapshot, fieldsFromSnapshot, type EditContext } from './editing.snapshots';
import { findLatestRevision, findRevisionOfState, type Revision } from './revision.repository';

/**
 * Brings back the values an entry had before a change (undoing a removal recreates the authority
 * at its old address). `version` is the entity's version the page showed (undefined: it did not
 * exist), so a restore cannot silently undo a save made since. The restore is itself a revision.
 */
export async function restoreRevision(context: EditContext, code: string, revisionId: string, version: number | undefined): Promise<Revision> {
  await loadState(context, code);
  const revision = await findRevisionOfState(code, revisionId);
  if (!revision) throw new NotFoundError(`No revision ${revisionId} for ${code}`);
  const before = revision.before;
  if (!before || revision.action === 'confirm') throw new ValidationError({ _form: 'nothingToRestore' });
  const at = new Date();

  if (revision.entity === 'state') {
    const current = await loadState(context, code, true);
    const fields: StateEditableFields = {};
    if ('access' in before) fields.access = before.access as AccessLevel;
    if ('optional' in before) fields.optional = before.optional as OptionalSection;
    if (version === undefined) throw new ValidationError({ version: 'required' });
    return (await changeState(context, current, version, fields, revision.id)).revision;
  }

  await settleEntry('authority', revision.entityId);
  const current = await findAuthority(revision.entityId);
  if (current && current.state !== code) throw new NotFoundError(`No authority with id ${revision.entityId} in ${code}`);
  const fields = fieldsFromSnapshot(before, code);
  if (current) {
    if (version === undefined) {
      throw new ConflictError('This authority was restored by someone else meanwhile. Nothing was changed: look at the history again.', { currentVersion: current.version, changes: [] });
    }
    const previous = authoritySnapshot(current);
    const planned = planSave(context, { entity: 'authority', entityId: current.id, state: code, action: 'restore', before: previous, version: version + 1, restoredFrom: revision.id }, at);
    const updated = await updateAuthorityAtVersion(current.id, version, fields, at, planned.mark);
    if (!updated) throw await authorityConflict(context, current.id, code, version);
    const after = authoritySnapshot(updated);
    return record(context, { entity: 'authority', entityId: current.id, state: code, action: 'restore', fields: changedPaths(previous, after), before: previous, after, version: updated.version, restoredFrom: revision.id }, at, planned);
  }
  if (version !== undefined) {
    const latest = await findLatestRevision('authority', revision.entityId);
    throw new ConflictError(`This authority was removed${latest ? whoAndWhen(latest) : ''}. Nothing was restored.`, { changes: [], ...(latest ? { changedBy: changedBy(latest) } : {}) });
  }
  const latest = await findLatestRevision('authority', revision.entityId);
  const recreatedVersion = (latest?.version ?? 0) + 1;
  const planned = planSave(context, { entity: 'authority', entityId: revision.entityId, state: code, action: 'restore', before: null, version: recreatedVersion, restoredFrom: revision.id }, at);
  const recreated = await onlyOnce(planned.key, () => insertAuthority(code, fields, at, { id: revision.entityId, version: recreatedVersion }, planned.mark), planned.mark.claim);
  if (!recreated) throw new ConflictError('This authority was restored by someone else meanwhile. Nothing was changed: look at the history again.', { changes: [] });
  const after = authoritySnapshot(recreated);
  return record(context, { entity: 'authority', entityId: recreated.id, state: code, action: 'restore', fields: changedPaths(null, after), before: null, after, version: recreated.version, restoredFrom: revision.id }, at, planned);
}
