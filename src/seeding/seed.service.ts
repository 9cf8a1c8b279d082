import fs from 'node:fs';
import path from 'node:path';
import { announceDirectoryChange } from '../directory/directory.service';
import { countInstruments, countStates, insertMissingDesignationTypes, insertMissingInstruments, replaceSampleAuthorities, upsertResources, upsertStates } from './seed.repository';
import type { Authority, DesignationType, InstrumentRecord, Resource, State } from '../directory/directory.types';
import { logger } from '../shared/logger';
import { disableDemoAccounts } from '../accounts/user-admin.service';
import { ensureDemoAccounts, type DemoAccountsCreated } from './demo-accounts';
import { writeSampleHistory, type SampleHistory } from '../editing/editing.service';
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
  /** Revisions written as the sample data's past (0 without sample data or history). */
  sampleRevisions: number;
  demoAccounts: DemoAccountsCreated;
}

const DAY = 86_400_000;

/**
 * How far the sample's dates move so that they read as of `now`: whole days since the sample was
 * written (`datesAsOf`), never backwards, so a demonstration always shows recent activity.
 */
function sampleDateShift(datesAsOf: string | undefined, now: Date): number {
  if (!datesAsOf) return 0;
  return Math.max(0, Math.floor((now.getTime() - Date.parse(datesAsOf)) / DAY)) * DAY;
}

/**
 * When each sample authority was first entered: a few months before its last save, different
 * for each (but the same at every seeding), so the history spreads over the year.
 */
function sampleCreatedAt(updatedAt: Date, index: number): Date {
  const created = new Date(updatedAt);
  created.setUTCMonth(created.getUTCMonth() - (2 + (index % 5)));
  return new Date(created.getTime() - ((index * 11) % 23) * DAY);
}

/**
 * Loads the reference data (every participant with its names, the designation catalogue, the
 * resources) and, in sample mode, fictitious authorities for a spread of States and the
 * demonstration accounts. With `history` (sample mode only; on unless turned off) the sample's
 * dates are moved to read as of `now` and each entry gets a past in the revisions, so the
 * history pages and the dashboard's monthly series have something to show. Expects
 * prepareDatabase() to have run. Safe to run again: reference rows are upserted by key; what
 * focal points entered is never overwritten.
 */
export async function seedDirectory(options: { sample: boolean; history?: boolean; now?: Date }): Promise<SeedReport> {
  const { states } = readSeed<{ states: SeedState[] }>('states.json');
  const { designations } = readSeed<{ designations: DesignationType[] }>('designations.json');
  const { resources } = readSeed<{ resources: Array<Omit<Resource, 'id'>> }>('resources.json');
  await insertMissingInstruments(readSeed<{ instruments: InstrumentRecord[] }>('instruments.json').instruments);
  await insertMissingDesignationTypes(designations);
  await upsertStates(states);
  await upsertResources(resources);

  let sampleStates = 0;
  let sampleAuthorities = 0;
  let sampleRevisions = 0;
  let demoAccounts: DemoAccountsCreated = { emails: [] };
  if (options.sample) {
    const sample = readSeed<{ datesAsOf?: string; states: SampleState[]; authorities: SampleAuthority[] }>('sample.json');
    const history = options.history ?? true;
    const shift = history ? sampleDateShift(sample.datesAsOf, options.now ?? new Date()) : 0;
    const sampleDate = (iso: string | undefined) => (iso ? new Date(Date.parse(iso) + shift) : undefined);
    const namesByCode = new Map(states.map((state) => [state.code, state]));
    await upsertStates(
      sample.states.map((entry) => {
        const reference = namesByCode.get(entry.code);
        if (!reference) throw new Error(`sample.json names unknown State ${entry.code}`);
        return {
          ...reference,
          access: entry.access,
          optional: entry.optional,
          lastUpdatedAt: sampleDate(entry.lastUpdatedAt),
          lastConfirmedAt: sampleDate(entry.lastConfirmedAt),
          sample: true,
        };
      }),
    );
    const stored = await replaceSampleAuthorities(
      sample.authorities.map((authority, index) => {
        const updatedAt = sampleDate(authority.updatedAt) ?? new Date();
        // Each designation held since the authority was first entered (its sample past, below)
        const since = sampleCreatedAt(updatedAt, index).toISOString().slice(0, 10);
        return { ...authority, designationDates: authority.designations.map((code) => ({ code, since })), updatedAt, sample: true };
      }),
    );
    if (history) {
      const past: SampleHistory = {
        authorities: stored.map((authority, index) => ({ authority, createdAt: sampleCreatedAt(authority.updatedAt ?? new Date(), index) })),
        confirmations: sample.states.flatMap((entry) => (entry.lastConfirmedAt ? [{ state: entry.code, at: sampleDate(entry.lastConfirmedAt)! }] : [])),
      };
      sampleRevisions = await writeSampleHistory(past);
    }
    demoAccounts = await ensureDemoAccounts();
    sampleStates = sample.states.length;
    sampleAuthorities = sample.authorities.length;
  }
  await announceDirectoryChange({ whole: true });
  const report = { states: states.length, designations: designations.length, resources: resources.length, sampleStates, sampleAuthorities, sampleRevisions, demoAccounts };
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

/**
 * Seeds an empty database on first start, so a newcomer sees a full directory at once. A database
 * from before instruments were data gets the instrument catalogue (the instruments its designation
 * types and party records already name).
 */
export async function seedIfEmpty(options: { sample: boolean }): Promise<SeedReport | undefined> {
  if ((await countStates()) > 0) {
    if ((await countInstruments()) === 0) {
      await insertMissingInstruments(readSeed<{ instruments: InstrumentRecord[] }>('instruments.json').instruments);
      await announceDirectoryChange({ whole: true });
      logger.info('instrument catalogue added');
    }
    return undefined;
  }
  return seedDirectory(options);
}
