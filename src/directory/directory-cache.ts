import { databaseUnavailableSince, isDatabaseUnavailable, markDatabaseUnavailable } from '../shared/database/availability';
import { logger } from '../shared/logger';
import { loadDirectory, readVersion, type DirectoryData } from './directory.repository';
import { buildDirectorySearch, type DirectorySearch } from './search-index';
import type { Authority, State } from './directory.types';

/** The directory as this instance knows it: data, lookups by key, and the search indexes built from them. */
export interface DirectorySnapshot extends DirectoryData {
  stateByCode: Map<string, State>;
  authorityById: Map<string, Authority>;
  authoritiesByState: Map<string, Authority[]>;
  search: DirectorySearch;
  loadedAt: Date;
}

function buildSnapshot(data: DirectoryData): DirectorySnapshot {
  const authoritiesByState = new Map<string, Authority[]>();
  for (const authority of data.authorities) {
    const list = authoritiesByState.get(authority.state) ?? [];
    list.push(authority);
    authoritiesByState.set(authority.state, list);
  }
  return {
    ...data,
    stateByCode: new Map(data.states.map((state) => [state.code, state])),
    authorityById: new Map(data.authorities.map((authority) => [authority.id, authority])),
    authoritiesByState,
    search: buildDirectorySearch(data.states, data.authorities),
    loadedAt: new Date(),
  };
}

let snapshot: DirectorySnapshot | undefined;
/** The copy before the last invalidation: served, marked as possibly stale, when a reload fails. */
let previous: DirectorySnapshot | undefined;
let loading: Promise<DirectorySnapshot> | undefined;
let lastCheck = 0;
/** When the copy in memory was last confirmed current by the database. */
let verifiedAt: Date | undefined;
/** Set while the copy could not be checked against the database: it may be out of date since `verifiedAt`. */
let stale = false;

/** How long an instance trusts its copy before asking the database whether anything changed. */
const CHECK_INTERVAL_MS = 250;

/**
 * Past this since the last check (no traffic meanwhile), a reader waits for the check rather than
 * get a copy that may be long out of date; under traffic, checks and rebuilds run beside readers.
 */
const IDLE_MS = 2000;

/** A check that has not answered by then counts as failed, so a stuck operation cannot keep the copy stale. */
const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('directory check timed out'), { name: 'MongoNetworkTimeoutError' })), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function checkAndReload(): Promise<DirectorySnapshot> {
  try {
    const version = await withTimeout(readVersion());
    lastCheck = Date.now();
    if (!snapshot || snapshot.version !== version) snapshot = buildSnapshot(await loadDirectory());
    previous = undefined;
    verifiedAt = new Date();
    if (stale) logger.info('directory checked against the database again');
    stale = false;
    return snapshot;
  } catch (error) {
    const fallback = snapshot ?? previous;
    if (!fallback) throw error;
    // Keep answering from memory: the whole public directory is here, only its freshness is unknown.
    if (isDatabaseUnavailable(error)) markDatabaseUnavailable();
    if (!stale) logger.warn({ err: error, verifiedAt }, 'directory not checked against the database; serving the copy in memory');
    stale = true;
    snapshot = fallback;
    lastCheck = Date.now();
    return fallback;
  }
}

/**
 * The current directory. Reads are served from memory; every quarter of a second under traffic the
 * version stamp in the database is compared, and a changed directory is loaded and indexed beside
 * the copy being served, which readers keep meanwhile: a write on any instance reaches every
 * instance in well under a second without stalling its readers. Only the first load, a load after
 * this instance's own write (`refreshDirectory`, read-your-writes) or the first read after an idle
 * spell waits. While the database is unreachable the copy in memory is served at once, marked
 * stale (`directoryStaleSince`), and checked again in the background.
 */
export async function currentDirectory(): Promise<DirectorySnapshot> {
  const now = Date.now();
  const unreachable = databaseUnavailableSince() !== undefined;
  const served = snapshot ?? previous;
  if (served && (unreachable || loading)) {
    if (unreachable) stale = true;
    if (!loading && now - lastCheck >= CHECK_INTERVAL_MS) {
      loading = checkAndReload().finally(() => (loading = undefined));
      loading.catch(() => undefined);
    }
    // A request never waits for a check that may take as long as the driver's timeout.
    if (unreachable || stale) return served;
  }
  if (loading) return snapshot ?? loading;
  if (snapshot && now - lastCheck < CHECK_INTERVAL_MS) return snapshot;
  loading = checkAndReload().finally(() => (loading = undefined));
  if (!snapshot || now - lastCheck > IDLE_MS) return loading;
  loading.catch(() => undefined);
  return snapshot;
}

/** Since when the copy being served may be out of date, or undefined while it is checked every second. */
export function directoryStaleSince(): Date | undefined {
  return stale ? (verifiedAt ?? snapshot?.loadedAt) : undefined;
}

/** Whether a copy of the directory is in memory (one is needed before the instance takes traffic). */
export function directoryLoaded(): boolean {
  return snapshot !== undefined || previous !== undefined;
}

/** Forgets the cached copy, e.g. after this instance wrote or a test replaced the database. */
export function invalidateDirectory(): void {
  previous = snapshot ?? previous;
  snapshot = undefined;
  lastCheck = 0;
}
