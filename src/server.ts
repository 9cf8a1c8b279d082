import type { Server } from 'node:http';
import { createApp } from './app';
import { scheduleTokenCleanup } from './accounts/one-time-tokens';
import { scheduleSessionCleanup } from './accounts/session';
import { scheduleAttemptCleanup } from './accounts/sign-in-throttle';
import { loadConfig } from './config';
import { connectDatabase } from './shared/database/connection';
import { logger } from './shared/logger';
import { announceDemoAccounts, retireDemoAccounts, seedIfEmpty } from './seeding/seed.service';
import { prepareDatabase } from './setup';
import { startReminderJobs } from './reminders/reminder-worker';
import { createMailer } from './shared/mail';

/** Starts the Directory: configuration, database (embedded if none is configured), first-run seed, HTTP. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await connectDatabase(config);
  await prepareDatabase();
  if (config.DIRECTORY_MODE === 'sample') {
    logger.warn({ mode: 'sample' }, 'Sample mode: fictitious data and demonstration accounts; not for a real Directory (set DIRECTORY_MODE=production)');
  }
  const seeded = await seedIfEmpty({ sample: config.DIRECTORY_MODE === 'sample' });
  if (seeded) announceDemoAccounts(seeded.demoAccounts);
  if (config.DIRECTORY_MODE === 'production') await retireDemoAccounts();
  const app = createApp(config);
  scheduleTokenCleanup();
  scheduleSessionCleanup();
  scheduleAttemptCleanup();
  startReminderJobs({ mailer: createMailer(config), publicUrl: config.PUBLIC_URL, secret: config.COOKIE_SECRET });
  const server: Server = app.listen(config.PORT, config.HOST, () => {
    logger.info({ url: `http://${config.HOST}:${config.PORT}/`, mode: config.DIRECTORY_MODE, database: database.engine }, 'Directory listening');
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'Directory failed to start');
  process.exit(1);
});
