import { ensureAccessRequestIndexes } from './access-requests.service';
import { ensureApiTokenIndexes } from './api-tokens.service';
import { ensureInvitationIndexes } from './invitations.service';
import { ensureTokenIndexes } from './one-time-tokens';
import { ensureSignInAttemptIndexes } from './sign-in-throttle';

/** The account-administration collections, created one after the other (see setup.ts for why). */
export async function ensureAccountAdministrationIndexes(): Promise<void> {
  await ensureTokenIndexes();
  await ensureAccessRequestIndexes();
  await ensureInvitationIndexes();
  await ensureApiTokenIndexes();
  await ensureSignInAttemptIndexes();
}
