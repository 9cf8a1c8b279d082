import { z } from 'zod';
import { AUTHORITY_FIELD_NAMES } from '../../src/directory/directory.types';
import { authorityInput, derivedInputRule, parseEditingInput } from '../../src/editing/editing.schema';
import { ValidationError } from '../../src/shared/errors';

const fieldErrors = (rule: z.ZodType, value: unknown): Record<string, string> => {
  try {
    parseEditingInput(z.strictObject({ field: rule }), { field: value });
  } catch (error) {
    if (error instanceof ValidationError) return error.fields ?? {};
    throw error;
  }
  return {};
};
const parsed = (rule: z.ZodType, value: unknown): unknown => (parseEditingInput(z.strictObject({ field: rule }), { field: value }) as { field?: unknown }).field;

describe('the input rule derived from a stored authority field', () => {
  it('when every stored field of an authority is listed, then the editing input has a rule for each and for nothing else', () => {
    expect(Object.keys(authorityInput.shape).sort()).toEqual([...AUTHORITY_FIELD_NAMES].sort());
  });

  it('when a stored text is optional, then a blank is left out, spaces are trimmed and its own maximum holds', () => {
    const rule = derivedInputRule('reference', z.string().max(10).optional());
    expect(parsed(rule, '   ')).toBeUndefined();
    expect(parsed(rule, '  MJ/2026 ')).toBe('MJ/2026');
    expect(fieldErrors(rule, 'x'.repeat(11))).toEqual({ field: 'tooLong|10' });
    expect(fieldErrors(rule, 'two\nlines')).toEqual({ field: 'controlCharacters' });
  });

  it('when a stored text gives no maximum, then it takes at most 500 characters', () => {
    const rule = derivedInputRule('reference', z.string().optional());
    expect(parsed(rule, 'x'.repeat(500))).toHaveLength(500);
    expect(fieldErrors(rule, 'x'.repeat(501))).toEqual({ field: 'tooLong|500' });
  });

  it('when a stored text must not be empty, then a blank is refused; when it may be empty, a blank is stored empty', () => {
    expect(fieldErrors(derivedInputRule('title', z.string().min(1)), ' ')).toEqual({ field: 'required' });
    expect(parsed(derivedInputRule('title', z.string()), ' ')).toBe('');
  });

  it('when the stored field is a list of texts, a flag or a choice, then the form posts it as lines, a checkbox and one value', () => {
    expect(parsed(derivedInputRule('aliases', z.array(z.string())), 'one\r\n\r\n two ')).toEqual(['one', 'two']);
    expect(parsed(derivedInputRule('open', z.boolean()), 'on')).toBe(true);
    expect(parsed(derivedInputRule('open', z.boolean()), undefined)).toBe(false);
    const choice = derivedInputRule('size', z.enum(['small', 'large']).optional());
    expect(parsed(choice, '')).toBeUndefined();
    expect(parsed(choice, 'large')).toBe('large');
    expect(Object.keys(fieldErrors(choice, 'huge'))).toEqual(['field']);
  });

  it('when the stored field has a shape no rule is derived for, then loading says which field needs a rule of its own', () => {
    expect(() => derivedInputRule('hours', z.object({ opens: z.string() }))).toThrow('The authority field hours (a zod object) needs an input rule of its own');
  });
});
