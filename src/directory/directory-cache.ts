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
let loading: Promise<DirectorySnapshot> | undefined;
let lastCheck = 0;

/** How long an instance trusts its copy before asking the database whether anything changed. */
const CHECK_INTERVAL_MS = 1000;

/**
 * The current directory. Reads are served from memory; at most once a second the version stamp in
 * the database is compared, so a write on any instance reaches every instance within a second.
 */
export async function currentDirectory(): Promise<DirectorySnapshot> {
  if (loading) return loading;
  const now = Date.now();
  if (snapshot && now - lastCheck < CHECK_INTERVAL_MS) return snapshot;
  loading = (async () => {
    try {
      const version = await readVersion();
      lastCheck = Date.now();
      if (!snapshot || snapshot.version !== version) snapshot = buildSnapshot(await loadDirectory());
      return snapshot;
    } finally {
      loading = undefined;
    }
  })();
  return loading;
}

/** Forgets the cached copy, e.g. after this instance wrote or a test replaced the database. */
export function invalidateDirectory(): void {
  snapshot = undefined;
  lastCheck = 0;
}
