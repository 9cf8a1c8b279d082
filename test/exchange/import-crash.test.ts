import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditEventModel } from '../../src/audit/audit.model';
import { AuthorityModel } from '../../src/directory/directory.models';
import { loadDirectory } from '../../src/directory/directory.repository';
import { findAuthoritiesOfState, findAuthority } from '../../src/editing/editing.repository';
import type { Authority } from '../../src/directory/directory.types';
import { recoverUnfinishedWrites, updateAuthority, type EditContext } from '../../src/editing/editing.service';
import { RevisionModel } from '../../src/editing/revision.model';
import { commitImport } from '../../src/exchange/import.service';
import { afterLease, startCrashChild, type CrashChild } from '../helpers/crash-child';
import { useTestDatabase } from '../helpers/database';
import { csv, CSV_HEADER, csvRow } from './exchange-helpers';

const LEASE_MS = 400;
const UPDATES = 3;
// enough rows that a kill lands between writes of the one import, few enough for FerretDB on SQLite
const ROWS = 120;


const secretariat = { id: '64b000000000000000000001', role: 'secretariat' as const, states: [] };
const context: EditContext = { viewer: { kind: 'user', ...secretariat }, email: 'secretariat@test.example' };

/** What readers and the record hold: the public snapshot of France, the stored France, revisions and import audit events. */
async function picture(): Promise<{ publicFra: string[]; storedFra: number; revisions: number; applied: number; rolledBack: number }> {
  const directory = await loadDirectory();
  return {
    publicFra: directory.authorities.filter((authority) => authority.state === 'FRA').map((authority) => `${authority.id}|${authority.name.en}|${authority.emails.join(';')}`).sort(),
    storedFra: await AuthorityModel.countDocuments({ state: 'FRA' }),
    revisions: await RevisionModel.countDocuments(),
    applied: await AuditEventModel.countDocuments({ type: 'import', 'details.outcome': 'applied' }),
    rolledBack: await AuditEventModel.countDocuments({ type: 'import', 'details.outcome': 'rolled-back' }),
  };
}

jest.setTimeout(240_000);

describe('an import whose process is killed', () => {
  useTestDatabase();
  const children: CrashChild[] = [];
  afterAll(async () => {
    for (const child of children) await child.kill();
  });
  let targets: Authority[];
  let file: string;

  beforeAll(async () => {
    targets = (await findAuthoritiesOfState('FRA')).slice(0, UPDATES);
    expect(targets).toHaveLength(UPDATES);
    const rows = [
      ...targets.map((authority, index) => csvRow({ id: authority.id, name_original: authority.name.original, name_en: authority.name.en, emails: `updated-${index}@justice.fr.example` })),
      ...Array.from({ length: ROWS - UPDATES }, (_, index) => csvRow({ name_original: `Bureau ${index} (original)`, name_en: `Imported bureau ${index}` })),
    ];
    file = path.join(mkdtempSync(path.join(tmpdir(), 'import-crash-')), 'authorities.csv');
    writeFileSync(file, csv([...CSV_HEADER], rows));
  });

  async function killAt(point: string, row?: number) {
    const before = await picture();
    const child = startCrashChild({ pauseAt: { point, row }, claimLeaseMs: LEASE_MS, journalLeaseMs: LEASE_MS, viewer: secretariat, task: { kind: 'import', file, format: 'csv' } });
    children.push(child);
    expect(await child.stopped).toBe(point);
    const during = await picture();
    await child.kill();
    await afterLease(LEASE_MS);
    // Three instances find the unfinished journal at the same moment
    const [recovered] = await Promise.all([recoverUnfinishedWrites(), recoverUnfinishedWrites(), recoverUnfinishedWrites()]);
    const after = await picture();
    return { before, during, after, recovered };
  }

  /** The secretariat can save every authority the import touched: none is left blocked. */
  async function expectNoneBlocked(): Promise<void> {
    for (const [index, target] of targets.entries()) {
      const current = (await findAuthority(target.id))!;
      const { id: _id, state: _state, updatedAt: _updatedAt, sample: _sample, version, ...fields } = current;
      void [_id, _state, _updatedAt, _sample];
      // new e-mails, so that the next run of the file changes this authority again
      const saved = await updateAuthority(context, { id: current.id }, version, { ...fields, emails: [`checked-${version}-${index}@justice.fr.example`] } as never);
      expect(saved.version).toBe(version + 1);
    }
  }

  it.each([
    ['import:journal-written', undefined, false],
    ['version:claimed', undefined, false],
    ['import:row-written', 3, false],
    ['import:row-written', ROWS / 2, true],
    ['import:row-written', ROWS, true],
  ])('when it is killed at %s (row %s), then readers never see any of it, recovery rolls it back and no authority is blocked (importing again writes it once: %s)', async (point, row, reimport) => {
    const { before, during, after, recovered } = await killAt(point, row);
    expect(during.publicFra).toEqual(before.publicFra);
    expect(recovered.journals).toBe(1);
    // as before, and the attempt audited once as rolled back
    expect(after).toEqual({ ...before, rolledBack: before.rolledBack + 1 });
    await expectNoneBlocked();
    if (!reimport) return;

    const again = await commitImport(context, { text: readFileSync(file, 'utf8'), format: 'csv' });
    expect(again.committed).toBe(true);
    const imported = await picture();
    expect(imported.storedFra).toBe(before.storedFra + ROWS - UPDATES);
    expect(imported.applied).toBe(before.applied + 1);
    await expectNoneBlocked();
  });

  it.each([
    ['import:committed', undefined],
    ['import:revision-recorded', ROWS / 2],
  ])('when it is killed at %s (row %s), after the import committed, then readers see all of it and recovery records every revision and the audit event once', async (point, row) => {
    const { before, during, after, recovered } = await killAt(point, row);
    expect(during.publicFra).toHaveLength(before.publicFra.length + ROWS - UPDATES);
    expect(recovered.journals).toBe(1);
    expect(after.publicFra).toEqual(during.publicFra);
    expect(after.storedFra).toBe(before.storedFra + ROWS - UPDATES);
    expect(after.revisions).toBe(before.revisions + ROWS);
    expect(after.applied).toBe(before.applied + 1);
    // a second recovery finds nothing left to do
    expect((await recoverUnfinishedWrites()).journals).toBe(0);
    expect((await picture()).revisions).toBe(after.revisions);
    await expectNoneBlocked();
  });
});
