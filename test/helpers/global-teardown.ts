import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.__EMBEDDED_DATABASE__;
  if (!embedded) return;
  await embedded.database.stop();
  fs.rmSync(embedded.dir, { recursive: true, force: true });
}
