import { UserModel } from '../../src/accounts/user.model';
import { invalidateDirectory } from '../../src/directory/directory-cache';
import { StateModel } from '../../src/directory/directory.models';
import { listStates } from '../../src/directory/directory.service';
import type { SecondaryContact, UnLanguage } from '../../src/directory/directory.types';
import type { ReminderJobDependencies } from '../../src/reminders/reminder-worker';
import type { Mailer } from '../../src/shared/mail';
import { createTestUser, type TestUser } from '../helpers/accounts';

/** What reminder tests share: focal points in a given language, job dependencies, links found in mails. */

export const TEST_SECRET = 'test-cookie-secret-0123456789';

export function jobDependencies(mailer: Mailer): ReminderJobDependencies {
  return { mailer, publicUrl: 'http://localhost', secret: TEST_SECRET };
}

/** A focal point of `states` who reads e-mail in `language`. */
export async function createFocalPoint(states: string[], language: UnLanguage = 'en'): Promise<TestUser> {
  const created = await createTestUser({ role: 'focal-point', states });
  await UserModel.updateOne({ _id: created.user.id }, { $set: { language } });
  return { ...created, user: { ...created.user, language } };
}

/** Codes of States in the seeded directory, in a stable order. */
export async function stateCodes(): Promise<string[]> {
  return (await listStates({}, 'en')).map((state) => state.code).sort();
}

export async function setSecondaryContacts(code: string, contacts: SecondaryContact[]): Promise<void> {
  await StateModel.updateOne({ code }, { $set: { secondaryContacts: contacts } });
  invalidateDirectory();
}

/** The still-accurate link and the edit link in a reminder's text. */
export function linksIn(text: string): { confirm?: string; edit?: string } {
  return {
    confirm: /http:\/\/localhost(\/confirm\/[^\s]+)/.exec(text)?.[1],
    edit: /http:\/\/localhost(\/states\/[A-Z]{3}\/edit)/.exec(text)?.[1],
  };
}

/** A mailer that fails as told before passing messages on. */
export function flakyMailer(inner: Mailer, failures: number, error: Error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' })): Mailer & { calls: number } {
  const mailer = {
    calls: 0,
    async send(mail: Parameters<Mailer['send']>[0]) {
      mailer.calls += 1;
      if (mailer.calls <= failures) throw error;
      return inner.send(mail);
    },
  };
  return mailer;
}
