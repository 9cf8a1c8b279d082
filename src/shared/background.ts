import { logger } from './logger';

/**
 * Runs `work` every `intervalMs` without keeping the process alive (clean-ups that replace the TTL
 * indexes FerretDB lacks); a failure is logged and the next round tries again. Returns a stop function.
 */
export function repeatInBackground(intervalMs: number, what: string, work: () => Promise<unknown>): () => void {
  const timer = setInterval(() => {
    work().catch((error: unknown) => logger.warn({ err: error }, `${what} failed`));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
