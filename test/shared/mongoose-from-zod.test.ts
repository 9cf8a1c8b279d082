import mongoose, { Schema } from 'mongoose';
import { z } from 'zod';
import { AUTHORITY_FIELD_NAMES, authorityFields } from '../../src/directory/directory.types';
import { AuthorityModel } from '../../src/directory/directory.models';
import { mongooseDefinition, optionalFieldsOf } from '../../src/shared/database/mongoose-from-zod';

const shape = z.object({
  title: z.string().min(1),
  remark: z.string(),
  code: z.string().regex(/^[A-Z]{3}$/),
  note: z.string().optional(),
  kind: z.enum(['a', 'b']),
  tags: z.array(z.string().min(2)),
  choices: z.array(z.enum(['x', 'y'])),
  flag: z.boolean(),
  place: z.object({ city: z.string().min(1), zip: z.string().optional() }),
  hours: z.object({ opens: z.string().min(1) }).optional(),
  people: z.array(z.object({ name: z.string().min(1) })),
});
const Model = mongoose.model('ZodDerived', new Schema(mongooseDefinition(shape, { code: { index: true } })));

/** The paths Mongoose names in a validation error, or none. */
async function problems(document: Record<string, unknown>): Promise<string[]> {
  const error = new Model(document).validateSync();
  return error ? Object.keys(error.errors).sort() : [];
}

const valid = { title: 'T', code: 'ABC', kind: 'a', place: { city: 'Vienna' } };

describe('Mongoose definitions derived from zod schemas', () => {
  it('when a document has what the zod schema requires, then it passes, with lists empty, flags false and texts that may be empty empty by default', async () => {
    expect(await problems(valid)).toEqual([]);
    const document = new Model(valid).toObject() as Record<string, unknown>;
    expect(document).toMatchObject({ tags: [], choices: [], people: [], flag: false, remark: '' });
  });

  it('when fields are missing or break their zod checks, then each is named where the schema puts it', async () => {
    expect(await problems({ kind: 'c', code: 'abc', tags: ['ok', 'x'], choices: ['x', 'z'], place: {}, people: [{}], hours: {} })).toEqual([
      'choices.1',
      'code',
      'hours.opens',
      'kind',
      'people.0.name',
      'place.city',
      'tags',
      'title',
    ]);
  });

  it('when options only Mongoose knows are given, then they join the derived path, and an unknown path is refused', () => {
    expect(Model.schema.path('code').options).toMatchObject({ index: true, required: true });
    expect(() => mongooseDefinition(shape, { missing: { index: true } })).toThrow('missing is not a field');
  });

  it('when a zod type has no storage rule, then building the definition fails at once, naming the path', () => {
    expect(() => mongooseDefinition(z.object({ either: z.union([z.string(), z.number()]) }))).toThrow('at either');
  });

  it('when the authority model is built, then it has a path for every editable field and the optional ones are those zod lets be absent', () => {
    for (const field of AUTHORITY_FIELD_NAMES) expect({ field, known: AuthorityModel.schema.pathType(field) !== 'adhocOrUndefined' }).toEqual({ field, known: true });
    expect(optionalFieldsOf(authorityFields).sort()).toEqual(['contact247', 'designationDates', 'notes', 'officeHours', 'website']);
  });
});
