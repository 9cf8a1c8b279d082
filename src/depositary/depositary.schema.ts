import { z } from 'zod';
import { INSTRUMENT_CODE_PATTERN } from '../directory/directory.types';
import { blankToUndefined } from '../shared/forms/form-body';
import { validators } from '../shared/validators';
import { STATE_CODE_PATTERN } from '../shared/vocabulary';

/**
 * The party-status form: the instrument, the depositary's table (pasted or uploaded), its source and
 * status date when the table does not carry them, and the officer's choice for rows the names did
 * not settle. Messages are keys of the `depositary` namespace (`errors.*`).
 */

/** The largest table taken, pasted or uploaded: every participant of an instrument fits in a tenth of it. */
export const TABLE_MAX_BYTES = 2 * 1024 * 1024;

const optionalLine = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max, 'errors.tooLong').refine(validators.singleLine, 'errors.controlCharacters').optional());

export const partyStatusForm = z.object({
  /** A code of the instrument catalogue (the service checks it is one). */
  instrument: z.preprocess(blankToUndefined, z.string({ error: 'errors.choice' }).regex(INSTRUMENT_CODE_PATTERN, 'errors.choice').optional()),
  content: z.string().max(TABLE_MAX_BYTES, 'errors.tooLong').optional().default(''),
  source: optionalLine(500),
  asOf: z.preprocess(blankToUndefined, z.string().trim().refine(validators.isoDate, 'errors.date').optional()),
  /** By the row's line: a State's code, or empty to leave the row out (a multipart form posts `choices[4]` as a sparse list). */
  choices: z.preprocess((value) => (Array.isArray(value) ? Object.fromEntries(Object.entries(value).filter(([, choice]) => choice !== undefined)) : (value ?? {})), z.record(z.string().regex(/^\d{1,6}$/), z.union([z.literal(''), z.string().regex(STATE_CODE_PATTERN, 'errors.choice')]))),
  action: z.preprocess((value) => (value === undefined || value === '' ? 'dry-run' : value), z.enum(['dry-run', 'commit'])),
});
export type PartyStatusForm = z.infer<typeof partyStatusForm>;
