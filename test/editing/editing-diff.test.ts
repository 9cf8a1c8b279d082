import { readableValue, type ValueWords } from '../../src/editing/editing.presenter';
import { changedPaths, diffField, diffTokens, displayLines, valueAt } from '../../src/editing/editing.diff';

describe('comparing versions of an entry', () => {
  it('when nested values change, then the paths name the leaf fields, and lists change as a whole', () => {
    const before = { name: { en: 'A', original: 'A' }, emails: ['a@x.example'], website: undefined };
    const after = { name: { en: 'B', original: 'A' }, emails: ['a@x.example', 'b@x.example'], website: 'https://x.example/' };
    expect(changedPaths(before, after).sort()).toEqual(['emails', 'name.en', 'website']);
  });

  it('when a value goes from absent to empty, then nothing is reported', () => {
    expect(changedPaths({ notes: undefined, phones: [] }, { notes: '', phones: undefined })).toEqual([]);
  });

  it('when an entry is created, then every filled field is reported', () => {
    expect(changedPaths(null, { kind: 'court', phones: [], name: { en: 'X' } }).sort()).toEqual(['kind', 'name.en']);
  });

  it('when a value is read by path, then nested objects and lists are followed', () => {
    expect(valueAt({ a: { b: [{ c: 1 }] } }, 'a.b.0.c')).toBe(1);
    expect(valueAt({ a: 1 }, 'a.b')).toBeUndefined();
  });

  it('when two token lists differ, then the common parts stay and the rest is deleted or inserted', () => {
    expect(diffTokens(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'del', text: 'b' },
      { kind: 'ins', text: 'x' },
      { kind: 'same', text: 'c' },
    ]);
  });

  it('when a one-line text changes, then the changed words are marked as one phrase', () => {
    const diff = diffField('name.en', 'Ministry of Justice (sample)', 'Ministry of Justice, renamed (sample)');
    expect(diff.mode).toBe('words');
    expect(diff.parts).toEqual([
      { kind: 'same', text: 'Ministry of' },
      { kind: 'del', text: ' Justice' },
      { kind: 'ins', text: ' Justice, renamed' },
      { kind: 'same', text: ' (sample)' },
    ]);
  });

  it('when a list of phones changes, then each phone is a line', () => {
    expect(displayLines([{ number: '+442079460100', label: 'Desk' }])).toEqual(['+442079460100 · Desk']);
    const diff = diffField('phones', [{ number: '+1' }, { number: '+2' }], [{ number: '+2' }]);
    expect(diff).toEqual({ field: 'phones', mode: 'lines', parts: [{ kind: 'del', text: '+1' }, { kind: 'same', text: '+2' }] });
  });
});

describe('stored values in words, for the history page', () => {
  const words: ValueWords = {
    t: (key) => ({ 'console:yes': 'Yes', 'console:no': 'No', 'channel.diplomatic': 'Diplomatic channel', 'urgentMeans.oral': 'orally (telephone)', 'treatySubject.other': 'Other', 'kind.ministry-of-justice': 'Ministry of justice' })[key] ?? `?${key}`,
    languageName: (code) => ({ fr: 'French', es: 'Spanish' })[code] ?? `?${code}`,
    designationTitle: (code) => ({ 'UNTOC-17': 'Central authority for the transfer of sentenced persons' })[code] ?? `?${code}`,
    stateName: (code) => ({ RUS: 'Russian Federation' })[code] ?? `?${code}`,
    weekday: (day) => ['', 'Monday', 'Tuesday'][day] ?? `?${day}`,
  };

  it('when a field holds codes, then each is shown by its title, label or name', () => {
    expect(readableValue('designations', ['UNTOC-17'], words)).toEqual(['Central authority for the transfer of sentenced persons']);
    expect(readableValue('channels', ['diplomatic'], words)).toEqual(['Diplomatic channel']);
    expect(readableValue('kind', 'ministry-of-justice', words)).toBe('Ministry of justice');
    expect(readableValue('languages', ['fr', 'es'], words)).toEqual(['French', 'Spanish']);
    expect(readableValue('urgent', { accepted: false, means: ['oral'], notes: 'Call first' }, words)).toEqual({ accepted: 'No', means: ['orally (telephone)'], notes: 'Call first' });
    expect(readableValue('officeHours.days', [1, 2], words)).toEqual(['Monday', 'Tuesday']);
    expect(readableValue('treaties', [{ title: 'Treaty', subject: 'other', otherParties: ['RUS'] }], words)).toEqual([{ title: 'Treaty', subject: 'Other', otherParties: ['Russian Federation'] }]);
  });

  it('when a field is free text, then it is shown as written', () => {
    expect(readableValue('name.en', 'Ministry of Justice', words)).toBe('Ministry of Justice');
    expect(readableValue('emails', ['a@b.example'], words)).toEqual(['a@b.example']);
  });
});
