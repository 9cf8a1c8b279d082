import type { Request, RequestHandler } from 'express';
import { formRateLimit, type FormRateLimitOptions } from '../shared/rate-limit';

/**
 * Limits on the forms that strangers can post. Made per app (in accountPages), so each app
 * instance counts its own; behind several instances each counts separately, which only loosens
 * the limit by that factor.
 */
export interface AccountRateLimits {
  /** Password-reset requests from one address. */
  forgotPerIp: RequestHandler;
  /** Password-reset requests for one e-mail address, wherever they come from (no mail-bombing). */
  forgotPerEmail: RequestHandler;
  /** Posts of a link's form (new password, accepting an invitation). */
  linkFormPerIp: RequestHandler;
  /** Access requests (registration) from one address. */
  accessRequestPerIp: RequestHandler;
}

const limiter = (options: Omit<FormRateLimitOptions, 'view'>): RequestHandler => formRateLimit({ ...options, view: 'accounts/too-many' });

const postedEmail = (req: Request): string => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '';
};

export function accountRateLimits(): AccountRateLimits {
  return {
    forgotPerIp: limiter({ windowMinutes: 15, limit: 20 }),
    forgotPerEmail: limiter({ windowMinutes: 60, limit: 5, keyGenerator: (req) => `email:${postedEmail(req)}`, skip: (req) => postedEmail(req) === '' }),
    linkFormPerIp: limiter({ windowMinutes: 15, limit: 30 }),
    accessRequestPerIp: limiter({ windowMinutes: 60, limit: 10 }),
  };
}
