import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Runs the server as `npm run dev` does, with `env` added, and returns how it ended. */
function startServer(env: Record<string, string>): { status: number | null; lines: string[] } {
  const result = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 50_000,
  });
  const lines = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  return { status: result.status, lines };
}

describe('start-up with a bad setting', () => {
  it('when FERRETDB_BIN names no file, then one line names the setting and the process exits 1 without a stack', () => {
    const { status, lines } = startServer({ FERRETDB_BIN: '/nonexistent/ferretdb', DATA_DIR: '/tmp/directory-bad-bin' });
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('FERRETDB_BIN');
    expect(lines[0]).not.toContain('    at ');
    expect(lines[0]).not.toContain("Unhandled 'error' event");
  });

  it('when PORT is not a number, then one line names the setting and the process exits 1', () => {
    const { status, lines } = startServer({ PORT: 'eighty' });
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(lines[0]).not.toContain('    at ');
  });
});
