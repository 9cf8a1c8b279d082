import request from 'supertest';
import { currentDirectory, type DirectorySnapshot } from '../../src/directory/directory-cache';
import { AuthorityModel, ChangeStampModel, StateModel } from '../../src/directory/directory.models';
import { bumpVersion, PATCH_MAX_AUTHORITIES, readStamp, type DirectoryChange } from '../../src/directory/directory.repository';
import { searchIndex } from '../../src/directory/search-index';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { apiToken } from '../editing/editing-helpers';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The copy this instance serves once it has seen the stamp's version (it checks every quarter of a second). */
async function directoryAt(version: number): Promise<DirectorySnapshot> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const directory = await currentDirectory();
    if (directory.version >= version) return directory;
    await pause(100);
  }
  throw new Error(`version ${version} never served`);
}

/** Written as another instance writes: the entries change, then the stamp with what changed. */
async function writtenElsewhere(write: () => Promise<unknown>, change: DirectoryChange): Promise<DirectorySnapshot> {
  await write();
  return directoryAt(await bumpVersion(change));
}

async function publicSearch(directory: DirectorySnapshot, query: string): Promise<string[]> {
  return searchIndex(await directory.search.authoritiesVisibleWith([]), query, (hit) => hit.kind === 'authority').map((hit) => hit.ref);
}

/** How many authorities of `after` are the very objects of `before`: a patch keeps every unchanged one. */
function keptObjects(before: DirectorySnapshot, after: DirectorySnapshot): number {
  return after.authorities.filter((authority) => before.authorityById.get(authority.id) === authority).length;
}

async function frenchAuthority(directory: DirectorySnapshot) {
  return directory.authoritiesByState.get('FRA')![0]!;
}

describe('a new version of the directory patched from the copy before', () => {
  useTestDatabase();

  it('when one authority is renamed elsewhere, then the copy keeps every other authority and its indexes, and search finds the new name and not the old', async () => {
    const before = await currentDirectory();
    await before.search.ready;
    const target = await frenchAuthority(before);
    expect(await publicSearch(before, 'Quillwort')).toEqual([]);
    const after = await writtenElsewhere(() => AuthorityModel.updateOne({ _id: target.id }, { $set: { 'name.en': 'Quillwort Bureau' } }), { authorities: [target.id] });

    expect(after.authorityById.get(target.id)!.name.en).toBe('Quillwort Bureau');
    expect(keptObjects(before, after)).toBe(before.authorities.length - 1);
    expect(after.authorities.map((authority) => authority.id)).toEqual(before.authorities.map((authority) => authority.id));
    expect(after.search.states).toBe(before.search.states);
    expect(await after.search.authoritiesVisibleWith([])).toBe(await before.search.authoritiesVisibleWith([]));
    expect(await publicSearch(after, 'Quillwort')).toEqual([target.id]);
    expect(await publicSearch(after, target.name.en)).not.toContain(target.id);
  });

  it('when one authority is removed and another created elsewhere, then both are patched in: lookups, the State’s list and search', async () => {
    const before = await currentDirectory();
    const removed = await frenchAuthority(before);
    const { _id, ...copy } = (await AuthorityModel.findById(removed.id).lean())!;
    void _id;
    await AuthorityModel.deleteOne({ _id: removed.id });
    const created = await AuthorityModel.create({ ...copy, name: { ...copy.name, en: 'Zephyrine Liaison Office' }, emails: ['zephyrine@justice.fr.example'] });
    const createdId = String(created._id);
    const after = await directoryAt(await bumpVersion({ authorities: [removed.id, createdId] }));

    expect(after.authorityById.has(removed.id)).toBe(false);
    expect(after.authorityById.get(createdId)!.name.en).toBe('Zephyrine Liaison Office');
    expect(after.authoritiesByState.get('FRA')!.map((authority) => authority.id)).toContain(createdId);
    expect(after.authoritiesByState.get('FRA')!.map((authority) => authority.id)).not.toContain(removed.id);
    expect(after.authorities).toHaveLength(before.authorities.length);
    expect(keptObjects(before, after)).toBe(before.authorities.length - 1);
    expect(await publicSearch(after, 'Zephyrine')).toEqual([createdId]);
    expect(await publicSearch(after, 'zephyrine@justice.fr.example')).toEqual([createdId]);
    expect(await publicSearch(after, removed.name.en)).not.toContain(removed.id);
  });

  it('when a change is not known by its authorities, then every entry is read again', async () => {
    const before = await currentDirectory();
    const target = await frenchAuthority(before);
    const after = await writtenElsewhere(() => AuthorityModel.updateOne({ _id: target.id }, { $set: { 'name.en': 'Read again whole' } }), { whole: true });
    expect(after.authorityById.get(target.id)!.name.en).toBe('Read again whole');
    expect(keptObjects(before, after)).toBe(0);
  });

  it('when more authorities changed than a patch reads, then every entry is read again', async () => {
    const before = await currentDirectory();
    const ids = before.authorities.slice(0, PATCH_MAX_AUTHORITIES + 1).map((authority) => authority.id);
    expect(ids).toHaveLength(PATCH_MAX_AUTHORITIES + 1);
    const after = await writtenElsewhere(() => AuthorityModel.updateMany({ _id: { $in: ids } }, { $set: { website: 'https://many.example/' } }), { authorities: ids });
    expect(ids.map((id) => after.authorityById.get(id)!.website)).toEqual(ids.map(() => 'https://many.example/'));
    expect(keptObjects(before, after)).toBe(0);
  });

  it('when a State is made restricted elsewhere, then the patched copy has new indexes without its authorities for the public, and the States re-read', async () => {
    const before = await currentDirectory();
    const state = before.states.find((candidate) => candidate.access === 'public' && (before.authoritiesByState.get(candidate.code)?.length ?? 0) > 0)!;
    const [authority] = before.authoritiesByState.get(state.code)!;
    expect(await publicSearch(before, authority!.name.en)).toContain(authority!.id);
    const after = await writtenElsewhere(() => StateModel.updateOne({ code: state.code }, { $set: { access: 'restricted' } }), { authorities: [] });

    expect(after.stateByCode.get(state.code)!.access).toBe('restricted');
    expect(keptObjects(before, after)).toBe(before.authorities.length);
    expect(await after.search.authoritiesVisibleWith([])).not.toBe(await before.search.authoritiesVisibleWith([]));
    expect(await publicSearch(after, authority!.name.en)).not.toContain(authority!.id);
    expect(searchIndex(await after.search.authoritiesVisibleWith([state.code]), authority!.name.en, () => true).map((hit) => hit.ref)).toContain(authority!.id);
    await StateModel.updateOne({ code: state.code }, { $set: { access: 'public' } });
    await directoryAt(await bumpVersion({ authorities: [] }));
  });

  it('when the stamp was written anew (the database replaced), then its changes by id are not applied to the old copy', async () => {
    const before = await currentDirectory();
    const target = await frenchAuthority(before);
    await ChangeStampModel.deleteOne({ _id: 'directory' });
    await bumpVersion({ whole: true });
    for (let version = 1; version <= before.version; version += 1) await bumpVersion({ authorities: [] });
    const after = await writtenElsewhere(() => AuthorityModel.updateOne({ _id: target.id }, { $set: { 'name.en': 'Another lineage' } }), { authorities: [target.id] });
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.authorityById.get(target.id)!.name.en).toBe('Another lineage');
    expect(keptObjects(before, after)).toBe(0);
  });
});

