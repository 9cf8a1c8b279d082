import { loadConfig } from '../config';
import { connectDatabase } from '../shared/database/connection';
import { logger } from '../shared/logger';
import { prepareDatabase } from '../setup';
import { announceDemoAccounts, seedDirectory } from './seed.service';

/** `npm run seed`: (re)loads the reference data, and the sample data in sample mode. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await connectDatabase(config);
  await prepareDatabase();
  try {
    const report = await seedDirectory({ sample: config.DIRECTORY_MODE === 'sample' });
    announceDemoAccounts(report.demoAccounts);
    console.log(`Seeded ${report.states} States, ${report.designations} designation types, ${report.resources} resources` +
      (config.DIRECTORY_MODE === 'sample' ? `, ${report.sampleAuthorities} sample authorities in ${report.sampleStates} States` : ''));
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'seeding failed');
  process.exit(1);
});
