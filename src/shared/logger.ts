import pino from 'pino';

/** One structured logger for the process; level from LOG_LEVEL so tests can silence it. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  redact: ['req.headers.cookie', 'req.headers.authorization'],
});
