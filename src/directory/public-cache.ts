import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { currentDirectory, directoryStaleSince } from './directory-cache';
import { hasSessionCookie } from '../shared/session-cookie';

/** A rendered answer kept for anonymous viewers, with the headers that describe it. */
interface CachedAnswer {
  body: Buffer;
  etag: string;
  headers: Array<[string, string]>;
}

/** The paths whose anonymous answers depend only on the URL, the language and the directory's data. */
const CACHEABLE = /^\/(?:$|feed\.atom$|search$|find$|api$|states(?:\/|$)|authorities\/|resources$|api\/v1\/(?:states|authorities)(?:\/|$)|api\/v1\/(?:find|search)$)/;

/** Headers of a stored answer given again on a hit (the request id, cookies and security headers are each request's own). */
const KEPT_HEADERS = ['content-type', 'content-language', 'cache-control', 'vary', 'link'];

const MAX_ENTRIES = 2000;
const MAX_ENTRY_BYTES = 1024 * 1024;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/**
 * The answers one app keeps, rendered from one snapshot: any other snapshot (a new version, a
 * reload) empties it. One per app, so two apps in one process (tests) never share answers.
 */
class AnswerStore {
  private snapshot: object | undefined;
  private readonly entries = new Map<string, CachedAnswer>();
  private totalBytes = 0;

  /** Forgets every answer when they were rendered from another snapshot than this one. */
  useSnapshot(snapshot: object): void {
    if (this.snapshot === snapshot) return;
    this.entries.clear();
    this.totalBytes = 0;
    this.snapshot = snapshot;
  }

  get(key: string): CachedAnswer | undefined {
    return this.entries.get(key);
  }

  remember(key: string, answer: CachedAnswer): void {
    if (answer.body.length > MAX_ENTRY_BYTES) return;
    const old = this.entries.get(key);
    if (old) {
      this.totalBytes -= old.body.length;
      this.entries.delete(key);
    }
    this.entries.set(key, answer);
    this.totalBytes += answer.body.length;
    // A Map iterates in insertion order: the oldest answers go first
    for (const [oldest, value] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.totalBytes <= MAX_TOTAL_BYTES) break;
      this.entries.delete(oldest);
      this.totalBytes -= value.body.length;
    }
  }
}

/** A request whose answer cannot be anyone's own: no session cookie and no Authorization header. */
export function isAnonymousRequest(req: Request): boolean {
  return req.headers.authorization === undefined && !hasSessionCookie(req);
}

/** An anonymous GET or HEAD of a public directory page or API read: it needs no session nor passport. */
export function isAnonymousPublicRead(req: Request): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && CACHEABLE.test(req.path) && isAnonymousRequest(req);
}

/** The `lang` cookie's value, read without parsing every cookie (cookie-parser has not run yet). */
function languageCookie(req: Request): string {
  const match = /(?:^|;\s*)lang=([^;]*)/.exec(req.headers.cookie ?? '');
  return match?.[1] ?? '';
}

/**
 * What decides an anonymous answer, in the order i18next reads the language (`?lang=` is in the
 * URL, then the `lang` cookie, then Accept-Language), and the directory's version stamp.
 */
function cacheKey(req: Request, version: number): string {
  return `${version}\n${req.method === 'HEAD' ? 'GET' : req.method} ${req.originalUrl}\n${languageCookie(req)}\n${req.headers['accept-language'] ?? ''}`;
}

