import { randomBytes } from 'node:crypto';
import { hashPassword } from '../accounts/password';
import { accountExists, createDemoAccount } from '../accounts/user-admin.service';
import type { Role } from '../shared/viewer';

export const DEMO_ACCOUNTS: Array<{ email: string; name: string; role: Role; states: string[]; institution: string }> = [
  { email: 'secretariat@directory.example', name: 'Sam Secretariat (sample)', role: 'secretariat', states: [], institution: 'Secretariat (sample)' },
  { email: 'focal.fra@directory.example', name: 'Florence Focal (sample)', role: 'focal-point', states: ['FRA'], institution: 'Ministère de la Justice (exemple)' },
  { email: 'focal.rus@directory.example', name: 'Roman Focal (sample)', role: 'focal-point', states: ['RUS'], institution: 'Министерство юстиции (образец)' },
  { email: 'practitioner@directory.example', name: 'Pat Practitioner (sample)', role: 'practitioner', states: [], institution: 'Public prosecution service (sample)' },
];

export interface DemoAccountsCreated {
  emails: string[];
  /** Generated for this installation and never stored in clear: whoever started the Directory reads it once, in the log. */
  password?: string;
}

/**
 * Creates the demonstration accounts that are missing (sample mode only), all with one password
 * generated now: a published password would let the first visitor of any installation take the
 * secretariat's account (and enrol its second factor).
 */
export async function ensureDemoAccounts(): Promise<DemoAccountsCreated> {
  const missing = [];
  for (const account of DEMO_ACCOUNTS) if (!(await accountExists(account.email))) missing.push(account);
  if (missing.length === 0) return { emails: [] };
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  for (const account of missing) await createDemoAccount({ ...account, language: 'en', passwordHash });
  return { emails: missing.map((account) => account.email), password };
}
