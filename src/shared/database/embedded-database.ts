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
  /** Restart the server, on the same port, whenever it dies unexpectedly (the app's own database). */
  supervise?: boolean;
}

/** In DATA_DIR: which app process runs which database process there, to find orphans after a kill -9. */
const PID_FILE = 'embedded-database.json';

interface PidRecord {
  appPid: number;
  dbPid: number;
  port: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a live process, where the system tells it (Linux); empty otherwise. */
function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

async function stopProcess(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < 5000 && isAlive(pid); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Before starting on DATA_DIR: refuses when another live Directory process uses these files, and
 * stops a database server left running by one that was killed (kill -9 leaves its child behind),
 * so two servers never share the files.
 */
async function claimDataDir(dataDir: string): Promise<void> {
  let record: PidRecord | undefined;
  try {
    record = JSON.parse(fs.readFileSync(path.join(dataDir, PID_FILE), 'utf8')) as PidRecord;
  } catch {
    return;
  }
  if (record.appPid !== process.pid && isAlive(record.appPid) && commandLine(record.appPid).includes('node')) {
    throw new ConfigurationError(`Invalid configuration: DATA_DIR: ${dataDir} is in use by another Directory process (pid ${record.appPid}); stop it or choose another DATA_DIR`);
  }
  if (isAlive(record.dbPid) && commandLine(record.dbPid).includes(dataDir)) {
    logger.warn({ pid: record.dbPid, dataDir }, 'stopping an embedded database left running by an earlier run');
    await stopProcess(record.dbPid);
  }
}

function recordPids(dataDir: string, record: PidRecord): void {
  fs.writeFileSync(path.join(dataDir, PID_FILE), JSON.stringify(record));
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
  await claimDataDir(options.dataDir);
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

  const launch = async (): Promise<ChildProcess> => {
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
    recordPids(options.dataDir, { appPid: process.pid, dbPid: child.pid ?? -1, port });
    return child;
  };

  let current = await launch();
  logger.info({ engine, port, dataDir: options.dataDir }, 'embedded database started');
  let stopping = false;
  const RESTART_DELAYS_MS = [500, 1000, 2000, 5000, 10_000, 30_000];
  const superviseChild = (child: ChildProcess) => {
    child.once('exit', (code, signal) => {
      if (stopping || !options.supervise) return;
      logger.warn({ engine, code, signal }, 'embedded database stopped unexpectedly; restarting it');
      void (async () => {
        for (let attempt = 0; !stopping; attempt += 1) {
          await new Promise((resolve) => setTimeout(resolve, RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]));
          if (stopping) return;
          try {
            current = await launch();
            logger.info({ engine, port, attempt: attempt + 1 }, 'embedded database restarted');
            superviseChild(current);
            return;
          } catch (error) {
            logger.warn({ err: error, attempt: attempt + 1 }, 'embedded database did not restart; trying again');
          }
        }
      })();
    });
  };
  superviseChild(current);

  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    engine,
    get pid() {
      return current.pid ?? -1;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        fs.rmSync(path.join(options.dataDir, PID_FILE), { force: true });
        if (current.exitCode !== null || current.signalCode !== null) return resolve();
        current.once('exit', () => resolve());
        current.kill('SIGTERM');
      }),
  };
}
