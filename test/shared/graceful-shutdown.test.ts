/**
 * A stop (SIGTERM, as an orchestrator sends one) lets the requests in flight finish, refuses new
 * connections, and ends the process cleanly. Tested on the real server in a child process.
 */
import net from 'node:net';
import { processDatabaseUri, startServerProcess, type ServerProcess } from '../helpers/server-process';

jest.setTimeout(120_000);

const ENV = { NODE_ENV: 'production', COOKIE_SECRET: 'a-production-secret-0123456789', SMTP_URL: 'smtp://127.0.0.1:2525' };

/** Resolves once a log line with this message has been printed. */
async function logged(server: ServerProcess, msg: string): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 50) {
    if (server.logs.some((line) => line.msg === msg)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no "${msg}" log line`);
}

/** Whether a new TCP connection to the server is accepted. */
async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('stopping the server', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => server?.stop());

  it('when SIGTERM arrives while a request is being received, then that request is answered, new connections are refused, and the process exits 0', async () => {
    server = await startServerProcess({ ...ENV, MONGODB_URI: processDatabaseUri('shutdown') });
    const port = Number(new URL(server.baseUrl).port);

    // A request whose body is only half sent stays in flight for as long as we like
    const body = 'email=someone%40example.org&password=wrong-password';
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const exited = new Promise<number | null>((resolve) => server!.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    await logged(server, 'shutting down');

    expect(await accepts(port)).toBe(false);
    expect(server.child.exitCode).toBeNull();

    socket.write(body.slice(10));
    await closed;
    // The form had no CSRF token: refused, but answered, not cut off
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(await exited).toBe(0);
    expect(server.logs.some((line) => line.msg === 'stopped')).toBe(true);
  });

  it('when SIGTERM arrives with no request in flight, then the process exits 0 and logs that it stopped', async () => {
    server = await startServerProcess({ ...ENV, MONGODB_URI: processDatabaseUri('shutdown') });
    const exited = new Promise<number | null>((resolve) => server!.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const messages = server.logs.map((line) => line.msg);
    expect(messages.indexOf('shutting down')).toBeLessThan(messages.indexOf('stopped'));
  });
});
