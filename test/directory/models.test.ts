import { AuthorityModel, StateModel } from '../../src/directory/directory.models';
import { ensureIndexes } from '../../src/directory/directory.repository';
import { useTestDatabase } from '../helpers/database';

const validAuthority = () => ({
  state: 'FRA',
  designations: ['UNTOC-18-13'],
  name: { original: 'Autorité centrale (test)', originalLanguage: 'fr', en: 'Central authority (test)' },
  kind: 'ministry-of-justice',
  address: { lines: ['1 rue de l’Exemple'], city: 'Paris', country: 'FRA' },
  phones: [{ number: '+442079460999' }],
  emails: ['central@justice.fr.example'],
  website: 'https://justice.fr.example/',
  officeHours: { timeZone: 'Europe/Paris', days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00' },
  languages: ['fr', 'en'],
  channels: ['email', 'post'],
  urgent: { accepted: true, means: ['email'] },
});

/** The validation errors Mongoose reports for an authority, by path. */
async function problems(overrides: Record<string, unknown>): Promise<string[]> {
  try {
    await new AuthorityModel({ ...validAuthority(), ...overrides }).validate();
    return [];
  } catch (error) {
    return Object.keys((error as { errors: Record<string, unknown> }).errors);
  }
}

describe('authority model', () => {
  useTestDatabase({ seed: false });

  it('when every field is valid, then it saves and reads back', async () => {
    const saved = await AuthorityModel.create(validAuthority());
    const read = await AuthorityModel.findById(saved._id).lean();
    expect(read?.phones[0]?.number).toBe('+442079460999');
    expect(read?.officeHours?.timeZone).toBe('Europe/Paris');
  });

  it.each([
    ['a phone not in E.164', { phones: [{ number: '020 7946 0999' }] }, 'phones.0.number'],
    ['a phone with an impossible number', { phones: [{ number: '+4412' }] }, 'phones.0.number'],
    ['a fax not in E.164', { fax: [{ number: 'fax me' }] }, 'fax.0.number'],
    ['a bad e-mail', { emails: ['not-an-email'] }, 'emails'],
    ['a web site that is not http(s)', { website: 'javascript:alert(1)' }, 'website'],
    ['an unknown time zone', { officeHours: { timeZone: 'Mars/Olympus', days: [1], opens: '09:00', closes: '17:00' } }, 'officeHours.timeZone'],
    ['a bad opening time', { officeHours: { timeZone: 'Europe/Paris', days: [1], opens: '9am', closes: '17:00' } }, 'officeHours.opens'],
    ['a weekday out of range', { officeHours: { timeZone: 'Europe/Paris', days: [8], opens: '09:00', closes: '17:00' } }, 'officeHours.days'],
    ['an unknown language code', { languages: ['xx'] }, 'languages'],
    ['an unknown channel', { channels: ['pigeon'] }, 'channels.0'],
    ['no designation', { designations: [] }, 'designations'],
    ['a lower-case State code', { state: 'fra' }, 'state'],
  ])('when an authority has %s, then validation names that field', async (_case, overrides, field) => {
    expect(await problems(overrides)).toContain(field);
  });
});

describe('state model', () => {
  useTestDatabase({ seed: false });

  it('when two States share a code, then the second is refused', async () => {
    const names = { ar: 'س', zh: '测', en: 'Testland', fr: 'Testland', ru: 'Тест', es: 'Testlandia' };
    await ensureIndexes();
    await StateModel.create({ code: 'TST', kind: 'member', names, region: 'WEOG' });
    await expect(StateModel.create({ code: 'TST', kind: 'member', names, region: 'WEOG' })).rejects.toMatchObject({ code: 11000 });
  });

  it('when a State lacks a name in one of the six languages, then it is refused', async () => {
    const names = { ar: 'س', zh: '测', en: 'Testland', fr: 'Testland', ru: 'Тест' };
    await expect(StateModel.create({ code: 'TSU', kind: 'member', names, region: 'WEOG' })).rejects.toThrow(/names\.es/);
  });
});
