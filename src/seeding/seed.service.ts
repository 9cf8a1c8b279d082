import fs from 'node:fs';
import path from 'node:path';
import { announceDirectoryChange } from '../directory/directory.service';
import { countStates, replaceSampleAuthorities, upsertDesignationTypes, upsertResources, upsertStates } from './seed.repository';
import type { Authority, DesignationType, Resource, State } from '../directory/directory.types';
import { logger } from '../shared/logger';
import { disableDemoAccounts } from '../accounts/user-admin.service';
import { ensureDemoAccounts, type DemoAccountsCreated } from './demo-accounts';
import { PROJECT_ROOT } from '../shared/paths';

const SEED_DIR = path.join(PROJECT_ROOT, 'seed', 'data');

function readSeed<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(SEED_DIR, file), 'utf8')) as T;
}

type SeedState = Pick<State, 'code' | 'iso2' | 'm49' | 'kind' | 'names' | 'region' | 'aliases'>;
type SampleState = Pick<State, 'code' | 'access' | 'optional'> & { lastUpdatedAt?: string; lastConfirmedAt?: string };
type SampleAuthority = Omit<Authority, 'id' | 'updatedAt'> & { updatedAt?: string };

export interface SeedReport {
  states: number;
  designations: number;
  resources: number;
  sampleStates: number;
  sampleAuthorities: number;
  demoAccounts: DemoAccountsCreated;
}

/**
 * Loads the reference data (every participant with its names, the designation catalogue, the
 * resources) and, in sample mode, fictitious authorities for a spread of States and the
 * demonstration accounts. Expects prepareDatabase() to have run. Safe to run again:
 * reference rows are upserted by key; what focal points entered is never overwritten.
 */
export async function seedDirectory(options: { sample: boolean }): Promise<SeedReport> {
  const { states } = readSeed<{ states: SeedState[] }>('states.json');
  const { designations } = readSeed<{ designations: DesignationType[] }>('designations.json');
  const { resources } = readSeed<{ resources: Array<Omit<Resource, 'id'>> }>('resources.json');
  await upsertDesignationTypes(designations);
  await upsertStates(states);
  await upsertResources(resources);

  let sampleStates = 0;
  let sampleAuthorities = 0;
  let demoAccounts: DemoAccountsCreated = { emails: [] };
  if (options.sample) {
    const sample = readSeed<{ states: SampleState[]; authorities: SampleAuthority[] }>('sample.json');
    const namesByCode = new Map(states.map((state) => [state.code, state]));
    await upsertStates(
      sample.states.map((entry) => {
        const reference = namesByCode.get(entry.code);
        if (!reference) throw new Error(`sample.json names unknown State ${entry.code}`);
        return {
          ...reference,
          access: entry.access,
          optional: entry.optional,
          lastUpdatedAt: entry.lastUpdatedAt ? new Date(entry.lastUpdatedAt) : undefined,
          lastConfirmedAt: entry.lastConfirmedAt ? new Date(entry.lastConfirmedAt) : undefined,
          sample: true,
        };
      }),
    );
    await replaceSampleAuthorities(
      sample.authorities.map((authority) => ({
        ...authority,
        updatedAt: authority.updatedAt ? new Date(authority.updatedAt) : new Date(),
        sample: true,
      })),
    );
    demoAccounts = await ensureDemoAccounts();
    sampleStates = sample.states.length;
    sampleAuthorities = sample.authorities.length;
  }
  await announceDirectoryChange();
  const report = { states: states.length, designations: designations.length, resources: resources.length, sampleStates, sampleAuthorities, demoAccounts };
  logger.info({ ...report, demoAccounts: demoAccounts.emails.length }, 'directory seeded');
  return report;
}

/** Says, once, how to sign in to the demonstration accounts just created. */
export function announceDemoAccounts(created: DemoAccountsCreated): void {
  if (!created.password) return;
  logger.warn(
    { accounts: created.emails, password: created.password },
    'Demonstration accounts created, all with this password; it is shown only now and is not stored in clear.',
  );
}

/**
 * Start-up in production mode: demonstration accounts left from an earlier sample-mode start are
 * disabled, so the sample password never opens a production Directory.
 */
export async function retireDemoAccounts(): Promise<void> {
  const disabled = await disableDemoAccounts();
  if (disabled > 0) logger.warn({ disabled }, 'production mode: demonstration accounts disabled');
}

/** Seeds an empty database on first start, so a newcomer sees a full directory at once. */
export async function seedIfEmpty(options: { sample: boolean }): Promise<SeedReport | undefined> {
  if ((await countStates()) > 0) return undefined;
  return seedDirectory(options);
}
