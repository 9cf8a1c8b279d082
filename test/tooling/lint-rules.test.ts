import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Lints one source text as if it were the file at `filename`, with the project's own configuration. */
function lint(filename: string, source: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', filename], {
    cwd: ROOT,
    input: source,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('lint: dependencies of the production install', () => {
  it('when src/ imports a devDependency, then lint fails naming the rule', () => {
    const result = lint('src/shared/example.ts', "import request from 'supertest';\nexport const r = request;\n");
    expect(result.status).toBe(1);
    expect(result.output).toContain('import-x/no-extraneous-dependencies');
  });

  it('when test/ imports a devDependency, then lint passes', () => {
    const result = lint('test/shared/example.test.ts', "import request from 'supertest';\nexport const r = request;\n");
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('when src/ imports csv-parse (read by the import at run time), then lint passes', () => {
    const result = lint('src/exchange/example.ts', "import { parse } from 'csv-parse/sync';\nexport const p = parse;\n");
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
