/**
 * Prints a personal API token of a new focal point of France, for the API runs of CI
 * (scripts/schemathesis.sh). Only for a throw-away database: it creates the user outright,
 * without invitation or password, with a TOTP secret nobody keeps, which no route would allow.
 */
import { randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import { insertUser, saveTotp } from '../src/accounts/accounts.repository';
import { createApiToken } from '../src/accounts/api-tokens.service';
import { currentTotpStep } from '../src/accounts/totp';
import { loadConfig } from '../src/config';
import { connectDatabase } from '../src/shared/database/connection';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.MONGODB_URI) throw new Error('MONGODB_URI must name the throw-away database the API under test uses');
  const database = await connectDatabase(config);
  try {
    const suffix = randomBytes(4).toString('hex');
    const user = await insertUser({ email: `ci-focal-point-${suffix}@directory.example`, name: 'CI focal point', role: 'focal-point', states: ['FRA'], language: 'en' });
    // Focal points' tokens act only once two-step sign-in is set up; nobody will sign in with this one.
    await saveTotp(user.id, authenticator.generateSecret(20), [], currentTotpStep());
    const { token } = await createApiToken({ ...user, totpEnabled: true }, { name: 'CI API checks', expiresInDays: 1 });
    process.stdout.write(`${token}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
