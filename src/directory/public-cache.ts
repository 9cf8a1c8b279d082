import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { currentDirectory, directoryStaleSince } from './directory-cache';
import { requestId } from '../shared/logger';
import { hasSessionCookie } from '../shared/session-cookie';

/** The content codings a stored answer may be sent in besides identity, in the order they are preferred. */
type Coding = 'br' | 'gzip';
const CODINGS: Coding[] = ['br', 'gzip'];

/** A rendered answer kept for anonymous viewers, with the headers that describe it. */
interface CachedAnswer {
  body: Buffer;
  etag: string;
  /** Every header the app gave the answer, security headers included, but none that is each request's own. */
  headers: Array<[string, string]>;
  /** The body compressed, made the first time a reader accepts that coding: compressing on every hit cost more than the rest of the answer. */
  encoded: Partial<Record<Coding, { body: Buffer; etag: string }>>;
}

/** The paths whose anonymous answers depend only on the URL, the language and the directory's data. */
const CACHEABLE = /^\/(?:$|feed\.atom$|search$|find$|api$|states(?:\/|$)|authorities\/|resources$|api\/v1\/(?:states|authorities)(?:\/|$)|api\/v1\/(?:find|search)$)/;

/** Headers of an answer that belong to one request or one connection, so never given again on a hit. */
const REQUEST_HEADERS = new Set(['x-request-id', 'set-cookie', 'etag', 'x-cache', 'content-length', 'content-encoding', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

/** Below this a compressed body saves less than its coding costs (the compression middleware's own threshold). */
const COMPRESS_FROM_BYTES = 1024;

const MAX_ENTRIES = 2000;
const MAX_ENTRY_BYTES = 1024 * 1024;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/** Compressed once per answer and kept, so a higher level than per-request compression can afford. */
const BROTLI_QUALITY = 6;
const GZIP_LEVEL = 6;

function storedBytes(answer: CachedAnswer): number {
  return CODINGS.reduce((bytes, coding) => bytes + (answer.encoded[coding]?.body.length ?? 0), answer.body.length);
}

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
      this.totalBytes -= storedBytes(old);
      this.entries.delete(key);
    }
    this.entries.set(key, answer);
    this.totalBytes += storedBytes(answer);
    this.evict();
  }

  /** The answer in `coding`, compressed now if no reader asked for it in that coding before. */
  encode(key: string, answer: CachedAnswer, coding: Coding): { body: Buffer; etag: string } {
    const kept = answer.encoded[coding];
    if (kept) return kept;
    const body = coding === 'br' ? zlib.brotliCompressSync(answer.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: answer.body.length } }) : zlib.gzipSync(answer.body, { level: GZIP_LEVEL });
    // Another coding is another representation: its strong validator differs
    const encoded = { body, etag: `${answer.etag.slice(0, -1)}-${coding}"` };
    answer.encoded[coding] = encoded;
    if (this.entries.get(key) === answer) {
      this.totalBytes += body.length;
      this.evict();
    }
    return encoded;
  }

  private evict(): void {
    // A Map iterates in insertion order: the oldest answers go first
    for (const [oldest, value] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.totalBytes <= MAX_TOTAL_BYTES) break;
      this.entries.delete(oldest);
      this.totalBytes -= storedBytes(value);
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

/** The coding to send a stored answer in: the best the reader accepts, none for a small body. */
function chosenCoding(req: Request, answer: CachedAnswer): Coding | undefined {
  if (answer.body.length < COMPRESS_FROM_BYTES || !req.headers['accept-encoding']) return undefined;
  const accepted = req.acceptsEncodings([...CODINGS, 'identity']);
  return CODINGS.find((coding) => coding === accepted);
}

/** Sends a stored answer as it was first sent, in the coding the reader prefers, or 304 when the reader holds it. */
function sendStored(store: AnswerStore, key: string, req: Request, res: Response, answer: CachedAnswer, cache: 'hit' | 'miss'): void {
  const coding = chosenCoding(req, answer);
  const sent = coding ? store.encode(key, answer, coding) : answer;
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  if (res.getHeader('X-Request-Id') === undefined) requestId(req, res);
  res.setHeader('ETag', sent.etag);
  res.setHeader('X-Cache', cache);
  if (matchesIfNoneMatch(req, sent.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  if (coding) res.setHeader('Content-Encoding', coding);
  res.setHeader('Content-Length', String(sent.body.length));
  res.statusCode = 200;
  if (req.method === 'HEAD') res.end();
  else res.end(sent.body);
}

/** Every header of an answer as the app set it, less those of one request; compression's Vary is added since it is set later. */
function storedHeaders(res: Response): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined || REQUEST_HEADERS.has(name)) continue;
    headers.push([name, Array.isArray(value) ? value.join(', ') : String(value)]);
  }
  const vary = headers.find(([name]) => name === 'vary');
  if (!vary) headers.push(['vary', 'Accept-Encoding']);
  else if (!/accept-encoding/i.test(vary[1])) vary[1] = `${vary[1]}, Accept-Encoding`;
  return headers;
}

/**
 * Keeps the answer being sent when it is a public, cookie-free 200 of HTML, JSON or an Atom feed,
 * and sends it the way a hit is sent (so its first reader gets the same validator as the next).
 */
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
    if (!storable) return send(body);
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body as string);
    if (res.getHeader('Content-Type') === undefined) res.setHeader('Content-Type', contentType);
    const answer: CachedAnswer = { body: bytes, etag: strongEtag(bytes), headers: storedHeaders(res), encoded: {} };
    store.remember(key, answer);
    sendStored(store, key, req, res, answer, 'miss');
    return res;
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
        if (answer) return sendStored(store, key, req, res, answer, 'hit');
        const inFlight = rendering.get(key);
        // A burst of readers (a crawler, the minutes after a change) renders each page once
        if (!inFlight) return render(req, res, next, key);
        void inFlight.then(() => {
          const ready = store.get(key);
          if (ready) sendStored(store, key, req, res, ready, 'hit');
          // the first answer was not one to keep (an error, a page of its own): render this one
          else next();
        });
      },
      // The route reports an unreadable directory its own way
      () => next(),
    );
  };
}

