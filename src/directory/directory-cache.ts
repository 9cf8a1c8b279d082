import { setImmediate as nextTurn } from 'node:timers/promises';
import { databaseUnavailableSince, isDatabaseUnavailable, markDatabaseUnavailable } from '../shared/database/availability';
import { logger } from '../shared/logger';
import { loadChangedEntries, loadDirectory, PATCH_MAX_AUTHORITIES, readStamp, type DirectoryData, type DirectoryStamp } from './directory.repository';
import { buildDirectorySearch, type DirectorySearch } from './search-index';
import { loadStoredDirectory, storeDirectory } from './snapshot.repository';
import type { Authority, InstrumentRecord, State } from './directory.types';

/** The directory as this instance knows it: data, lookups by key, and the search indexes built from them. */
export interface DirectorySnapshot extends DirectoryData {
  stateByCode: Map<string, State>;
  authorityById: Map<string, Authority>;
  authoritiesByState: Map<string, Authority[]>;
  search: DirectorySearch;
  loadedAt: Date;
  /** The database's stamp lineage this copy was read from (see DirectoryStamp). */
  epoch: string;
}

/** Authorities whose strings are shared between two turns of the event loop (a few milliseconds' work). */
const SHARING_CHUNK = 1000;

/** Replaces each string of a plain record (its arrays and plain objects included) by the pool's equal one, the first seen. */
function shareStrings(value: unknown, pool: Map<string, string>): unknown {
  if (typeof value === 'string') {
    const shared = pool.get(value);
    if (shared !== undefined) return shared;
    pool.set(value, value);
    return value;
  }
  if (Array.isArray(value)) {
    for (let at = 0; at < value.length; at += 1) value[at] = shareStrings(value[at], pool);
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = shareStrings(record[key], pool);
  }
  return value;
}

/**
 * Every authority read from the database or from a stored snapshot holds its own copy of each of
 * its strings: "email", "en", "Office", its State's code and city, the same titles and designation
 * codes. Making equal strings one string takes a quarter of the memory of 20,000 authorities (58 MB
 * to 42 MB). It is done in turns, on the copy already served: a string is swapped for an equal one,
 * which no reader can tell.
 */
async function shareRepeatedStrings(authorities: Authority[]): Promise<void> {
  const pool = new Map<string, string>();
  for (let at = 0; at < authorities.length; at += SHARING_CHUNK) {
    for (const authority of authorities.slice(at, at + SHARING_CHUNK)) shareStrings(authority, pool);
    await nextTurn();
  }
}

/**
 * The lookups of a snapshot are built at once; its search indexes start building in turns
 * (`search.ready`), so that the requests being served meanwhile are not held up, unless `search`
 * is given (patched from the copy before).
 */
function buildSnapshot(data: DirectoryData, epoch: string, search?: DirectorySearch): DirectorySnapshot {
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
    search: search ?? buildDirectorySearch(data.states, data.authorities),
    loadedAt: new Date(),
    epoch,
  };
}

/** A snapshot of data read whole: its equal strings are then made one, in turns. */
function snapshotOfLoad(data: DirectoryData, epoch: string): DirectorySnapshot {
  shareRepeatedStrings(data.authorities).catch((error: unknown) => logger.warn({ err: error }, 'strings of the directory not shared'));
  return buildSnapshot(data, epoch);
}

/**
 * The directory at the stamp's version made from `base` when the versions since changed a few
 * authorities by id, as an edit does: those authorities and the States and catalogue (a few hundred
 * entries) are read again, instead of every entry, and the search indexes are changed for them
 * instead of rebuilt. At 20,000 authorities that is a second on FerretDB instead of twenty.
 * Undefined when only a whole load can say what changed.
 */
async function patchedSnapshot(base: DirectorySnapshot, stamp: DirectoryStamp): Promise<DirectorySnapshot | undefined> {
  if (base.epoch !== stamp.epoch || base.version >= stamp.version) return undefined;
  const ids = stamp.authoritiesChangedSince(base.version);
  if (!ids || ids.length > PATCH_MAX_AUTHORITIES) return undefined;
  const { authorities: changed, ...reference } = await loadChangedEntries(ids);
  const authorities = base.authorities.flatMap((authority) => (changed.has(authority.id) ? (changed.get(authority.id) ?? []) : [authority]));
  for (const [id, authority] of changed) if (authority && !base.authorityById.has(id)) authorities.push(authority);
  const data: DirectoryData = { version: stamp.version, ...reference, authorities };
  const search = await base.search.afterChanges(data.states, authorities, changed).catch((error: unknown) => {
    logger.warn({ err: error }, 'search indexes not patched; building them again');
    return undefined;
  });
  return buildSnapshot(data, stamp.epoch, search);
}

