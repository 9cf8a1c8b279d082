import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { PROJECT_ROOT } from './paths';

const PUBLIC_DIR = path.join(PROJECT_ROOT, 'public');
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/** A short hash of each file under public/, read once at start-up (the folder holds a few small files). */
function fingerprints(dir: string, base = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const url = `${base}/${entry.name}`;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const [key, value] of fingerprints(full, url)) found.set(key, value);
    else found.set(url, createHash('sha256').update(fs.readFileSync(full)).digest('base64url').slice(0, 12));
  }
  return found;
}

const hashes = fingerprints(PUBLIC_DIR);

/**
 * The URL of a file under public/ with its content hash (`/css/main.css?v=…`), used by the views:
 * a changed file gets a new URL, so a browser may keep each version for a year without asking.
 */
export function assetUrl(url: string): string {
  const hash = hashes.get(url);
  return hash ? `${url}?v=${hash}` : url;
}

/**
 * Serves public/. A request naming the file's current hash is answered `immutable` for a year;
 * one without it (an old link, a bookmark) is revalidated, briefly cached in production.
 */
export function staticAssets(production: boolean): RequestHandler {
  const serve = express.static(PUBLIC_DIR, {
    maxAge: production ? '1h' : 0,
    setHeaders: (res, file) => {
      const url = `/${path.relative(PUBLIC_DIR, file).split(path.sep).join('/')}`;
      const asked = new URL(res.req.url ?? '/', 'http://x').searchParams.get('v');
      if (asked && asked === hashes.get(url)) res.setHeader('Cache-Control', `public, max-age=${ONE_YEAR_SECONDS}, immutable`);
    },
  });
  // Only the files public/ holds go to the file system: a look-up for every page and API read cost a system call each
  return (req, res, next) => (hashes.has(req.path) ? serve(req, res, next) : next());
}
