import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import request from 'supertest';
import { createApiToken } from '../../src/accounts/api-tokens.service';
import { findAuthoritiesOfState } from '../../src/editing/editing.repository';
import type { Authority } from '../../src/directory/directory.types';
import type { Role } from '../../src/shared/viewer';
import { createTestUser, signedInAgent, type TestUser } from '../helpers/accounts';
import { page } from '../helpers/html';

/** What editing tests share: browser-like form submission, signed-in editors and API tokens. */

/** The name-value pairs a browser would submit from the form posting to `action`: hidden fields, texts, ticked boxes, chosen options. */
export function formFields(html: string, action: string): Array<[string, string]> {
  const { $ } = page(html);
  const form = $('form')
    .filter((_, el) => el.attribs['action'] === action)
    .first();
  if (form.length === 0) throw new Error(`no form posting to ${action}`);
  const pairs: Array<[string, string]> = [];
  for (const el of form.find('input, textarea, select').toArray()) {
    const control = $(el);
    const name = control.attr('name');
    if (!name || control.attr('disabled') !== undefined) continue;
    if (el.tagName === 'input') {
      const type = control.attr('type') ?? 'text';
      if (type === 'submit' || type === 'button') continue;
      if ((type === 'checkbox' || type === 'radio') && control.attr('checked') === undefined) continue;
      pairs.push([name, control.attr('value') ?? (type === 'checkbox' ? 'on' : '')]);
    } else if (el.tagName === 'textarea') {
      pairs.push([name, control.text()]);
    } else {
      const options = control.find('option');
      const selected = options.filter('[selected]').toArray();
      const chosen = control.attr('multiple') !== undefined ? selected : [selected[0] ?? options.get(0)].filter((option) => option !== undefined);
      for (const option of chosen) pairs.push([name, $(option).attr('value') ?? $(option).text()]);
    }
  }
  return pairs;
}

/** The form's fields with some values changed (or added); `null` removes a field (an unticked box). */
export function withValues(pairs: Array<[string, string]>, changes: Record<string, string | null>): Array<[string, string]> {
  const result = pairs.filter(([name]) => !(name in changes) || changes[name] !== null).map(([name, value]): [string, string] => [name, name in changes ? changes[name]! : value]);
  for (const [name, value] of Object.entries(changes)) if (value !== null && !pairs.some(([existing]) => existing === name)) result.push([name, value]);
  return result;
}

/** Opens a page, fills its form as a person would, and submits it. */
export async function submitForm(agent: request.Agent, path: string, action: string, changes: Record<string, string | null> = {}) {
  const form = await agent.get(path);
  if (form.status !== 200) throw new Error(`${path} answered ${form.status}`);
  return postPairs(agent, action, withValues(formFields(form.text, action), changes));
}

export function postPairs(agent: request.Agent | ReturnType<typeof request>, action: string, pairs: Array<[string, string]>) {
  return (agent as request.Agent).post(action).type('form').send(new URLSearchParams(pairs).toString());
}

/** A user of the given role, signed in through the real forms. */
export async function editor(app: Express | RequestListener, role: Role, states: string[] = []): Promise<{ agent: request.Agent; user: TestUser }> {
  const user = await createTestUser({ role, states });
  return { agent: await signedInAgent(app, user), user };
}

/** A personal API token of a new user of the given role. */
export async function apiToken(role: Role, states: string[] = []): Promise<{ token: string; user: TestUser }> {
  const user = await createTestUser({ role, states });
  const { token } = await createApiToken(user.user, { name: 'editing tests' });
  return { token, user };
}

/** An authority of the State as stored now, by the start of its English name (or the first). */
export async function authorityOf(state: string, name?: string): Promise<Authority> {
  const authorities = await findAuthoritiesOfState(state);
  const found = name ? authorities.find((authority) => authority.name.en.startsWith(name)) : authorities[0];
  if (!found) throw new Error(`no authority ${name ?? ''} in ${state}`);
  return found;
}

/** Today's date as the public page writes it, e.g. "23 November 2026". */
export function todayAsShown(): string {
  return new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date());
}

/** An authority of the State as stored now (by the start of its English name) and the address of its edit form. */
export async function authorityEditPage(state: string, name: string): Promise<{ authority: Authority; page: string }> {
  const authority = await authorityOf(state, name);
  return { authority, page: `/states/${state}/authorities/${authority.id}/edit` };
}

/** A focal point of the States, signed in before the suite's first test: read its agent inside the tests. */
export function focalPointOf(app: Express | RequestListener, states: string[]): { agent: request.Agent; user: TestUser } {
  const focal = {} as { agent: request.Agent; user: TestUser };
  beforeAll(async () => {
    Object.assign(focal, await editor(app, 'focal-point', states));
  });
  return focal;
}
