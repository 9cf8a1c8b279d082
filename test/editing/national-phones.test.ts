import { findAuthoritiesOfState } from '../../src/editing/editing.repository';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { editor, formFields, submitForm } from './editing-helpers';
import { csv, CSV_HEADER, csvRow, postImport, type ReportProblem } from '../exchange/exchange-helpers';

/** A new authority of the State, with the given fields over the few it needs. */
const newAuthority = (name: string, fields: Record<string, string>) => ({
  designations: 'UNTOC-18-13',
  'name[original]': name,
  'name[originalLanguage]': 'en',
  'name[en]': name,
  kind: 'ministry-of-justice',
  'address[city]': 'Capital',
  ...fields,
});

const storedNamed = async (state: string, name: string) => (await findAuthoritiesOfState(state)).find((authority) => authority.name.en === name);

describe('telephone numbers typed as dialled in the State', () => {
  useTestDatabase();
  const app = testApp();
  let secretariat: Awaited<ReturnType<typeof editor>>;

  beforeAll(async () => {
    secretariat = await editor(app, 'secretariat');
  });

  it.each([
    ['RUS', 'Russian national format', '8 (495) 987-65-43', '+74959876543'],
    ['FRA', 'French national format', '01 53 59 53 59', '+33153595359'],
    ['CHN', 'Chinese national format', '010 6552 9988', '+861065529988'],
    ['RUS', 'another country in international format', '+33 1 53 59 53 59', '+33153595359'],
    ['FRA', 'an international call prefix', '00 7 495 987 65 43', '+74959876543'],
  ])('when an authority of %s is saved with a number in %s, then it is stored as E.164', async (state, what, typed, stored) => {
    const action = `/states/${state}/authorities/new`;
    const name = `Office ${state} ${what}`;
    const res = await submitForm(secretariat.agent, action, action, newAuthority(name, { 'phones[0][number]': typed }));
    expect(res.status).toBe(303);
    expect((await storedNamed(state, name))?.phones.map((phone) => phone.number)).toEqual([stored]);
  });

  it('when fax, 24/7 and contact-person numbers are typed as dialled in Russia, then each is stored as E.164', async () => {
    const action = '/states/RUS/authorities/new';
    const name = 'Office RUS every number';
    const res = await submitForm(
      secretariat.agent,
      action,
      action,
      newAuthority(name, {
        'fax[0][number]': '8 (495) 987-65-44',
        'contact247[description]': 'Duty officer',
        'contact247[phones][0][number]': '8 916 123-45-67',
        'contactPersons[0][name]': 'Ivan Petrov',
        'contactPersons[0][phones][0][number]': '8 (812) 315-17-01',
      }),
    );
    expect(res.status).toBe(303);
    const authority = await storedNamed('RUS', name);
    expect(authority?.fax[0]?.number).toBe('+74959876544');
    expect(authority?.contact247?.phones[0]?.number).toBe('+79161234567');
    expect(authority?.contactPersons[0]?.phones[0]?.number).toBe('+78123151701');
  });

  it('when a number is not valid in the State, then the form comes back with the number kept and the message at its field', async () => {
    const action = '/states/RUS/authorities/new';
    const res = await submitForm(secretariat.agent, action, action, newAuthority('Office RUS bad number', { 'phones[0][number]': '8 (495) 987', 'contactPersons[0][name]': 'Anna', 'contactPersons[0][phones][0][number]': '12' }));
    expect(res.status).toBe(422);
    const form = page(res.text);
    expect(form.fieldErrors()).toEqual(expect.arrayContaining(['phones.0.number', 'contactPersons.0.phones.0.number']));
    expect(form.errorSummaryFields()).toContain('phones.0.number');
    expect(new Map(formFields(res.text, action)).get('phones[0][number]')).toBe('8 (495) 987');
    expect(await storedNamed('RUS', 'Office RUS bad number')).toBeUndefined();
  });

  it('when a CSV row gives a number as dialled in its State, then the import stores it as E.164, and a number valid nowhere is reported at its column', async () => {
    const content = csv(
      [...CSV_HEADER],
      [
        csvRow({ state: 'FRA', name_original: 'Bureau importé', name_en: 'Imported office', phones: '01 53 59 53 59; +7 495 987-65-43' }),
        csvRow({ state: 'FRA', name_original: 'Bureau faux', name_en: 'Wrong office', phones: '01 53' }),
      ],
    );
    const dryRun = await postImport(secretariat.agent, { content, fileName: 'authorities.csv' });
    expect(dryRun.status).toBe(422);
    expect((dryRun.body.data.problems as ReportProblem[]).map(({ row, field, code }) => [row, field, code])).toEqual([[3, 'phones', 'phone']]);
    const good = csv([...CSV_HEADER], [csvRow({ state: 'FRA', name_original: 'Bureau importé', name_en: 'Imported office', phones: '01 53 59 53 59; +7 495 987-65-43' })]);
    const commit = await postImport(secretariat.agent, { content: good, fileName: 'authorities.csv', action: 'commit' });
    expect(commit.status).toBe(200);
    expect((await storedNamed('FRA', 'Imported office'))?.phones.map((phone) => phone.number)).toEqual(['+33153595359', '+74959876543']);
  });
});
