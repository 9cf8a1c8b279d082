import { DesignationTypeModel, InstrumentModel, ResourceModel, StateModel } from '../directory/directory.models';
import { toResource, toState, type Lean } from '../directory/directory.documents';
import type { DesignationType, InstrumentRecord, Resource, State } from '../directory/directory.types';
import { atVersion, withoutUndefined, writeAtVersionOnce } from '../shared/database/writes';
import { isObjectId } from '../shared/vocabulary';

/*
 * The secretariat's writes (src/console): States' reference records, the designation catalogue and
 * the resources list. Callers bump the version and invalidate the cache afterwards.
 */

/** The fields of a State the secretariat manages: who the participant is, its party records and secondary contacts. */
export type StateRecordFields = Pick<State, 'kind' | 'names' | 'region' | 'aliases' | 'parties'> & { secondaryContacts: NonNullable<State['secondaryContacts']> };

/** One State as stored now (not the cached copy), for its record's form. */
export async function findStateRecord(code: string): Promise<State | undefined> {
  const doc = await StateModel.findOne({ code: { $eq: code } }).lean();
  return doc ? toState(doc as Lean<Record<string, unknown>>) : undefined;
}

/** Adds a participant; false when a State with that code exists already. */
export async function insertState(code: string, fields: StateRecordFields): Promise<boolean> {
  if (await StateModel.exists({ code: { $eq: code } })) return false;
  await StateModel.create({ ...withoutUndefined(fields), code, access: 'public', sample: false, version: 0 });
  return true;
}

/** Replaces a State's record fields if it is still at `version`; undefined when it is not (changed meanwhile). */
export async function updateStateRecordAtVersion(code: string, version: number, fields: StateRecordFields): Promise<State | undefined> {
  // The secretariat's record fields are not what an import writes: this write leaves an import's marks alone
  return writeAtVersionOnce('state', code, version, async () => {
    const result = await StateModel.updateOne({ code: { $eq: code }, ...atVersion(version) }, { $set: withoutUndefined(fields), $inc: { version: 1 } }, { runValidators: true });
    return result.matchedCount === 0 ? undefined : findStateRecord(code);
  });
}

/** Adds a designation type to the catalogue; false when the code is taken. */
export async function insertDesignationType(type: DesignationType): Promise<boolean> {
  if (await DesignationTypeModel.exists({ code: { $eq: type.code } })) return false;
  await DesignationTypeModel.create(type);
  return true;
}

/** Changes a designation type's description (never its code or instrument); false when there is none with that code. */
export async function updateDesignationType(code: string, fields: Omit<DesignationType, 'code' | 'instrument' | 'retired'>): Promise<boolean> {
  const unset = fields.shortTitles ? {} : { $unset: { shortTitles: 1 } };
  const result = await DesignationTypeModel.updateOne({ code: { $eq: code } }, { $set: withoutUndefined(fields), ...unset }, { runValidators: true });
  return result.matchedCount > 0;
}

export async function setDesignationTypeRetired(code: string, retired: boolean): Promise<boolean> {
  const result = await DesignationTypeModel.updateOne({ code: { $eq: code } }, { $set: { retired } });
  return result.matchedCount > 0;
}

/** Adds an instrument to the catalogue; false when the code is taken. */
export async function insertInstrument(instrument: InstrumentRecord): Promise<boolean> {
  if (await InstrumentModel.exists({ code: { $eq: instrument.code } })) return false;
  await InstrumentModel.create(withoutUndefined(instrument));
  return true;
}

/** Changes an instrument's description (never its code); a field left out is cleared. False when there is none with that code. */
export async function updateInstrument(code: string, fields: Omit<InstrumentRecord, 'code' | 'retired'>): Promise<boolean> {
  const cleared = (['depositaryReference', 'inForce'] as const).filter((key) => fields[key] === undefined);
  const unset = cleared.length > 0 ? { $unset: Object.fromEntries(cleared.map((key) => [key, 1])) } : {};
  const result = await InstrumentModel.updateOne({ code: { $eq: code } }, { $set: withoutUndefined(fields), ...unset }, { runValidators: true });
  return result.matchedCount > 0;
}

export async function setInstrumentRetired(code: string, retired: boolean): Promise<boolean> {
  const result = await InstrumentModel.updateOne({ code: { $eq: code } }, { $set: { retired } });
  return result.matchedCount > 0;
}

/** One resource, or undefined for an unknown or malformed id. */
export async function findResource(id: string): Promise<Resource | undefined> {
  if (!isObjectId(id)) return undefined;
  const doc = await ResourceModel.findById(id).lean();
  return doc ? toResource(doc as Lean<Record<string, unknown>>) : undefined;
}

/** Whether another resource than `exceptId` already links to `url` (the list holds each address once). */
export async function resourceUrlTaken(url: string, exceptId?: string): Promise<boolean> {
  const doc = await ResourceModel.findOne({ url: { $eq: url } }).lean();
  return Boolean(doc && String(doc._id) !== exceptId);
}

export async function insertResource(fields: Omit<Resource, 'id'>): Promise<Resource> {
  const doc = await ResourceModel.create(withoutUndefined(fields));
  return toResource(doc.toObject() as Lean<Record<string, unknown>>);
}

/** Replaces a resource's fields; false when it no longer exists. */
export async function updateResource(id: string, fields: Omit<Resource, 'id'>): Promise<boolean> {
  if (!isObjectId(id)) return false;
  const result = await ResourceModel.updateOne({ _id: { $eq: id } }, { $set: withoutUndefined(fields) }, { runValidators: true });
  return result.matchedCount === 1;
}

/** Removes a resource; false when it did not exist. */
export async function deleteResource(id: string): Promise<boolean> {
  if (!isObjectId(id)) return false;
  const result = await ResourceModel.deleteOne({ _id: { $eq: id } });
  return result.deletedCount === 1;
}
