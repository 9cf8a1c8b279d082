import request from 'supertest';
import { AuditEventModel } from '../../src/audit/audit.model';
import * as repository from '../../src/editing/editing.repository';
import { findAuthoritiesOfState, findAuthority, findState } from '../../src/editing/editing.repository';
import { RevisionModel } from '../../src/editing/revision.model';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { authorityOf, editor, formFields } from '../editing/editing-helpers';
import { csrfTokenIn } from '../helpers/accounts';
import { csv, CSV_HEADER, csvRow, databasePicture, postImport, type CsvCells, type ReportProblem } from './exchange-helpers';
import { page } from '../helpers/html';

const HEADER = [...CSV_HEADER];

/** A valid CSV row for a new authority of the State, with some cells changed. */
function row(state: string, name: string, changes: CsvCells = {}): string[] {
  return csvRow({ state, name_original: `${name} (original)`, name_en: name, ...changes });
}

describe('import of authorities and optional sections', () => {
  useTestDatabase();
  const app = testApp();
  let focal: Awaited<ReturnType<typeof editor>>;
  let secretariat: Awaited<ReturnType<typeof editor>>;
  let deuAuthorityId: string;

  beforeAll(async () => {
    focal = await editor(app, 'focal-point', ['FRA']);
    secretariat = await editor(app, 'secretariat');
    deuAuthorityId = (await authorityOf('DEU')).id;
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const badCsv = () =>
    csv(HEADER, [
      row('FRA', 'Good new authority'),
      row('FRA', 'Bad e-mail', { emails: 'ok@justice.fr.example; not-an-address' }),
      row('FRA', 'Bad phone', { phones: '0123 456' }),
      row('FRA', 'Unknown designation', { designations: 'UNTOC-18-13; UNTOC-99' }),
      row('DEU', 'Another State’s row'),
      row('FRA', 'Id of another State', { id: deuAuthorityId }),
    ]);

  it('when a focal point checks a CSV file with bad rows, then the dry run reports each bad row and its column, and plans only the good row', async () => {
    const res = await postImport(focal.agent, { content: badCsv(), fileName: 'authorities.csv' });
    expect(res.status).toBe(422);
    const { problems, planned, committed, format } = res.body.data as { problems: ReportProblem[]; planned: Array<{ row: number; action: string }>; committed: boolean; format: string };
    expect(format).toBe('csv');
    expect(committed).toBe(false);
    const found = problems.map(({ row: at, field, code }) => [at, field, code]);
    expect(found).toEqual(
      expect.arrayContaining([
        [3, 'emails', 'email'],
        [4, 'phones', 'phone'],
        [5, 'designations', 'designationUnknown'],
        [6, 'state', 'stateNotYours'],
        [7, 'id', 'idOtherState'],
      ]),
    );
    expect(problems.every((problem) => problem.row !== 2)).toBe(true);
    expect(problems.find((problem) => problem.row === 5)?.message).toContain('UNTOC-99');
    expect(problems.find((problem) => problem.row === 6)?.message).toContain('DEU');
    expect(planned).toEqual([expect.objectContaining({ row: 2, action: 'create' })]);
  });

  it('when the same file is checked on the page, then the page lists every problem by row and column, and offers no import button', async () => {
    const res = await postImport(focal.agent, { content: badCsv(), fileName: 'authorities.csv', json: false });
    expect(res.status).toBe(422);
    expect(res.text).toContain('There are 5 problems');
    for (const [at, field] of [['3', 'emails'], ['4', 'phones'], ['5', 'designations'], ['6', 'state'], ['7', 'id']]) {
      expect(page(res.text).count(`[data-row="${at}"][data-field="${field}"]`)).toBe(1);
    }
    expect(res.text).toContain('Enter an e-mail address such as name@example.org.');
    expect(page(res.text).count('[name="action"][value="commit"]')).toBe(0);
  });

  it('when a focal point checks a JSON file with bad entries, then the dry run reports each entry and field path, optional sections included', async () => {
    const good = { state: 'FRA', designations: ['UNTOC-18-13'], name: { original: 'Bon', originalLanguage: 'fr', en: 'Good' }, kind: 'court', address: { lines: [], city: 'Lyon' }, emails: ['bon@justice.fr.example'] };
    const file = {
      authorities: [
        good,
        { ...good, emails: ['not-an-address'] },
        { ...good, phones: [{ number: '12345' }] },
        { ...good, designations: ['NOPE-1'] },
        { ...good, state: 'DEU' },
        { ...good, id: deuAuthorityId },
      ],
      optionalSections: [
        { state: 'FRA', laws: [{ title: 'Code', url: 'javascript:alert(1)', language: 'fr' }] },
        { state: 'RUS', laws: [] },
      ],
    };
    const res = await postImport(focal.agent, { content: JSON.stringify(file), format: 'auto' });
    expect(res.status).toBe(422);
    const found = (res.body.data.problems as ReportProblem[]).map(({ row: at, entity, field, code }) => [entity, at, field, code]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['authority', 2, 'emails.0', 'email'],
        ['authority', 3, 'phones.0.number', 'phone'],
        ['authority', 4, 'designations', 'designationUnknown'],
        ['authority', 5, 'state', 'stateNotYours'],
        ['authority', 6, 'id', 'idOtherState'],
        ['optional-section', 1, 'laws.0.url', 'url'],
        ['optional-section', 2, 'state', 'stateNotYours'],
      ]),
    );
    expect(found.filter(([entity, at]) => entity === 'authority' && at === 1)).toEqual([]);
  });

  it('when a file cannot be read, then the whole file is reported: bad JSON, unknown column, not UTF-8', async () => {
    const broken = await postImport(focal.agent, { content: '{"authorities": [', format: 'json' });
    expect(broken.body.data.problems).toEqual([expect.objectContaining({ row: 0, field: '_file', code: 'jsonSyntax' })]);
    const column = await postImport(focal.agent, { content: 'state,emial\nFRA,x@y.example\n', format: 'csv' });
    expect(column.body.data.problems).toEqual([expect.objectContaining({ code: 'unknownColumn', message: expect.stringContaining('emial') })]);
    const form = await focal.agent.get('/import');
    const latin1 = await focal.agent
      .post('/import')
      .field('_csrf', csrfTokenIn(form.text))
      .attach('file', Buffer.from('state,city\nFRA,Orl\xe9ans\n', 'latin1'), 'old.csv')
      .set('Accept', 'application/json');
    expect(latin1.status).toBe(422);
    expect(latin1.body.data.problems).toEqual([expect.objectContaining({ code: 'encoding' })]);
  });

  it('when a file with one bad row is committed, then nothing in the database changes', async () => {
    const before = await databasePicture();
    const fra = await authorityOf('FRA', 'Ministry of Justice');
    const content = csv(HEADER, [row('FRA', 'New one'), row('FRA', 'Update', { id: fra.id, emails: 'changed@justice.fr.example' }), row('FRA', 'Broken', { phones: 'call me' })]);
    const res = await postImport(focal.agent, { content, format: 'csv', action: 'commit' });
    expect(res.status).toBe(422);
    expect(res.body.data.committed).toBe(false);
    expect(res.body.data.problems).toEqual([expect.objectContaining({ row: 4, field: 'phones' })]);
    expect(await databasePicture()).toEqual(before);
  });

  it('when a good file is checked then committed through the pages, then every row is saved with one revision each, the State is stamped, the public page shows it, and the import is audited', async () => {
    const fra = await authorityOf('FRA', 'Ministry of Justice');
    const revisionsBefore = await RevisionModel.countDocuments({ state: 'FRA' });
    const content = csv(
      [...HEADER, 'notes'],
      [
        [...row('FRA', 'Imported Prosecution Office', { kind: 'prosecution-service', emails: 'parquet@justice.fr.example' }), ''],
        [...row('FRA', 'Imported Court', { kind: 'court', emails: 'cour@justice.fr.example', urgent_accepted: 'no', urgent_means: '' }), 'Imported note'],
        [...row('FRA', fra.name.en, { id: fra.id, name_original: fra.name.original, emails: 'nouvelle-adresse@justice.fr.example' }), ''],
      ],
    );
    const check = await postImport(focal.agent, { content, fileName: 'fra.csv', json: false });
    expect(check.status).toBe(200);
    expect(check.text).toContain('Import 3 rows');
    const fields = formFields(check.text, '/import');
    const commitPost = fields.reduce((req, [name, value]) => req.field(name, value), focal.agent.post('/import'));
    const done = await commitPost;
    expect(done.status).toBe(200);
    expect(done.text).toContain('The file has been imported');
    expect(done.text).toContain('Saved: 2 added, 1 updated');

    const stored = await findAuthoritiesOfState('FRA');
    const prosecution = stored.find((authority) => authority.name.en === 'Imported Prosecution Office');
    const court = stored.find((authority) => authority.name.en === 'Imported Court');
    expect(prosecution?.emails).toEqual(['parquet@justice.fr.example']);
    expect(prosecution?.phones).toEqual([{ number: '+442079460150' }]);
    expect(court?.urgent).toEqual({ accepted: false, means: [] });
    expect(court?.notes).toBe('Imported note');
    const updated = await findAuthority(fra.id);
    expect(updated?.emails).toEqual(['nouvelle-adresse@justice.fr.example']);
    expect(updated?.version).toBe(fra.version + 1);
    // columns the file does not have keep their stored values
    expect(updated?.officeHours).toEqual(fra.officeHours);
    expect(updated?.contactPersons).toEqual(fra.contactPersons);

    for (const id of [prosecution!.id, court!.id, fra.id]) expect(await RevisionModel.countDocuments({ entityId: id })).toBe(1);
    expect(await RevisionModel.countDocuments({ state: 'FRA' })).toBe(revisionsBefore + 3);
    expect((await findState('FRA'))?.lastUpdatedAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);

    const page = await request(app).get('/states/FRA');
    expect(page.text).toContain('Imported Prosecution Office');
    expect(page.text).toContain('cour@justice.fr.example');
    expect(page.text).toContain('nouvelle-adresse@justice.fr.example');
    const audit = await AuditEventModel.findOne({ type: 'import', actorEmail: focal.user.user.email }).lean();
    expect(audit?.details).toEqual(expect.objectContaining({ format: 'csv', outcome: 'applied', created: 2, updated: 1 }));
  });

  it('when the secretariat imports optional sections and authorities of several States in JSON, then each is saved with its revision', async () => {
    const deu = await authorityOf('DEU');
    const file = {
      authorities: [{ state: 'DEU', id: deu.id, emails: ['neu@bmj.de.example'] }],
      optionalSections: [{ state: 'JPN', requirements: { mla: { text: 'Requests must be in Japanese.', language: 'en' } }, laws: [], treaties: [] }],
    };
    const res = await postImport(secretariat.agent, { content: JSON.stringify(file), action: 'commit' });
    expect(res.status).toBe(200);
    expect(res.body.data.result).toEqual(expect.objectContaining({ updated: [deu.id], optionalSections: ['JPN'] }));
    expect((await findAuthority(deu.id))?.emails).toEqual(['neu@bmj.de.example']);
    expect((await findAuthority(deu.id))?.name).toEqual(deu.name);
    expect((await findState('JPN'))?.optional.requirements.mla?.text).toBe('Requests must be in Japanese.');
    expect(await RevisionModel.countDocuments({ entity: 'state', entityId: 'JPN', action: 'update' })).toBe(1);
  });

  it('when a write fails part of the way through a commit, then the writes already made are undone and no revision is recorded', async () => {
    const fra = await authorityOf('FRA', 'Maritime');
    const before = await databasePicture();
    const content = csv(HEADER, [
      row('FRA', 'First new'),
      row('FRA', fra.name.en, { id: fra.id, name_original: fra.name.original, emails: 'rolled-back@mer.fr.example' }),
      row('FRA', 'Second new'),
    ]);
    const insert = repository.insertAuthority;
    let calls = 0;
    jest.spyOn(repository, 'insertAuthority').mockImplementation(async (...args) => {
      calls += 1;
      if (calls === 2) throw new Error('simulated failure of the database');
      return insert(...args);
    });
    const res = await postImport(focal.agent, { content, format: 'csv', action: 'commit' });
    expect(res.status).toBe(500);
    expect(res.body.data).toEqual(expect.objectContaining({ committed: false, failure: expect.objectContaining({ rolledBack: true, conflict: false }) }));
    const after = await databasePicture();
    expect(after.revisions).toBe(before.revisions);
    // the same entries with the same contents; the restored authority's version moved on, so no stale form can match it
    const contents = (picture: typeof before) =>
      picture.authorities.map((doc) => {
        const { version, ...rest } = doc as Record<string, unknown>;
        void version;
        return rest;
      });
    expect(contents(after)).toEqual(contents(before));
    expect(after.states).toEqual(before.states);
    expect((await findAuthority(fra.id))?.emails).toEqual(fra.emails);
    expect(await AuditEventModel.countDocuments({ type: 'import', 'details.outcome': 'rolled-back' })).toBe(1);
  });

  it('when someone saves an authority between the check and the write, then the import is refused as a conflict and nothing else is kept', async () => {
    const fra = await authorityOf('FRA', 'Central Firearms');
    const content = csv(HEADER, [row('FRA', 'Would be new'), row('FRA', fra.name.en, { id: fra.id, name_original: fra.name.original, emails: 'mine@armes.fr.example' })]);
    const update = repository.updateAuthorityAtVersion;
    jest.spyOn(repository, 'updateAuthorityAtVersion').mockImplementationOnce(async (id, version, fields, at) => {
      // someone else's save lands first
      const { id: _id, state: _state, updatedAt: _updatedAt, sample: _sample, version: current, ...fields_ } = (await findAuthority(id))!;
      void [_id, _state, _updatedAt, _sample];
      await update(id, current, { ...fields_, emails: ['theirs@armes.fr.example'] }, new Date());
      return update(id, version, fields, at);
    });
    const res = await postImport(focal.agent, { content, format: 'csv', action: 'commit' });
    expect(res.status).toBe(409);
    expect(res.body.data.failure).toEqual(expect.objectContaining({ rolledBack: true, conflict: true }));
    expect((await findAuthority(fra.id))?.emails).toEqual(['theirs@armes.fr.example']);
    expect((await findAuthoritiesOfState('FRA')).some((authority) => authority.name.en === 'Would be new')).toBe(false);
  });

  it('when a practitioner or an anonymous reader opens the import, then it is refused or sends them to sign in', async () => {
    const practitioner = await editor(app, 'practitioner');
    expect((await practitioner.agent.get('/import')).status).toBe(403);
    const anonymous = await request(app).get('/import');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toContain('/sign-in');
  });

  it('when the import is posted without the form’s CSRF token, then it is refused', async () => {
    const res = await focal.agent.post('/import').field('content', csv(HEADER, [row('FRA', 'x')])).field('action', 'commit');
    expect(res.status).toBe(403);
  });
});
