import request from 'supertest';
import { findState } from '../../src/editing/editing.repository';
import { optionalSectionInput, parseEditingInput } from '../../src/editing/editing.schema';
import { ValidationError } from '../../src/shared/errors';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { checkingRequests, expectOnlyDocumentedRequests, openApiErrors } from '../helpers/openapi-validator';
import { apiToken, editor, formFields, postPairs, withValues } from './editing-helpers';

/** The messages a refused optional section gives, by field. */
function refusal(input: Record<string, unknown>): Record<string, string> {
  try {
    parseEditingInput(optionalSectionInput, { laws: [], treaties: [], ...input });
  } catch (error) {
    if (error instanceof ValidationError) return error.fields ?? {};
    throw error;
  }
  throw new Error('the input was accepted');
}

describe('structured requirements: the input rules', () => {
  it('when a form posts them as text, then they are read as codes, answers and a number, and a kind left blank is not stated', () => {
    const parsed = parseEditingInput(optionalSectionInput, {
      laws: [],
      treaties: [],
      structuredRequirements: {
        mla: {
          requestLanguages: 'ES, en',
          attachmentLanguages: '',
          translationRequired: 'yes',
          formalChannels: 'diplomatic',
          advanceCopyByEmail: 'yes',
          originalWithinDays: ' 30 ',
          dualCriminality: 'unknown',
          authentication: 'apostille',
          legalBases: ['treaty', 'untoc', 'treaty'],
        },
        extradition: { requestLanguages: ' ', attachmentLanguages: '', translationRequired: '', advanceCopyByEmail: '', originalWithinDays: '', dualCriminality: '', authentication: '' },
      },
    });
    expect(parsed.structuredRequirements).toEqual({
      mla: {
        requestLanguages: ['es', 'en'],
        attachmentLanguages: [],
        translationRequired: true,
        formalChannels: ['diplomatic'],
        advanceCopyByEmail: true,
        originalWithinDays: 30,
        dualCriminality: 'unknown',
        authentication: 'apostille',
        legalBases: ['treaty', 'untoc'],
      },
    });
  });

  it('when nothing is stated for any kind of request, then the section holds no structured requirements', () => {
    expect(parseEditingInput(optionalSectionInput, { laws: [], treaties: [] }).structuredRequirements).toBeUndefined();
    expect(parseEditingInput(optionalSectionInput, { laws: [], treaties: [], structuredRequirements: { transfer: { formalChannels: [] } } }).structuredRequirements).toBeUndefined();
  });

  it('when a JSON client says no, then no is kept: it is a stated fact', () => {
    const parsed = parseEditingInput(optionalSectionInput, { laws: [], treaties: [], structuredRequirements: { transfer: { advanceCopyByEmail: false, translationRequired: false } } });
    expect(parsed.structuredRequirements?.transfer).toMatchObject({ advanceCopyByEmail: false, translationRequired: false });
  });

  it.each([['thirty'], ['0'], [0], [366], [2.5], ['-3']])('when the delay for the original is %p, then it is refused with the range', (days) => {
    expect(refusal({ structuredRequirements: { mla: { advanceCopyByEmail: true, originalWithinDays: days } } })).toEqual({ 'structuredRequirements.mla.originalWithinDays': 'days|365' });
  });

  it('when a delay is given without an advance copy by e-mail, or with a wrong language, channel or answer, then each is refused at its field', () => {
    expect(refusal({ structuredRequirements: { extradition: { originalWithinDays: '40', advanceCopyByEmail: 'no' } } })).toEqual({
      'structuredRequirements.extradition.originalWithinDays': 'originalWithoutAdvanceCopy',
    });
    expect(
      refusal({
        structuredRequirements: {
          mla: { requestLanguages: 'fr, klingon', formalChannels: ['post', 'pigeon'], dualCriminality: 'sometimes', authentication: 'notarised', legalBases: 'custom', colour: 'blue' },
        },
      }),
    ).toEqual({
      'structuredRequirements.mla.requestLanguages': 'languages|klingon',
      'structuredRequirements.mla.formalChannels': 'choose',
      'structuredRequirements.mla.dualCriminality': 'choose',
      'structuredRequirements.mla.authentication': 'choose',
      'structuredRequirements.mla.legalBases': 'choose',
      'structuredRequirements.mla.colour': 'unknownField',
    });
  });
});

