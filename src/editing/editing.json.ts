import type { Revision } from './revision.repository';

/** The API's representation of a revision: ISO dates, null for unknown. */
export function toRevisionJson(revision: Revision) {
  return {
    id: revision.id,
    entity: revision.entity,
    entityId: revision.entityId,
    state: revision.state,
    action: revision.action,
    at: revision.at.toISOString(),
    actor: { id: revision.actor.id, email: revision.actor.email ?? null, role: revision.actor.role },
    fields: revision.fields,
    before: revision.before,
    after: revision.after,
    version: revision.version,
    restoredFrom: revision.restoredFrom ?? null,
  };
}
