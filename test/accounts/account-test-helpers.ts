import type { ParsedMail } from 'mailparser';
import type request from 'supertest';
import { csrfTokenIn } from '../helpers/accounts';

/** The path of the Directory link in a message (PUBLIC_URL is http://localhost in tests). */
export function linkIn(mail: ParsedMail): string {
  const match = /http:\/\/localhost(\/(?:password\/reset|invitations)\/[A-Za-z0-9_-]{43})/.exec(mail.text ?? '');
  if (!match?.[1]) throw new Error(`no Directory link in the message:\n${mail.text ?? ''}`);
  return match[1];
}

/** A form body as a browser sends it: repeated names for a multiple choice (superagent would write states[0]=...). */
export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

/** Loads a page with a form, then posts the form with that page's CSRF token. */
export async function submitForm(agent: request.Agent, pagePath: string, action: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(pagePath);
  return agent
    .post(action)
    .type('form')
    .send(formBody({ ...fields, _csrf: csrfTokenIn(page.text) }));
}

/** Waits until `address` has received `count` messages. */
export async function mailsTo(smtp: { to(address: string): ParsedMail[]; waitForMessages(count: number, timeoutMs?: number): Promise<ParsedMail[]>; messages: ParsedMail[] }, address: string, count = 1, timeoutMs = 10_000): Promise<ParsedMail[]> {
  const deadline = Date.now() + timeoutMs;
  while (smtp.to(address).length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} messages to ${address}, got ${smtp.to(address).length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return smtp.to(address);
}
