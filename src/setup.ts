import { ensureUserIndexes } from './accounts/accounts.repository';
import { ensureSessionCollection } from './accounts/session';
import { ensureAuditIndexes } from './audit/audit.service';
import { ensureIndexes as ensureDirectoryIndexes } from './directory/directory.repository';

/**
 * Creates every collection and index, one after the other, before the app serves or writes:
 * FerretDB's SQLite backend can stall when collections are created while other writes run.
 */
export async function prepareDatabase(): Promise<void> {
  await ensureDirectoryIndexes();
  await ensureUserIndexes();
  await ensureAuditIndexes();
  await ensureSessionCollection();
}
