import path from 'node:path';
import { z } from 'zod';

/** Everything the Directory reads from the environment, validated once at start-up. */
const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** A MongoDB connection string; without it the Directory starts an embedded database. */
  MONGODB_URI: z.string().url().optional(),
  /** Where the embedded database keeps its files. */
  DATA_DIR: z.string().default(path.resolve('data')),
  /**
   * `sample` loads fictitious authorities and demonstration accounts; `production` never does.
   * Unset, it follows NODE_ENV: production unless NODE_ENV is development or test.
   */
  DIRECTORY_MODE: z.enum(['sample', 'production']).optional(),
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Explicit path of a FerretDB binary, when it is not on PATH or in .tools/bin. */
  FERRETDB_BIN: z.string().optional(),
  /** SMTP server for outgoing mail, e.g. smtp://user:pass@mail.example.org:587; without it mail is written to the log (not in production). */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Central Authorities Directory <no-reply@directory.invalid>'),
  /**
   * Which reverse proxies may set X-Forwarded-For/-Proto: off by default, since a client that
   * reaches the app directly could otherwise choose its own address (and reset per-address
   * limits). A number of proxy hops, or addresses and subnets such as `loopback` or `10.0.0.0/8`.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .refine((value) => value !== 'true', 'name the proxies (e.g. loopback, 10.0.0.0/8) or give their number; "true" would trust any client')
    .transform((value): false | number | string => (value === '' || value === 'false' || value === '0' ? false : /^\d+$/.test(value) ? Number(value) : value)),
  /** Secret for signing cookies; required in production. */
  COOKIE_SECRET: z.string().min(16).default('development-only-cookie-secret'),
});

type ParsedConfig = z.infer<typeof configSchema>;
/** A setting that cannot work; its message names the variable and is shown as one line. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export type Config = Readonly<Omit<ParsedConfig, 'DIRECTORY_MODE'> & { DIRECTORY_MODE: NonNullable<ParsedConfig['DIRECTORY_MODE']> }>;

/** Parses an environment; throws with every problem listed so a bad deployment fails at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  }
  // Sample mode in production must be asked for by name: a deployment that forgets the setting never gets demonstration accounts
  const config = { ...parsed.data, DIRECTORY_MODE: parsed.data.DIRECTORY_MODE ?? (parsed.data.NODE_ENV === 'production' ? 'production' : 'sample') } as const;
  if (config.NODE_ENV === 'production' && config.COOKIE_SECRET === 'development-only-cookie-secret') {
    throw new ConfigurationError('Invalid configuration: COOKIE_SECRET: must be set in production');
  }
  if (config.NODE_ENV === 'production' && !config.SMTP_URL) {
    throw new ConfigurationError('Invalid configuration: SMTP_URL: must be set in production (invitations, resets and reminders are e-mailed)');
  }
  return Object.freeze(config);
}
