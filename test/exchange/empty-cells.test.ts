import { findAuthority } from '../../src/editing/editing.repository';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { authorityOf, focalPointOf } from '../editing/editing-helpers';
import { csv, databasePicture, postImport, type ReportProblem } from './exchange-helpers';

const HEADER = ['id', 'state', 'name_original', 'name_en', 'kind', 'address_line_1', 'address_line_2', 'city', 'postal_code', 'phones', 'fax', 'emails', 'website', 'languages', 'notes'];

/** One CSV row of the header above: every cell empty but those given. */
const rowOf = (cells: Partial<Record<(typeof HEADER)[number], string>>) => HEADER.map((column) => cells[column] ?? '');

describe('empty and cleared cells of a CSV import', () => {
  useTestDatabase();
  const app = testApp();
  const focal = focalPointOf(app, ['FRA']);

  const commit = (rows: string[][]) => postImport(focal.agent, { content: csv(HEADER, rows), fileName: 'authorities.csv', action: 'commit' });

  it('when a row updating an authority leaves cells empty, then their fields keep the stored values and only the filled cell changes', async () => {
    const before = await authorityOf('FRA', 'Ministry of Justice');
    expect(before.phones.length).toBeGreaterThan(0);
    const res = await commit([rowOf({ id: before.id, state: 'FRA', notes: 'Only the notes change.' })]);
    expect(res.status).toBe(200);
    const after = (await findAuthority(before.id))!;
    expect(after.notes).toBe('Only the notes change.');
    expect({ name: after.name, kind: after.kind, address: after.address, phones: after.phones, fax: after.fax, emails: after.emails, website: after.website, languages: after.languages }).toEqual({
      name: before.name,
      kind: before.kind,
      address: before.address,
      phones: before.phones,
      fax: before.fax,
      emails: before.emails,
      website: before.website,
      languages: before.languages,
    });
  });

  it('when a cell holds “-”, then its field is cleared, and “\'-” stores the text “-”', async () => {
    const before = await authorityOf('FRA', 'Ministry of Justice');
    const res = await commit([rowOf({ id: before.id, state: 'FRA', phones: '-', website: ' - ', address_line_2: '-', notes: "'-" })]);
    expect(res.status).toBe(200);
    const after = (await findAuthority(before.id))!;
    expect(after.phones).toEqual([]);
    expect(after.website).toBeUndefined();
    expect(after.notes).toBe('-');
    expect(after.address.lines).toEqual(before.address.lines.slice(0, 1));
    expect(after.emails).toEqual(before.emails);
  });

  it('when a required field is cleared, or left empty in a new authority, then the problem says which, at its column, and nothing is written', async () => {
    const stored = await authorityOf('FRA', 'Ministry of Justice');
    const picture = await databasePicture();
    const res = await commit([rowOf({ id: stored.id, state: 'FRA', city: '-' }), rowOf({ state: 'FRA', name_original: 'Nouveau bureau', name_en: 'New office', city: 'Lyon' })]);
    expect(res.status).toBe(422);
    const problems = (res.body.data.problems as ReportProblem[]).map(({ row, field, code, message }) => ({ row, field, code, message }));
    expect(problems).toEqual(
      expect.arrayContaining([
        { row: 2, field: 'city', code: 'cellCleared', message: expect.stringContaining('“-” clears a field, but this one needs a value') },
        { row: 3, field: 'kind', code: 'cellEmpty', message: expect.stringContaining('This cell is empty, and the field needs a value') },
      ]),
    );
    expect(await databasePicture()).toEqual(picture);
  });

  it.each([
    ['en', 'an empty cell keeps the stored value'],
    ['fr', 'une cellule vide conserve la valeur enregistrée'],
    ['es', 'una celda vacía conserva el valor guardado'],
    ['ru', 'пустая ячейка сохраняет записанное значение'],
    ['zh', '空单元格会保留已存储的值'],
    ['ar', 'تُبقي الخلية الفارغة على القيمة المحفوظة'],
  ])('when the import page is read in %s, then it states the rule for empty cells and the clearing mark', async (lang, words) => {
    const rule = page((await focal.agent.get(`/import?lang=${lang}`)).text).text('#empty-cells');
    expect(rule).toContain(words);
    expect(rule).toContain(' - ');
  });
});
