import { findUserByEmail, insertUser } from '../accounts/accounts.repository';
import { hashPassword } from '../accounts/password';
import type { Role } from '../shared/viewer';

/** The password of every demonstration account; printed in the README, so never used in production. */
export const DEMO_PASSWORD = 'sample-password-2026';

export const DEMO_ACCOUNTS: Array<{ email: string; name: string; role: Role; states: string[]; institution: string }> = [
  { email: 'secretariat@directory.example', name: 'Sam Secretariat (sample)', role: 'secretariat', states: [], institution: 'Secretariat (sample)' },
  { email: 'focal.fra@directory.example', name: 'Florence Focal (sample)', role: 'focal-point', states: ['FRA'], institution: 'Ministère de la Justice (exemple)' },
  { email: 'focal.rus@directory.example', name: 'Roman Focal (sample)', role: 'focal-point', states: ['RUS'], institution: 'Министерство юстиции (образец)' },
  { email: 'practitioner@directory.example', name: 'Pat Practitioner (sample)', role: 'practitioner', states: [], institution: 'Public prosecution service (sample)' },
];

/** Creates the demonstration accounts that are missing (sample mode only). */
export async function ensureDemoAccounts(): Promise<number> {
  let created = 0;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const account of DEMO_ACCOUNTS) {
    if (await findUserByEmail(account.email)) continue;
    await insertUser({ ...account, language: 'en', passwordHash, sample: true });
    created += 1;
  }
  return created;
}
