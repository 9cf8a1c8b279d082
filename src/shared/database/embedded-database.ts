import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ConfigurationError } from '../../config';
import { logger } from '../logger';
import { PROJECT_ROOT } from '../paths';


export interface EmbeddedDatabase {
  uri: string;
  engine: 'mongod' | 'ferretdb';
  /** The server's process id (tests kill it to fault the database). */
  pid: number;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Directory for the data files; created if missing. */
  dataDir: string;
  ferretdbBin?: string;
  /** A fixed port, e.g. to restart a server where clients already point; a free one otherwise. */
  port?: number;
}

function onPath(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const location = found.stdout.trim();
  return found.status === 0 && location ? location : undefined;
}

/** The project's FerretDB build, built on first use by scripts/install-ferretdb.sh. */
function ferretdbBinary(explicit?: string): string {
  if (explicit) {
    try {
      fs.accessSync(explicit, fs.constants.X_OK);
    } catch {
      throw new ConfigurationError(`Invalid configuration: FERRETDB_BIN: no executable file at ${explicit}`);
    }
    return explicit;
  }
  const local = path.join(PROJECT_ROOT, '.tools', 'bin', 'ferretdb');
  if (fs.existsSync(local)) return local;
  const installed = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'install-ferretdb.sh')], { stdio: 'inherit' });
  if (installed.status !== 0 || !fs.existsSync(local)) {
    throw new Error('No embedded database available: install Go (to build FerretDB) or set MONGODB_URI');
  }
  return local;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string, spawnError: () => Error | undefined, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failed = spawnError();
    if (failed) throw new ConfigurationError(`Embedded database could not be started (${child.spawnfile}): ${failed.message}`);
    if (child.exitCode !== null) throw new Error(`Embedded database exited (${child.exitCode}): ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Embedded database did not open port ${port}: ${output()}`);
}

/**
 * Starts a local MongoDB-wire server: a real mongod when one is installed, otherwise FerretDB on
 * SQLite. Used when MONGODB_URI is not set, by `npm start` and by the tests.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const mongod = options.ferretdbBin ? undefined : onPath('mongod');
  const engine = mongod ? 'mongod' : 'ferretdb';
  const [command, args] = mongod
    ? [mongod, ['--dbpath', options.dataDir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet']]
    : [
        ferretdbBinary(options.ferretdbBin),
        [
          `--listen-addr=127.0.0.1:${port}`,
          // On disk even for tests: FerretDB's SQLite `?mode=memory` deadlocks when collections are
          // created while other connections write.
          `--sqlite-url=file:${options.dataDir}/`,
          '--log-level=error',
        ],
      ];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // A spawn failure (not executable, gone since the check) is reported as an exit, not thrown raw
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await waitForPort(port, child, () => output, () => spawnError);
  logger.info({ engine, port, dataDir: options.dataDir }, 'embedded database started');

  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    engine,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
