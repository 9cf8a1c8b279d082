import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Text as it may appear in logs: e-mail addresses (personal data) are replaced by "[email]". */
export function redactEmails(text: string): string {
  return text.replace(EMAIL, '[email]');
}

/** Every string in a log record, however deep, with e-mail addresses redacted. */
function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactEmails(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactDeep(inner, depth + 1)]));
}

/** Options of the process's logger; exported so tests can write to a stream of their own. */
export const loggerOptions: pino.LoggerOptions = {
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  // Credentials and session identifiers never reach the log
  redact: {
    paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', 'headers.cookie', 'headers.authorization'],
    censor: '[redacted]',
  },
  formatters: { log: (record) => redactDeep(record) as Record<string, unknown> },
  hooks: {
    logMethod(args, method) {
      method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactEmails(arg) : arg)) as Parameters<typeof method>);
    },
  },
};

/** One structured logger for the process; level from LOG_LEVEL so tests can silence it. */
export const logger = pino(loggerOptions);

/** Paths whose last segment is a secret (single-use links): logged with the secret replaced. */
const SECRET_PATHS = /^(\/password\/reset\/|\/invitations\/|\/confirm\/)[^/?#]+/;

/** A URL as it may appear in logs: single-use tokens in the path are replaced by "[redacted]". */
export function redactUrl(url: string): string {
  return redactEmails(url.replace(SECRET_PATHS, '$1[redacted]'));
}

/** A request id a client or proxy may give: short, and only characters that cannot forge a log line. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The id of a request on every log line about it: the caller's X-Request-Id when it is a short safe
 * token (a proxy's, to follow a request across services), otherwise a new one; echoed in the answer.
 */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
