import { repeatInBackground } from '../shared/background';
import { runDigests, type DigestDependencies } from './following.service';

/** How often the digest run looks for followers whose day's digest is still due. */
const DIGEST_RUN_MS = 10 * 60_000;

/**
 * Starts the followers' digest run in the background (every ten minutes, without keeping the
 * process alive). Each user gets one digest a UTC day at most, whichever instance writes it; safe
 * to start in every instance. Returns a stop function.
 */
export function startDigestJobs(deps: DigestDependencies, everyMs = DIGEST_RUN_MS): () => void {
  return repeatInBackground(everyMs, "followers' digest run", () => runDigests(deps));
}
