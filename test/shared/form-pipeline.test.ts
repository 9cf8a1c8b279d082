import type { Request } from 'express';
import { z } from 'zod';
import { ConflictError, NotFoundError, TooManyRequestsError, UnauthorizedError, ValidationError } from '../../src/shared/errors';
import { blankToUndefined, isBlank, listOf, rows } from '../../src/shared/forms/form-body';
import { errorSummary, formFailure, localizeMessage } from '../../src/shared/forms/form-errors';
import { parseInput } from '../../src/shared/parse-input';

/** A translator that shows which key and options it was asked for. */
const t = (key: string, options?: Record<string, unknown>) => `${key}${options?.count !== undefined ? `#${String(options.count)}` : ''}`;
const req = { t } as unknown as Request;

describe('form body', () => {
  it('when a list is posted as one value, rows keyed by index or nothing, then it becomes an array in order', () => {
    expect(listOf('a')).toEqual(['a']);
    expect(listOf({ 1: 'b', 0: 'a', 10: 'c' })).toEqual(['a', 'b', 'c']);
    expect(listOf('')).toEqual([]);
    expect(listOf(['x'])).toEqual(['x']);
  });

  it('when a field or a row is blank, then it counts as absent', () => {
    expect(blankToUndefined('  ')).toBeUndefined();
    expect(blankToUndefined('x')).toBe('x');
    expect(isBlank({ name: ' ', email: [''] })).toBe(true);
    expect(isBlank({ name: ' ', email: ['a'] })).toBe(false);
  });

  it('when rows are posted with spare blank rows, then they are dropped and the bad row keeps its index', () => {
    const schema = z.object({ people: rows(z.object({ name: z.string().min(1, 'errors.required') }), 3) });
    expect(schema.parse({ people: { 0: { name: 'A' }, 1: { name: '' } } })).toEqual({ people: [{ name: 'A' }] });
    expect(() => parseInput(schema, { people: { 0: { name: 'A' }, 1: { name: 'B' }, 2: { name: 'C' }, 3: { name: 'D' } } })).toThrow(ValidationError);
    try {
      parseInput(schema, { people: [{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }] });
    } catch (error) {
      expect((error as ValidationError).fields).toEqual({ people: 'errors.tooMany' });
    }
  });
});

describe('form errors', () => {
  it('when a message is a key with a parameter, then the reader gets its translation with the count; plain text stays as it is', () => {
    expect(localizeMessage(t, 'editing:invalid.', 'tooLong|300')).toBe('editing:invalid.tooLong#300');
    expect(localizeMessage(t, 'console:', 'errors.required')).toBe('console:errors.required');
    expect(localizeMessage(t, 'console:', 'Someone saved first.')).toBe('Someone saved first.');
  });

  it('when a form is refused, then each field gets its translated message at its id, with 422', () => {
    const failure = formFailure(req, new ValidationError({ 'states.2': 'errors.stateUnknown', _: 'errors.tooMany' }), { prefix: 'accounts:', fieldOf: (path) => path.split('.')[0]! });
    expect(failure).toEqual({ status: 422, errors: { states: 'accounts:errors.stateUnknown', _form: 'accounts:errors.tooMany' } });
  });

  it('when sign-in is refused or locked, then the message for the whole form is translated, with its status', () => {
    expect(formFailure(req, new UnauthorizedError('x', 'invalid_credentials'), { prefix: 'accounts:' })).toEqual({ status: 401, errors: { _form: 'accounts:errors.signIn.credentials' } });
    expect(formFailure(req, new TooManyRequestsError('x', 125), { prefix: 'accounts:' })).toEqual({ status: 429, errors: { _form: 'accounts:errors.signIn.locked#3' } });
    expect(formFailure(req, new ConflictError('Changed meanwhile'), { prefix: 'console:' }).status).toBe(409);
  });

  it('when the error is not a form refusal, then it goes on to the error middleware', () => {
    expect(() => formFailure(req, new NotFoundError(), { prefix: 'console:' })).toThrow(NotFoundError);
  });

  it('when a summary is built, then each field links to its id with its label, and the whole-form message has no link', () => {
    expect(errorSummary({ email: 'Enter an e-mail address.', _form: 'Try again.' }, { email: 'E-mail' })).toEqual([
      { href: '#f-email', text: 'E-mail: Enter an e-mail address.' },
      { text: 'Try again.' },
    ]);
  });
});
