import pino from 'pino';

/** One structured logger for the process; level from LOG_LEVEL so tests can silence it. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  redact: ['req.headers.cookie', 'req.headers.authorization'],
});

/** Paths whose last segment is a secret (single-use links): logged with the secret replaced. */
const SECRET_PATHS = /^(\/password\/reset\/|\/invitations\/|\/confirm\/)[^/?#]+/;

/** A URL as it may appear in logs: single-use tokens in the path are replaced by "[redacted]". */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PATHS, '$1[redacted]');
}
