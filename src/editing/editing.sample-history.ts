import type { Authority } from '../directory/directory.types';
import { changedPaths } from './editing.diff';
import { setAuthorityVersions } from './editing.repository';
import { authoritySnapshot } from './editing.snapshots';
import { replaceRevisionsOfActor, type NewRevision, type Snapshot } from './revision.repository';

/*
 * The demonstration data's past (sample mode only): each sample authority is created with its
 * basic details and completed in later saves (office hours, then contact persons, as entries
 * usually are), and each State's confirmations are recorded, so the history pages, a restore and
 * the dashboard's monthly series all have a believable year to show. Every step is a real change
 * between real snapshots, and the last one is the authority as stored.
 */

/** Who made the sample history: never a real account, so writing it again replaces exactly it. */
export const SAMPLE_HISTORY_ACTOR = 'sample-history';

/** Fields filled in after an authority was first entered, one save each, in this order. */
const COMPLETED_LATER = ['officeHours', 'contactPersons'] as const;

export interface SampleHistory {
  /** Each sample authority as stored, and when it was first entered (its last save is its `updatedAt`). */
  authorities: Array<{ authority: Authority; createdAt: Date }>;
  /** A State confirming its entries as still accurate. */
  confirmations: Array<{ state: string; at: Date }>;
}

function sampleActor(state: string): NewRevision['actor'] {
  return { id: SAMPLE_HISTORY_ACTOR, role: 'focal-point', email: `focal.${state.toLowerCase()}@directory.example` };
}

function revisionsOfAuthority(authority: Authority, createdAt: Date): NewRevision[] {
  const final = authoritySnapshot(authority);
  const later = COMPLETED_LATER.filter((key) => changedPaths(null, final[key]).length > 0);
  const savedAt = authority.updatedAt ?? createdAt;
  const start = Math.min(createdAt.getTime(), savedAt.getTime());
  const steps = later.length;
  // the dates of the creation and each later save, evenly spread, the last one at updatedAt
  const dateOf = (step: number) => new Date(steps === 0 ? savedAt.getTime() : start + ((savedAt.getTime() - start) * step) / steps);
  const stages: Snapshot[] = [];
  for (let step = 0; step <= steps; step += 1) {
    const missing = new Set<string>(later.slice(step));
    // as the forms save it: no office hours is an absent field, no contact persons an empty list
    const stage = Object.fromEntries(Object.entries(final).filter(([key]) => !(missing.has(key) && key === 'officeHours')));
    if (missing.has('contactPersons')) stage.contactPersons = [];
    stages.push(stage);
  }
  return stages.map((after, step) => {
    const before = step === 0 ? null : stages[step - 1]!;
    return {
      entity: 'authority',
      entityId: authority.id,
      state: authority.state,
      actor: sampleActor(authority.state),
      at: dateOf(step),
      action: step === 0 ? 'create' : 'update',
      fields: changedPaths(before, after),
      before,
      after,
      version: step + 1,
    };
  });
}

/** Writes the sample history anew (the previous one is removed) and moves each authority's version to its last revision's. */
export async function writeSampleHistory(history: SampleHistory): Promise<number> {
  const perAuthority = history.authorities.map(({ authority, createdAt }) => revisionsOfAuthority(authority, createdAt));
  const confirmations: NewRevision[] = history.confirmations.map(({ state, at }) => ({
    entity: 'state',
    entityId: state,
    state,
    actor: sampleActor(state),
    at,
    action: 'confirm',
    fields: [],
    before: null,
    after: null,
    version: 0,
  }));
  const revisions = [...perAuthority.flat(), ...confirmations];
  await replaceRevisionsOfActor(SAMPLE_HISTORY_ACTOR, revisions);
  await setAuthorityVersions(perAuthority.map((steps, index) => ({ id: history.authorities[index]!.authority.id, version: steps.length })));
  return revisions.length;
}
