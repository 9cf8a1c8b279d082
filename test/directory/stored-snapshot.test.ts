import { loadDirectory, type DirectoryData } from '../../src/directory/directory.repository';
import { DirectorySnapshotPartModel } from '../../src/directory/snapshot.model';
import { types } from 'node:util';
import { deserialized, loadStoredDirectory, serialized, storeDirectory } from '../../src/directory/snapshot.repository';
import { useTestDatabase } from '../helpers/database';

/** The sample directory with its authorities copied until there are `count`, each with an id and name of its own. */
async function directoryOf(count: number, version: number): Promise<DirectoryData> {
  const sample = await loadDirectory();
  const authorities = Array.from({ length: count }, (_, at) => {
    const model = sample.authorities[at % sample.authorities.length]!;
    return { ...model, id: at.toString(16).padStart(24, '0'), name: { ...model.name, en: `${model.name.en} ${at}` } };
  });
  return { ...sample, version, authorities };
}

async function headOf(version: number) {
  return DirectorySnapshotPartModel.findById(String(version)).lean();
}

describe('the directory stored for the next instance that starts', () => {
  useTestDatabase();

  it('when stored, then it is read back the same: every authority in order, dates as dates', async () => {
    const data = await directoryOf(2_500, 9_001);
    await storeDirectory(data);
    const read = await loadStoredDirectory(9_001);
    expect(read).toEqual(data);
    expect(read!.authorities.map((authority) => authority.id)).toEqual(data.authorities.map((authority) => authority.id));
    expect(types.isDate(read!.states.find((state) => state.lastUpdatedAt)!.lastUpdatedAt)).toBe(true);
  });

  it('when a large directory is serialised and read back, then the event loop gets a turn before each frame of authorities', async () => {
    const data = await directoryOf(5_000, 9_002);
    let turns = 0;
    let counting = true;
    const count = () => {
      turns += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const bytes = await serialized(data);
    const whileSerialising = turns;
    const read = await deserialized(bytes);
    counting = false;
    expect(read.authorities).toHaveLength(5_000);
    // Five frames of 1,000 authorities each way, with no other wait between them
    expect(whileSerialising).toBeGreaterThanOrEqual(5);
    expect(turns - whileSerialising).toBeGreaterThanOrEqual(5);
  });

  it('when the bytes are cut short or run on, then they are refused, not read as a smaller directory', async () => {
    const bytes = await serialized(await directoryOf(2_500, 9_008));
    await expect(deserialized(bytes.subarray(0, bytes.length - 10))).rejects.toThrow(RangeError);
    await expect(deserialized(Buffer.concat([bytes, Buffer.alloc(8)]))).rejects.toThrow(RangeError);
  });

  it('when a stored part is damaged, then nothing is read from it and the caller loads the entries', async () => {
    await storeDirectory(await directoryOf(300, 9_003));
    const head = (await headOf(9_003))!;
    await DirectorySnapshotPartModel.updateOne({ _id: `9003:${head.writer}:0` }, { $set: { bytes: Buffer.from('not a snapshot') } });
    await expect(loadStoredDirectory(9_003)).resolves.toBeUndefined();
  });

  it('when the stored copy was written in another format or for another version, then it is not read', async () => {
    await storeDirectory(await directoryOf(300, 9_004));
    await expect(loadStoredDirectory(9_005)).resolves.toBeUndefined();
    await DirectorySnapshotPartModel.updateOne({ _id: '9004' }, { $set: { format: 'v8-0.0+gzip+shape1' } });
    await expect(loadStoredDirectory(9_004)).resolves.toBeUndefined();
  });

  it('when a newer version is stored, then the older ones are dropped', async () => {
    await storeDirectory(await directoryOf(300, 9_006));
    await storeDirectory(await directoryOf(300, 9_007));
    expect(await headOf(9_006)).toBeNull();
    expect(await DirectorySnapshotPartModel.countDocuments({ version: { $lt: 9_007 } })).toBe(0);
    expect(await loadStoredDirectory(9_007)).toBeDefined();
  });
});
