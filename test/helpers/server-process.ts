import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface ServerProcess {
  baseUrl: string;
  /** Every JSON log line printed so far. */
  logs: LogLine[];
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A loopback port nobody listens on at the moment of asking. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A database of its own on the test run's server, for a test that starts whole server processes. */
export function processDatabaseUri(prefix: string): string {
  const url = new URL(process.env.TEST_MONGODB_URI!);
  url.pathname = `/${prefix}_${randomBytes(5).toString('hex')}`;
  return url.toString();
}

/**
 * Starts the real server (src/server.ts, or as compiled) in a child process as a deployment would,
 * and resolves once it listens. The environment is only what is given (plus PATH), so nothing leaks in from
 * the test run.
 */
export async function startServerProcess(env: Record<string, string>, options: { compiled?: boolean } = {}): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  // Compiled: dist/src/server.js, as `npm start` and the container run it (npm run build first)
  const entry = options.compiled ? [path.join(__dirname, '../../dist/src/server.js')] : ['--import', 'tsx', path.join(__dirname, '../../src/server.ts')];
  const child = spawn(process.execPath, entry, {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in time: ${stderr}`)), 50_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const complete = buffer.split('\n');
        buffer = complete.pop() ?? '';
        for (const line of complete) {
          if (!line.startsWith('{')) continue;
          const entry = JSON.parse(line) as LogLine;
          logs.push(entry);
          if (entry.msg === 'Directory listening') {
            clearTimeout(timer);
            resolve();
          }
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}: ${stderr}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl: `http://127.0.0.1:${port}`, logs, child, stop };
}