describe('structured requirements: the focal point’s form and the API', () => {
  useTestDatabase();
  const app = checkingRequests(testApp());
  expectOnlyDocumentedRequests(app);
  const form = '/states/FRA/optional/edit';
  const name = (topic: string, field: string) => `structuredRequirements[${topic}][${field}]`;

  it('when the form is opened, then each kind of request has its fieldset, filled in with what is stored', async () => {
    const { agent } = await editor(app, 'focal-point', ['FRA']);
    const html = page((await agent.get(form)).text);
    expect(html.texts('fieldset.structured-requirements > legend')).toEqual([
      'Requirements for mutual legal assistance',
      'Requirements for extradition',
      'Requirements for transfer of sentenced persons',
    ]);
    expect(html.chosen(name('mla', 'formalChannels'))).toEqual(['post', 'direct-judicial']);
    expect(html.field(name('extradition', 'originalWithinDays'))).toBe('40');
    expect(html.field(name('extradition', 'requestLanguages'))).toBe('fr');
    expect(html.field(name('extradition', 'authentication'))).toBe('certification');
    expect(html.field(name('transfer', 'advanceCopyByEmail'))).toBe('');
    expect(html.options(name('mla', 'dualCriminality'))).toEqual(['', 'yes', 'no', 'unknown']);
  });

  it('when the form is saved with mistakes, then 422 keeps what was typed with a message at each field; corrected, it is stored and in the history', async () => {
    const { agent } = await editor(app, 'focal-point', ['FRA']);
    const bad = await postPairs(
      agent,
      form,
      withValues(formFields((await agent.get(form)).text, form), {
        [name('mla', 'originalWithinDays')]: 'thirty',
        [name('extradition', 'advanceCopyByEmail')]: '',
        [name('transfer', 'requestLanguages')]: 'fr, klingon',
        [name('transfer', 'formalChannels')]: 'post',
      }),
    );
    expect(bad.status).toBe(422);
    const refused = page(bad.text);
    const fields = ['structuredRequirements.mla.originalWithinDays', 'structuredRequirements.extradition.originalWithinDays', 'structuredRequirements.transfer.requestLanguages'];
    expect(refused.errorSummaryFields()).toEqual(expect.arrayContaining(fields));
    expect(refused.fieldErrors()).toEqual(expect.arrayContaining(fields));
    expect(refused.fieldError('structuredRequirements.mla.originalWithinDays')).toBe('Enter a whole number of days from 1 to 365.');
    expect(refused.fieldError('structuredRequirements.extradition.originalWithinDays')).toBe('Give a delay for the original only when an advance copy by e-mail is accepted.');
    expect(refused.text('.error-summary')).toContain('Requirements as a checklist › mutual legal assistance › original within (days)');
    expect(refused.field(name('mla', 'originalWithinDays'))).toBe('thirty');
    expect(refused.field(name('transfer', 'requestLanguages'))).toBe('fr, klingon');
    expect(refused.chosen(name('transfer', 'formalChannels'))).toEqual(['post']);
    expect((await findState('FRA'))!.optional.structuredRequirements?.transfer).toBeUndefined();

    const good = await postPairs(
      agent,
      form,
      withValues(formFields(bad.text, form), {
        [name('mla', 'originalWithinDays')]: '21',
        [name('extradition', 'advanceCopyByEmail')]: 'yes',
        [name('transfer', 'requestLanguages')]: 'fr, en',
      }),
    );
    expect(good.status).toBe(303);
    const stored = (await findState('FRA'))!.optional.structuredRequirements!;
    expect(stored.mla?.originalWithinDays).toBe(21);
    expect(stored.transfer).toEqual({ requestLanguages: ['fr', 'en'], attachmentLanguages: [], formalChannels: ['post'], legalBases: [] });
    const history = page((await agent.get('/states/FRA/history')).text);
    expect(history.texts('.revision').at(0)).toContain('Requirements, laws and treaties › Requirements as a checklist › transfer of sentenced persons › languages of the request');
    expect(history.texts('.revision').at(0)).toContain('French');
  });

  it('when the API replaces the section with structured requirements, then they are read back, validated and version-checked', async () => {
    const { token } = await apiToken('focal-point', ['FRA']);
    const call = async (method: 'get' | 'put', path: '/states/{code}' | '/states/{code}/optional' | '/find', url: string, body?: object) => {
      const req = request(app)[method](`/api/v1${url}`).set('Authorization', `Bearer ${token}`);
      const res = body ? await req.send(body) : await req;
      expect({ url, errors: openApiErrors(res, path, method) }).toEqual({ url, errors: [] });
      return res;
    };
    const read = (await call('get', '/states/{code}', '/states/FRA')).body.data;
    expect(read.optional.structuredRequirements.extradition).toMatchObject({ formalChannels: ['diplomatic'], originalWithinDays: 40, authentication: 'certification' });
    const transfer = { requestLanguages: ['fr'], formalChannels: ['email'], advanceCopyByEmail: true, legalBases: ['reciprocity'] };
    const saved = await call('put', '/states/{code}/optional', '/states/FRA/optional', {
      ...read.optional,
      structuredRequirements: { ...read.optional.structuredRequirements, transfer },
      version: read.version,
    });
    expect(saved.status).toBe(200);
    expect(saved.headers.etag).toBe(`"${read.version + 1}"`);
    const expected = { ...transfer, attachmentLanguages: [] };
    expect((await call('get', '/states/{code}', '/states/FRA')).body.data.optional.structuredRequirements.transfer).toEqual(expected);
    expect((await call('get', '/find', '/find?to=FRA&need=transfer')).body.data.structuredRequirements).toEqual(expected);

    const invalid = await call('put', '/states/{code}/optional', '/states/FRA/optional', {
      ...read.optional,
      structuredRequirements: { mla: { advanceCopyByEmail: true, originalWithinDays: 0, formalChannels: ['pigeon'] } },
      version: read.version + 1,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields).toEqual({
      'structuredRequirements.mla.originalWithinDays': 'Enter a whole number of days from 1 to 365.',
      'structuredRequirements.mla.formalChannels': 'Choose one of the options.',
    });
    const stale = await call('put', '/states/{code}/optional', '/states/FRA/optional', { ...read.optional, version: read.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.changes.map((change: { field: string }) => change.field)).toContain('optional.structuredRequirements.transfer.formalChannels');
    expect((await findState('FRA'))!.version).toBe(read.version + 1);
  });
});
