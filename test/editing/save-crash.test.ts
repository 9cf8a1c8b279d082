import { AuditEventModel } from '../../src/audit/audit.model';
import { findAuthoritiesOfState, findAuthority, findState } from '../../src/editing/editing.repository';
import type { Authority } from '../../src/directory/directory.types';
import { recoverUnfinishedWrites, setAccess, updateAuthority, type EditContext } from '../../src/editing/editing.service';
import { RevisionModel } from '../../src/editing/revision.model';
import { ConflictError } from '../../src/shared/errors';
import { afterLease, startCrashChild, type CrashChild } from '../helpers/crash-child';
import { useTestDatabase } from '../helpers/database';

jest.setTimeout(120_000);

const LEASE_MS = 400;
const secretariat = { id: '64b000000000000000000002', role: 'secretariat' as const, states: [] };
const context: EditContext = { viewer: { kind: 'user', ...secretariat }, email: 'secretariat@test.example' };

function inputOf(authority: Authority, emails: string[]) {
  const { id: _id, state: _state, updatedAt: _updatedAt, sample: _sample, version: _version, ...fields } = authority;
  void [_id, _state, _updatedAt, _sample, _version];
  return { ...fields, emails } as unknown as Parameters<typeof updateAuthority>[3];
}

describe('a save whose process is killed', () => {
  useTestDatabase();
  const children: CrashChild[] = [];
  afterAll(async () => {
    for (const child of children) await child.kill();
  });

  async function killDuring(task: Parameters<typeof startCrashChild>[0]['task'], point: string): Promise<void> {
    const child = startCrashChild({ pauseAt: { point }, claimLeaseMs: LEASE_MS, journalLeaseMs: LEASE_MS, viewer: secretariat, task });
    children.push(child);
    expect(await child.stopped).toBe(point);
    await child.kill();
    await afterLease(LEASE_MS);
  }

  it('when it is killed holding the version claim before writing, then the entry is as before and, once the claim expires, the secretariat saves it at that version', async () => {
    const authority = (await findAuthoritiesOfState('DEU'))[0]!;
    const revisions = await RevisionModel.countDocuments({ entityId: authority.id });
    await killDuring({ kind: 'save-authority', id: authority.id, version: authority.version, input: inputOf(authority, ['lost@justice.de.example']) }, 'version:claimed');
    expect((await findAuthority(authority.id))!.emails).toEqual(authority.emails);

    const saved = await updateAuthority(context, { id: authority.id }, authority.version, inputOf(authority, ['kept@justice.de.example']));
    expect(saved.version).toBe(authority.version + 1);
    expect(saved.emails).toEqual(['kept@justice.de.example']);
    expect(await RevisionModel.countDocuments({ entityId: authority.id })).toBe(revisions + 1);
  });

  it('when it is killed between the write and its revision, then a stale save is refused with the real change, the revision is recorded once, and a save at the new version succeeds', async () => {
    const authority = (await findAuthoritiesOfState('FRA'))[0]!;
    const revisions = await RevisionModel.countDocuments({ entityId: authority.id });
    await killDuring({ kind: 'save-authority', id: authority.id, version: authority.version, input: inputOf(authority, ['written@justice.fr.example']) }, 'save:written');
    const written = (await findAuthority(authority.id))!;
    expect(written.emails).toEqual(['written@justice.fr.example']);
    expect(written.version).toBe(authority.version + 1);

    const stale = await updateAuthority(context, { id: authority.id }, authority.version, inputOf(authority, ['stale@justice.fr.example'])).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).details?.changes).toEqual([{ field: 'emails', current: ['written@justice.fr.example'] }]);
    const recorded = await RevisionModel.find({ entityId: authority.id }).sort({ version: -1 }).lean();
    expect(recorded).toHaveLength(revisions + 1);
    expect(recorded[0]).toEqual(expect.objectContaining({ version: authority.version + 1, actorEmail: 'crash@test.example', fields: ['emails'] }));

    const saved = await updateAuthority(context, { id: authority.id }, written.version, inputOf(written, ['next@justice.fr.example']));
    expect(saved.version).toBe(written.version + 1);
    await recoverUnfinishedWrites();
    expect(await RevisionModel.countDocuments({ entityId: authority.id })).toBe(revisions + 2);
  });

  it('when a change of a State’s access is killed between the write and its revision, then the periodic recovery records the revision and the audit event once, and the State can be saved again', async () => {
    const state = (await findState('ITA'))!;
    const audits = await AuditEventModel.countDocuments({ type: 'access-setting-changed', subject: 'ITA' });
    await killDuring({ kind: 'set-access', code: 'ITA', version: state.version, access: state.access === 'public' ? 'restricted' : 'public' }, 'save:written');
    expect(await RevisionModel.countDocuments({ entityId: 'ITA' })).toBe(0);

    await recoverUnfinishedWrites();
    await recoverUnfinishedWrites();
    expect(await RevisionModel.countDocuments({ entityId: 'ITA', version: state.version + 1 })).toBe(1);
    expect(await AuditEventModel.countDocuments({ type: 'access-setting-changed', subject: 'ITA' })).toBe(audits + 1);
    const saved = await setAccess(context, 'ITA', state.version + 1, state.access);
    expect(saved.version).toBe(state.version + 2);
  });
});
