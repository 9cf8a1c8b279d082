import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';

export interface FormRateLimitOptions {
  windowMinutes: number;
  limit: number;
  /** The page a refused post gets (429), rendered with `minutes`: the wait, in the reader's language. */
  view: string;
  keyGenerator?: (req: Request) => string;
  skip?: (req: Request) => boolean;
}

/**
 * A limit on a form strangers can post, counted per client address by default. Each app instance
 * counts its own; behind several instances each counts separately, which only loosens the limit by
 * that factor.
 */
export function formRateLimit(options: FormRateLimitOptions): RequestHandler {
  const windowMs = options.windowMinutes * 60_000;
  return rateLimit({
    windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Clients may send X-Forwarded-For; it is ignored unless TRUST_PROXY names the proxy
    validate: { xForwardedForHeader: false },
    ...(options.keyGenerator ? { keyGenerator: options.keyGenerator } : {}),
    ...(options.skip ? { skip: options.skip } : {}),
    handler: (_req, res) => {
      res.set('Retry-After', String(Math.ceil(windowMs / 1000)));
      res.status(429).render(options.view, { minutes: options.windowMinutes });
    },
  });
}
