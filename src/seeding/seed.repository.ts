import type { AnyBulkWriteOperation } from 'mongoose';
import { AuthorityModel, DesignationTypeModel, InstrumentModel, ResourceModel, StateModel } from '../directory/directory.models';
import { toAuthority, type Lean } from '../directory/directory.documents';
import type { Authority, DesignationType, InstrumentRecord, Resource, State } from '../directory/directory.types';
import { bulkWriteInBatches } from '../shared/database/writes';

/** The seed's writes: reference data upserted by its natural key, sample authorities replaced whole. */

/** Inserts or replaces States by code, keeping fields the seed does not carry (access, stamps, optional section). */
export async function upsertStates(states: Array<Pick<State, 'code' | 'kind' | 'names' | 'region' | 'aliases'> & Partial<State>>): Promise<void> {
  if (states.length === 0) return;
  const operations: AnyBulkWriteOperation[] = states.map((state) => ({
    updateOne: { filter: { code: { $eq: state.code } }, update: { $set: state }, upsert: true },
  }));
  await bulkWriteInBatches(StateModel, operations);
}

/**
 * Adds the seed's designation types and instruments that are not stored yet. The secretariat edits
 * and retires both in the console, so a stored one is never overwritten.
 */
export async function insertMissingDesignationTypes(types: DesignationType[]): Promise<void> {
  if (types.length === 0) return;
  await bulkWriteInBatches(
    DesignationTypeModel,
    types.map((type) => ({ updateOne: { filter: { code: { $eq: type.code } }, update: { $setOnInsert: type }, upsert: true } })),
  );
}

export async function insertMissingInstruments(instruments: InstrumentRecord[]): Promise<void> {
  if (instruments.length === 0) return;
  await bulkWriteInBatches(
    InstrumentModel,
    instruments.map((instrument) => ({ updateOne: { filter: { code: { $eq: instrument.code } }, update: { $setOnInsert: instrument }, upsert: true } })),
  );
}

export async function countInstruments(): Promise<number> {
  return InstrumentModel.countDocuments();
}

export async function upsertResources(resources: Array<Omit<Resource, 'id'>>): Promise<void> {
  if (resources.length === 0) return;
  await bulkWriteInBatches(
    ResourceModel,
    resources.map((resource) => ({ updateOne: { filter: { url: { $eq: resource.url } }, update: { $set: resource }, upsert: true } })),
  );
}

/** Replaces every sample authority of the given States, and gives them back as stored, in order; real (non-sample) entries are never touched. */
export async function replaceSampleAuthorities(authorities: Array<Omit<Authority, 'id'>>): Promise<Authority[]> {
  await AuthorityModel.deleteMany({ sample: true });
  // insertMany validates every document, so sample data obeys the same rules as real data
  const docs = await AuthorityModel.insertMany(authorities.map((authority) => ({ ...authority, sample: true })));
  return docs.map((doc) => toAuthority(doc.toObject() as unknown as Lean<Record<string, unknown>>));
}

export async function countStates(): Promise<number> {
  return StateModel.countDocuments();
}
