import mongoose from 'mongoose';
import request from 'supertest';
import { UserModel } from '../../src/accounts/user.model';
import { verifyPassword } from '../../src/accounts/password';
import { loadConfig } from '../../src/config';
import { DEMO_ACCOUNTS } from '../../src/seeding/demo-accounts';
import { retireDemoAccounts, seedDirectory } from '../../src/seeding/seed.service';
import { createApp } from '../../src/app';
import { useTestDatabase } from '../helpers/database';
import { processDatabaseUri, startServerProcess, type LogLine } from '../helpers/server-process';
import { page } from '../helpers/html';

const PRODUCTION_ENV = { NODE_ENV: 'production', COOKIE_SECRET: 'a-production-secret-0123456789', SMTP_URL: 'smtp://127.0.0.1:2525' };

describe('the mode the Directory runs in', () => {
  it('when NODE_ENV is production and DIRECTORY_MODE is not set, then the mode is production', () => {
    expect(loadConfig(PRODUCTION_ENV).DIRECTORY_MODE).toBe('production');
  });

  it('when production asks for sample mode by name, then it gets it', () => {
    expect(loadConfig({ ...PRODUCTION_ENV, DIRECTORY_MODE: 'sample' }).DIRECTORY_MODE).toBe('sample');
  });

  it('when a developer starts it without settings, then it is in sample mode', () => {
    expect(loadConfig({}).DIRECTORY_MODE).toBe('sample');
  });
});

describe('demonstration accounts', () => {
  useTestDatabase({ seed: false });

  it('when sample data is seeded, then the demonstration accounts get a generated password that signs in, and no published one', async () => {
    const report = await seedDirectory({ sample: true });
    expect(report.demoAccounts.emails.sort()).toEqual(DEMO_ACCOUNTS.map((account) => account.email).sort());
    expect(report.demoAccounts.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const secretariat = await UserModel.findOne({ email: 'secretariat@directory.example' }).lean();
    expect(await verifyPassword(secretariat?.passwordHash ?? undefined, report.demoAccounts.password!)).toBe(true);
    expect(await verifyPassword(secretariat?.passwordHash ?? undefined, 'sample-password-2026')).toBe(false);
    const again = await seedDirectory({ sample: true });
    expect(again.demoAccounts).toEqual({ emails: [] });
  });

  it('when the Directory starts in production mode over a database with demonstration accounts, then they are disabled', async () => {
    await retireDemoAccounts();
    expect(await UserModel.countDocuments({ sample: true, status: 'active' })).toBe(0);
    expect(await UserModel.countDocuments({ sample: true, status: 'disabled' })).toBe(DEMO_ACCOUNTS.length);
  });

  it('when the app runs in sample mode, then every page says so; in production mode none does', async () => {
    const base = { NODE_ENV: 'test' as const, COOKIE_SECRET: 'test-cookie-secret-0123456789', PUBLIC_URL: 'http://localhost' };
    const sample = createApp({ ...base, DIRECTORY_MODE: 'sample' });
    const production = createApp({ ...base, DIRECTORY_MODE: 'production' });
    for (const path of ['/', '/sign-in', '/resources', '/access/request', '/states/FRA', '/no-such-page']) {
      expect(page((await request(sample).get(path)).text).count('[data-testid="demonstration-mode"]')).toBe(1);
      expect(page((await request(production).get(path)).text).count('[data-testid="demonstration-mode"]')).toBe(0);
    }
  });
});

/** Starts the real server as a deployment would, until it listens, then stops it; returns its log lines. */
async function startServer(env: Record<string, string>): Promise<LogLine[]> {
  const server = await startServerProcess(env);
  await server.stop();
  return server.logs;
}

describe('starting the server', () => {
  const databaseUri = () => processDatabaseUri('start');
  const WARN = 40;

  afterEach(async () => {
    await mongoose.disconnect();
  });

  it('when a deployment sets only NODE_ENV=production, then no demonstration account is created and no sample warning is logged', async () => {
    const uri = databaseUri();
    const lines = await startServer({ ...PRODUCTION_ENV, MONGODB_URI: uri });
    expect(lines.some((line) => line.msg.startsWith('Sample mode'))).toBe(false);
    await mongoose.connect(uri);
    expect(await UserModel.countDocuments()).toBe(0);
    await mongoose.connection.dropDatabase();
  });

  it('when production asks for sample mode, then every start warns, and the generated password is printed once', async () => {
    const uri = databaseUri();
    const first = await startServer({ ...PRODUCTION_ENV, DIRECTORY_MODE: 'sample', MONGODB_URI: uri });
    const second = await startServer({ ...PRODUCTION_ENV, DIRECTORY_MODE: 'sample', MONGODB_URI: uri });
    for (const lines of [first, second]) expect(lines.filter((line) => line.level === WARN && line.msg.startsWith('Sample mode'))).toHaveLength(1);
    const announced = first.filter((line) => typeof line.password === 'string');
    expect(announced).toHaveLength(1);
    expect(second.some((line) => 'password' in line)).toBe(false);
    await mongoose.connect(uri);
    const secretariat = await UserModel.findOne({ email: 'secretariat@directory.example' }).lean();
    expect(await verifyPassword(secretariat?.passwordHash ?? undefined, announced[0]!.password as string)).toBe(true);
    await mongoose.connection.dropDatabase();
  });
});
