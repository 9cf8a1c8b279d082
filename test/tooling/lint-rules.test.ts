import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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

describe('lint: tests read HTML with the DOM helper', () => {
  const READ_WITH_PAGE = 'with page() from test/helpers/html.ts';

  it.each([
    ['a tag', 'expect(html).toMatch(/<td>1<\\/td>/);'],
    ['a tag at the end of the pattern', 'expect(html).not.toMatch(/<script/);'],
    ['a tag before a word boundary', 'const options = html.match(/<option\\b[^>]*>/g);'],
    ['an attribute with its quote', 'expect(html).toMatch(/data-status="sent">2/);'],
    ['an attribute in a pattern built at run time', 'expect(html).toMatch(new RegExp(`data-campaign="${id}"`));'],
  ])('when a test matches %s with a regular expression, then lint fails pointing to page()', (_, line) => {
    const result = lint('test/shared/example.test.ts', `const html = ''; const id = '1';\n${line}\n`);
    expect(result.status).toBe(1);
    expect(result.output).toContain(READ_WITH_PAGE);
  });

  it.each([
    ['an attribute', `expect(html).toContain('href="/admin"');`],
    ['a tag in a template', 'expect(html).not.toContain(`<td>${id}</td>`);'],
    ['a tag with includes', "expect(html.includes('<option value')).toBe(true);"],
  ])('when a test searches a page for %s as a string, then lint fails pointing to page()', (_, line) => {
    const result = lint('test/shared/example.test.ts', `const html = ''; const id = '1';\n${line}\n`);
    expect(result.status).toBe(1);
    expect(result.output).toContain(READ_WITH_PAGE);
  });

  it('when a test looks for a file name in a Content-Disposition header as a string, then lint passes', () => {
    const result = lint('test/shared/example.test.ts', `const header = '';\nexpect(header).toContain('filename="directory.csv"');\n`);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('when a test matches a Message-ID or a header with a regular expression, then lint passes', () => {
    const result = lint('test/shared/example.test.ts', "const id = '';\nexpect(id).toMatch(/^<reminder-[a-f0-9]{24}@localhost>$/);\nexpect(id).toMatch(/^HTTP\\/1\\.1 403 /);\n");
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});

/** Cruises one fixture module graph written under src/ with the project's dependency rules. */
function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(ROOT, 'src', 'shared', 'tmp-cruise-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), path.relative(ROOT, dir)], { cwd: ROOT, encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('dependency rules (dependency-cruiser)', () => {
  it('when shared/ imports a component, then the cruise fails naming the rule', () => {
    const result = cruise({ 'a.ts': "import { listStates } from '../../directory/directory.service';\nexport const a = listStates;\n" });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('shared-imports-no-component');
  });

  it('when two modules import each other, then the cruise fails naming the cycle', () => {
    const result = cruise({ 'a.ts': "import { b } from './b';\nexport const a = () => b;\n", 'b.ts': "import { a } from './a';\nexport const b = () => a;\n" });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('no-circular');
  });

  it('when shared/ modules import only each other, then the cruise passes', () => {
    const result = cruise({ 'a.ts': "import { STALE_AFTER_MONTHS } from '../freshness';\nexport const a = STALE_AFTER_MONTHS;\n" });
    expect(result.output).toContain('no dependency violations');
    expect(result.status).toBe(0);
  });
});