/** Awaited after a new snapshot is built and before it is served; set by tests to hold a build for as long as they need. */
type BuildHook = (version: number) => Promise<void>;
let beforeServing: BuildHook | undefined;

/** Lets a test make snapshot builds slow on purpose (undefined: no hook). */
export function setSnapshotBuildHook(hook: BuildHook | undefined): void {
  beforeServing = hook;
}

/** The data of a snapshot alone, as stored. */
const dataOf = ({ version, states, authorities, designations, instruments, resources }: DirectorySnapshot): DirectoryData => ({ version, states, authorities, designations, instruments, resources });

const storeInBackground = (data: DirectoryData) => storeDirectory(data).catch((error: unknown) => logger.warn({ err: error }, 'directory snapshot not stored'));

/**
 * The directory at the stamp's version, without a copy in memory to patch: the stored copy of that
 * version when there is one and `fromStore` allows it (one read of a few documents instead of every
 * entry), or the newest stored copy patched forward when the versions since are known by id (an
 * instance starting after edits the stored copy does not hold yet); otherwise the database's
 * entries, then stored for the next instance that starts.
 */
async function loadSnapshot(stamp: DirectoryStamp, fromStore: boolean): Promise<DirectorySnapshot> {
  if (fromStore) {
    const exact = await loadStoredDirectory(stamp.version);
    if (exact) return snapshotOfLoad(exact, stamp.epoch);
    const changedSince = stamp.stored === undefined ? undefined : stamp.authoritiesChangedSince(stamp.stored);
    const older = changedSince && changedSince.length <= PATCH_MAX_AUTHORITIES ? await loadStoredDirectory(stamp.stored!) : undefined;
    const patched = older && (await patchedSnapshot(snapshotOfLoad(older, stamp.epoch), stamp));
    if (patched) {
      logger.info({ stored: older.version, version: stamp.version }, 'directory read from its stored copy and patched forward');
      storeInBackground(dataOf(patched));
      return patched;
    }
  }
  const data = await loadDirectory();
  storeInBackground(data);
  return snapshotOfLoad(data, stamp.epoch);
}

/**
 * How long the instance that wrote waits before storing the version it patched to: storing 20,000
 * authorities costs about a second of work (serialising, compressing, writing 5 MB), so a run of
 * edits is stored once; an instance starting meanwhile patches the older stored copy forward.
 */
const STORE_DELAY_MS = 10_000;
let storeTimer: NodeJS.Timeout | undefined;

function storeSoon(): void {
  storeTimer ??= setTimeout(() => {
    storeTimer = undefined;
    // The directory as it is by then: a later write of this instance may have dropped the copy patched
    currentDirectory()
      .then((current) => storeInBackground(dataOf(current)))
      .catch((error: unknown) => logger.warn({ err: error }, 'directory snapshot not stored'));
  }, STORE_DELAY_MS).unref();
}

let snapshot: DirectorySnapshot | undefined;
/** The copy before the last invalidation: served, marked as possibly stale, when a reload fails. */
let previous: DirectorySnapshot | undefined;
/** Set by an invalidation: the next load reads the database itself, since this instance just wrote to it. */
let mustReadDatabase = false;
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
    const stamp = await withTimeout(readStamp());
    const version = stamp.version;
    lastCheck = Date.now();
    if (!snapshot || snapshot.version !== version) {
      const wrote = mustReadDatabase;
      mustReadDatabase = false;
      const base = snapshot ?? previous;
      const patched = base && (await patchedSnapshot(base, stamp));
      // The instance that wrote stores the version it patched to, for the instances that start next
      if (patched && wrote) storeSoon();
      const built = patched ?? (await loadSnapshot(stamp, !wrote));
      // A first copy is served at once (a search waits for its index); a newer one only once indexed,
      // and until then readers keep the copy they had.
      if (snapshot) await built.search.ready;
      await beforeServing?.(built.version);
      snapshot = built;
    }
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

/**
 * The instrument catalogue of the copy in memory, for naming instruments while a page renders (a
 * route has read the directory by then); empty before the first load.
 */
export function loadedInstruments(): InstrumentRecord[] {
  return (snapshot ?? previous)?.instruments ?? [];
}

/** Whether a copy of the directory is in memory (one is needed before the instance takes traffic). */
export function directoryLoaded(): boolean {
  return snapshot !== undefined || previous !== undefined;
}

/** Forgets the cached copy, e.g. after this instance wrote or a test replaced the database. */
export function invalidateDirectory(): void {
  mustReadDatabase = true;
  previous = snapshot ?? previous;
  snapshot = undefined;
  lastCheck = 0;
}
