import { ConflictError } from '../shared/errors';
import { valueAt } from './editing.diff';
import { findRevisionsSince, type Revision, type RevisionEntity, type Snapshot } from './revision.repository';

/** What a refused save tells the editor: who changed the entry meanwhile, when, and which fields. */

export function changedBy(revision: Revision): NonNullable<ConstructorParameters<typeof ConflictError>[1]>['changedBy'] {
  return { ...(revision.actor.email ? { email: revision.actor.email } : {}), role: revision.actor.role, at: revision.at.toISOString() };
}

export function whoAndWhen(revision: Revision): string {
  return ` by ${revision.actor.email ?? revision.actor.role} at ${revision.at.toISOString()}`;
}

/** The refusal of a stale save: the fields changed since the editor's version, their values now, and who changed them last. */
export async function conflictSince(entity: RevisionEntity, entityId: string, version: number, current: Snapshot, currentVersion: number): Promise<ConflictError> {
  const since = await findRevisionsSince(entity, entityId, version);
  const fields = [...new Set(since.flatMap((revision) => revision.fields))];
  const latest = since.at(-1);
  const what = fields.length ? ` It changed ${fields.join(', ')}.` : '';
  return new ConflictError(
    `Someone else saved this entry while you were editing it${latest ? whoAndWhen(latest) : ''}.${what} Nothing was overwritten: check the current values, then save again.`,
    {
      currentVersion,
      changes: fields.map((field) => ({ field, current: valueAt(current, field) ?? null })),
      ...(latest ? { changedBy: changedBy(latest) } : {}),
    },
  );
}
