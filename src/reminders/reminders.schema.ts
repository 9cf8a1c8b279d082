import { z } from 'zod';
import { validators } from '../shared/validators';
import { UN_LANGUAGES } from '../directory/directory.types';
import { optionalParam } from '../shared/parse-input';
import { objectId } from '../shared/vocabulary';

/** Form fields come as strings; an empty choice counts as absent. Messages are keys of the reminders namespace. */
const count = (min: number, max: number) => optionalParam(z.coerce.number({ message: 'errors.number' }).int('errors.number').min(min, 'errors.number').max(max, 'errors.number'));

/** The new-campaign form (and its JSON twin): kind with its parameter, schedule, escalation. */
export const campaignForm = z
  .object({
    name: z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong').refine(validators.singleLine, 'errors.controlCharacters'),
    kind: z.enum(['all-focal-points', 'stale', 'missing-designation'], { message: 'errors.kind' }),
    months: count(1, 120),
    designation: optionalParam(z.string().trim().regex(/^[A-Z0-9]+(-[0-9A-Z]+)*$/, 'errors.designation')),
    startsAt: optionalParam(z.coerce.date({ message: 'errors.date' })),
    repeat: z.enum(['once', 'every'], { message: 'errors.repeat' }).default('once'),
    everyMonths: count(1, 60),
    escalateAfterDays: count(1, 365),
  })
  .superRefine((input, context) => {
    if (input.kind === 'stale' && input.months === undefined) context.addIssue({ code: 'custom', path: ['months'], message: 'errors.required' });
    if (input.kind === 'missing-designation' && !input.designation) context.addIssue({ code: 'custom', path: ['designation'], message: 'errors.required' });
    if (input.repeat === 'every' && input.everyMonths === undefined) context.addIssue({ code: 'custom', path: ['everyMonths'], message: 'errors.required' });
  });

export type CampaignInput = z.infer<typeof campaignForm>;

export const stateCodeParam = z.string().regex(/^[A-Z]{3}$/);
export const idParam = objectId();
/** `mailLang`, not `lang`: `?lang=` switches the interface language. */
export const previewQuery = z.object({ mailLang: optionalParam(z.enum(UN_LANGUAGES)) });
