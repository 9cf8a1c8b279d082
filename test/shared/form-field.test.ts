import { formField } from '../../src/shared/forms/form-field';

describe('form field', () => {
  it('when a field is a dotted path, then it posts as rows and its id and message follow the path', () => {
    const field = formField({ name: 'phones.0.number', hint: 'With the country code', values: { phones: [{ number: '+33 1' }] }, errors: { 'phones.0.number': 'Enter a number' } });
    expect(field).toEqual({
      id: 'f-phones.0.number',
      name: 'phones[0][number]',
      value: '+33 1',
      chosen: ['+33 1'],
      error: 'Enter a number',
      hint: 'With the country code',
      describedBy: 'f-phones.0.number-hint f-phones.0.number-error',
    });
  });

  it('when an id is given, then the message is read at the id and the value at the name', () => {
    const field = formField({ name: 'names.en', id: 'names-en', values: { names: { en: 'France' } }, errors: { 'names-en': 'Too long' } });
    expect([field.id, field.name, field.value, field.error, field.describedBy]).toEqual(['f-names-en', 'names[en]', 'France', 'Too long', 'f-names-en-error']);
  });

  it('when a value and an error are given, then they win over the page values, and a list shows one item a line', () => {
    expect(formField({ name: 'password', value: '', values: { password: 'secret' } }).value).toBe('');
    expect(formField({ name: 'code', error: 'Wrong code', errors: { code: 'other' } }).error).toBe('Wrong code');
    const list = formField({ name: 'channels', values: { channels: ['email', 'post'] } });
    expect([list.value, list.chosen, list.describedBy]).toEqual(['email\npost', ['email', 'post'], '']);
    expect(formField({ name: 'missing' })).toMatchObject({ value: '', chosen: [], error: '', hint: '' });
  });
});
