import { z } from 'zod';
import { isoDateTime, stateCode } from '../shared/vocabulary';
import { REVISION_ACTIONS, type Revision } from './revision.repository';

/** The API's representation of a revision: ISO dates, null for unknown. The OpenAPI document is generated from the schema. */
export const revisionJson = z
  .object({
    id: z.string(),
    entity: z.enum(['authority', 'state']),
    entityId: z.string().meta({ description: "The authority's id, or the State's code" }),
    state: stateCode,
    action: z.enum(REVISION_ACTIONS),
    at: isoDateTime,
    actor: z.object({ id: z.string(), email: z.string().nullable(), role: z.string() }),
    fields: z.array(z.string()).meta({ description: 'Dotted paths of the fields that changed' }),
    before: z.record(z.string(), z.unknown()).nullable().meta({ description: 'The entry before the change; null for an addition or a confirmation' }),
    after: z.record(z.string(), z.unknown()).nullable().meta({ description: 'The entry after the change; null for a removal or a confirmation' }),
    version: z.number().int().min(0).meta({ description: "The entity's version after the change" }),
    restoredFrom: z.string().nullable().meta({ description: 'For a restore: the revision whose earlier values were brought back' }),
  })
  .meta({ id: 'Revision', description: 'One change of a State’s entries: who, when, which fields, and the entry before and after' });

export function toRevisionJson(revision: Revision): z.infer<typeof revisionJson> {
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