/** A strong validator: the same bytes give the same tag on every instance. */
function strongEtag(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

function matchesIfNoneMatch(req: Request, etag: string): boolean {
  const given = req.headers['if-none-match'];
  if (!given) return false;
  return given.trim() === '*' || given.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function sendCached(req: Request, res: Response, answer: CachedAnswer): void {
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.setHeader('ETag', answer.etag);
  res.setHeader('X-Cache', 'hit');
  if (matchesIfNoneMatch(req, answer.etag)) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Length', String(answer.body.length));
  res.status(200);
  if (req.method === 'HEAD') res.end();
  else res.end(answer.body);
}

/** Keeps the answer being sent when it is a public, cookie-free 200 of HTML, JSON or an Atom feed. */
function captureAnswer(store: AnswerStore, req: Request, res: Response, key: string): void {
  const send = res.send.bind(res);
  res.send = function sendAndRemember(body?: unknown) {
    const cacheControl = String(res.getHeader('Cache-Control') ?? '');
    // res.send gives a string without a type text/html itself, after this point
    const contentType = String(res.getHeader('Content-Type') ?? (typeof body === 'string' ? 'text/html; charset=utf-8' : ''));
    const storable =
      res.statusCode === 200 &&
      (typeof body === 'string' || Buffer.isBuffer(body)) &&
      cacheControl.startsWith('public') &&
      res.getHeader('Set-Cookie') === undefined &&
      res.getHeader('X-Directory-Stale-Since') === undefined &&
      directoryStaleSince() === undefined &&
      /^(?:text\/html|application\/(?:[a-z.+-]+\+)?json|application\/atom\+xml)/.test(contentType);
    if (storable) {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body as string);
      const etag = strongEtag(bytes);
      if (res.getHeader('Content-Type') === undefined) res.setHeader('Content-Type', contentType);
      const headers: Array<[string, string]> = [];
      for (const name of KEPT_HEADERS) {
        const value = res.getHeader(name);
        if (value !== undefined) headers.push([name, Array.isArray(value) ? value.join(', ') : String(value)]);
      }
      // Express sees the ETag and answers If-None-Match with 304 itself
      res.setHeader('ETag', etag);
      store.remember(key, { body: bytes, etag, headers });
      res.setHeader('X-Cache', 'miss');
    }
    return send(body);
  } as Response['send'];
}

/**
 * The public read path. An anonymous GET of a directory page or API read (no session cookie, no
 * Authorization header) is answered from a rendered copy when one exists for the same URL,
 * language and directory version: no session store, passport, CSRF token, i18next clone or view
 * rendering runs. The version stamp is checked against the database by `currentDirectory` every
 * quarter second, so a write on any instance empties this cache on every instance. Only answers the
 * routes marked `public` are kept, so a page holding a form token (`no-store`), anything a
 * signed-in viewer or a token holder sees, and anything served while the directory may be stale
 * (its banner and `X-Directory-Stale-Since` are each request's own) never enter it.
 *
 * Answers keep `Cache-Control: public, no-cache` (cache-policy.ts): a browser or proxy may keep
 * them but asks again each time with `If-None-Match`, and gets a 304 from memory; a max-age would
 * let a copy outlive a change of access settings, which must show at once.
 */
export function createPublicCache(): RequestHandler {
  const store = new AnswerStore();
  /** Answers being rendered, by key: readers asking for one meanwhile wait for it instead of rendering it again. */
  const rendering = new Map<string, Promise<void>>();
  const render = (req: Request, res: Response, next: NextFunction, key: string) => {
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    rendering.set(key, done);
    const settle = () => {
      if (rendering.get(key) === done) rendering.delete(key);
      finished();
    };
    res.once('finish', settle);
    res.once('close', settle);
    captureAnswer(store, req, res, key);
    next();
  };
  return (req, res, next) => {
    if (!isAnonymousPublicRead(req)) return next();
    currentDirectory().then(
      (directory) => {
        if (directoryStaleSince() !== undefined) return next();
        store.useSnapshot(directory);
        const key = cacheKey(req, directory.version);
        const answer = store.get(key);
        if (answer) return sendCached(req, res, answer);
        const inFlight = rendering.get(key);
        // A burst of readers (a crawler, the minutes after a change) renders each page once
        if (!inFlight) return render(req, res, next, key);
        void inFlight.then(() => {
          const ready = store.get(key);
          if (ready) sendCached(req, res, ready);
          // the first answer was not one to keep (an error, a page of its own): render this one
          else next();
        });
      },
      // The route reports an unreadable directory its own way
      () => next(),
    );
  };
}

