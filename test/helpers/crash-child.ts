import { spawn } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import type { CrashJob } from '../fixtures/crash-worker';

/** The connection string of this test file's own database, for a child process. */
export function currentDatabaseUri(): string {
  const url = new URL(process.env.TEST_MONGODB_URI!);
  url.pathname = `/${mongoose.connection.name}`;
  return url.toString();
}

export interface CrashChild {
  /** Resolves with the point the child stopped at, or `DONE ...` / `FAILED ...` when it ran to the end. */
  stopped: Promise<string>;
  /** Every point the child reported, in order. */
  points: string[];
  /** Kills the child with SIGKILL and waits for it to be gone. */
  kill(): Promise<void>;
}

/** Starts test/fixtures/crash-worker.ts with the job (node with tsx, as in production but for the probe). */
export function startCrashChild(job: Omit<CrashJob, 'uri'>): CrashChild {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../fixtures/crash-worker.ts')], {
    env: { ...process.env, CRASH_JOB: JSON.stringify({ ...job, uri: currentDatabaseUri() }), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const points: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopped = new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('POINT ')) points.push(line.slice(6));
        else if (line.startsWith('PAUSED ')) resolve(line.slice(7));
        else if (line.startsWith('DONE ') || line.startsWith('FAILED ')) resolve(line);
      }
    });
    void exited.then(() => reject(new Error(`the crash worker exited before stopping: ${stderr.slice(-2000)}`)));
  });
  return {
    stopped,
    points,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits until a lease of `ms` taken now has run out (leases are real time, and short in these tests). */
export function afterLease(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms + 50));
}
