import { ensureJournalCollections } from './shared/database/journal';
import { ensureOnceCollection } from './shared/database/once';
import { ensureUserIndexes } from './accounts/accounts.repository';
import { ensureAccountAdministrationIndexes } from './accounts/indexes';
import { ensureSessionCollection } from './accounts/session';
import { ensureAuditIndexes } from './audit/audit.service';
import { ensureIndexes as ensureDirectoryIndexes } from './directory/directory.repository';
import { ensureSnapshotCollection } from './directory/snapshot.repository';
import { ensureRevisionIndexes } from './editing/revision.repository';
import { ensureReminderIndexes } from './reminders/reminders.repository';
import { ensureReportIndexes } from './reports/reports.repository';
import { ensureFollowingIndexes } from './following/following.repository';

/**
 * Creates every collection and index, one after the other, before the app serves or writes:
 * FerretDB's SQLite backend can stall when collections are created while other writes run.
 */
export async function prepareDatabase(): Promise<void> {
  await ensureOnceCollection();
  await ensureJournalCollections();
  await ensureDirectoryIndexes();
  await ensureSnapshotCollection();
  await ensureUserIndexes();
  await ensureAccountAdministrationIndexes();
  await ensureAuditIndexes();
  await ensureRevisionIndexes();
  await ensureSessionCollection();
  await ensureReminderIndexes();
  await ensureReportIndexes();
  await ensureFollowingIndexes();
}