describe('the version stamp and what its versions changed', () => {
  useTestDatabase({ seed: false });

  it('when versions changed authorities by id, then the ids since a version are their union, and unknown past a whole change or the 64 kept', async () => {
    const start = await bumpVersion({ authorities: ['a1'] });
    await bumpVersion({ authorities: ['a2', 'a1'] });
    await bumpVersion({ authorities: [] });
    let stamp = await readStamp();
    expect(stamp.version).toBe(start + 2);
    expect(stamp.authoritiesChangedSince(start - 1)!.sort()).toEqual(['a1', 'a2']);
    expect(stamp.authoritiesChangedSince(start)!.sort()).toEqual(['a1', 'a2']);
    expect(stamp.authoritiesChangedSince(start + 1)).toEqual([]);
    expect(stamp.authoritiesChangedSince(start + 2)).toEqual([]);

    await bumpVersion({ whole: true });
    await bumpVersion({ authorities: ['a3'] });
    stamp = await readStamp();
    expect(stamp.authoritiesChangedSince(start + 3)).toEqual(['a3']);
    expect(stamp.authoritiesChangedSince(start + 2)).toBeUndefined();

    for (let round = 0; round < 70; round += 1) await bumpVersion({ authorities: [`b${round}`] });
    stamp = await readStamp();
    const stored = (await ChangeStampModel.findById('directory').lean())!;
    expect(stored.recent).toHaveLength(64);
    expect(stamp.authoritiesChangedSince(stamp.version - 64)).toHaveLength(64);
    expect(stamp.authoritiesChangedSince(stamp.version - 65)).toBeUndefined();
  });
});

describe('what a save tells the other instances', () => {
  useTestDatabase();
  const app = testApp();

  it('when a focal point saves an authority, then the stamp names that authority alone, and the saving instance serves it patched', async () => {
    const before = await currentDirectory();
    await before.search.ready;
    const target = await frenchAuthority(before);
    const { token } = await apiToken('focal-point', ['FRA']);
    const read = (await request(app).get(`/api/v1/authorities/${target.id}`).expect(200)).body.data as Record<string, unknown>;
    const stampBefore = await readStamp();
    await request(app)
      .put(`/api/v1/authorities/${target.id}`)
      .set('authorization', `Bearer ${token}`)
      .send({ ...read, name: { ...(read.name as object), en: 'Saved through the API' } })
      .expect(200);
    const stamp = await readStamp();
    expect(stamp.version).toBeGreaterThan(stampBefore.version);
    expect(stamp.authoritiesChangedSince(stampBefore.version)).toEqual([target.id]);
    const after = await currentDirectory();
    expect(after.version).toBe(stamp.version);
    expect(keptObjects(before, after)).toBe(before.authorities.length - 1);
    expect((await request(app).get(`/api/v1/authorities/${target.id}`).expect(200)).body.data.name.en).toBe('Saved through the API');
  });
});
