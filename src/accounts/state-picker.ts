import { statesByRegion } from '../directory/directory.presenter';
import { listStates } from '../directory/directory.service';
import type { UnLanguage } from '../directory/directory.types';

/**
 * The State picker of the account forms (invitations, a user's States), searchable without
 * JavaScript: its "Find" button posts the form back with a filter, and the form returns with what
 * was typed kept and the list narrowed to the States the filter finds and those already chosen.
 */

/** The filter typed in the picker when its Find button sent the form; undefined when another button did. */
export function pickerFilterOf(body: unknown): string | undefined {
  const fields = (body ?? {}) as Record<string, unknown>;
  if (fields.findStates === undefined) return undefined;
  return typeof fields.stateFilter === 'string' ? fields.stateFilter.trim().slice(0, 100) : '';
}

/**
 * The picker's States by regional group: every State, or, with a filter, those the directory's
 * search finds by it (any of their names in the six languages, former and common names, code,
 * typing slips forgiven) with the chosen ones, so that narrowing never drops a choice.
 */
export async function pickerGroups(lang: UnLanguage, chosen: readonly string[], filter?: string) {
  const states = await listStates({}, lang);
  const found = filter ? new Set((await listStates({ q: filter }, lang)).map((state) => state.code)) : undefined;
  const shown = found ? states.filter((state) => found.has(state.code) || chosen.includes(state.code)) : states;
  return statesByRegion(shown.map((state) => ({ value: state.code, label: `${state.name} (${state.code})`, region: state.region })));
}
