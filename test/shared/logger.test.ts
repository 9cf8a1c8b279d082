import { redactUrl } from '../../src/shared/logger';

describe('log redaction', () => {
  it.each([
    ['/password/reset/abcDEF123_-', '/password/reset/[redacted]'],
    ['/invitations/tok3n?lang=ru', '/invitations/[redacted]?lang=ru'],
  ])('when %s is logged, then the single-use token is replaced', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('when an ordinary path is logged, then it is kept as it is', () => {
    expect(redactUrl('/states/FRA?lang=ru')).toBe('/states/FRA?lang=ru');
  });
});

describe('log records', () => {
  function capture(): { lines: () => Array<Record<string, unknown>>; log: import('pino').Logger } {
    const written: string[] = [];
    const pino = jest.requireActual<typeof import('pino')>('pino');
    const { loggerOptions } = jest.requireActual<typeof import('../../src/shared/logger')>('../../src/shared/logger');
    const log = pino.default({ ...loggerOptions, level: 'info' }, { write: (line: string) => written.push(line) });
    return { lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>), log };
  }

  it('when an e-mail address is in a message or a field, then it is logged as [email]', () => {
    const { lines, log } = capture();
    log.warn({ answer: '550 5.1.1 <focal.fra@directory.example>: no such user', nested: { to: ['a.b@example.org'] } }, 'mail to someone@example.org failed');
    const [record] = lines();
    expect(JSON.stringify(record)).not.toContain('@example');
    expect(record?.msg).toBe('mail to [email] failed');
  });

  it('when a request carries a cookie and an authorization header, then neither is logged', () => {
    const { lines, log } = capture();
    log.info({ req: { headers: { cookie: 'cad.sid=s%3Asecret', authorization: 'Bearer cad_secret' } } }, 'request completed');
    const text = JSON.stringify(lines()[0]);
    expect(text).not.toContain('secret');
  });
});

describe('request ids', () => {
  const { requestId } = jest.requireActual<typeof import('../../src/shared/logger')>('../../src/shared/logger');
  function idFor(given?: string): { id: string; header: unknown } {
    const headers: Record<string, unknown> = {};
    const id = requestId({ headers: given === undefined ? {} : { 'x-request-id': given } } as never, { setHeader: (name: string, value: unknown) => (headers[name] = value) } as never);
    return { id, header: headers['X-Request-Id'] };
  }

  it('when a proxy sends a short safe X-Request-Id, then it is kept and echoed', () => {
    expect(idFor('edge-1234.abc')).toEqual({ id: 'edge-1234.abc', header: 'edge-1234.abc' });
  });

  it('when the X-Request-Id could forge a log line, then a new id is made instead', () => {
    const { id, header } = idFor('x\n{"level":60}');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(header).toBe(id);
  });
});
