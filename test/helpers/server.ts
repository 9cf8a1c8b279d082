import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { testApp } from './app';

export interface RunningApp {
  /** Where the app answers, e.g. `http://127.0.0.1:40123`, without a trailing slash. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Serves the real app on a free loopback port, against whatever database Mongoose is connected to
 * (so call it after `useTestDatabase()`'s beforeAll has run), for clients that need a socket: a browser.
 */
export async function startTestServer(): Promise<RunningApp> {
  const server: Server = await new Promise((resolve, reject) => {
    const listening = testApp().listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // A browser's keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}
