import { logger } from '../shared/logger';
import { AuditEventModel } from './audit.model';

export const AUDIT_EVENT_TYPES = [
  'sign-in',
  'sign-in-failed',
  'sign-in-locked',
  'second-factor-failed',
  'recovery-code-used',
  'totp-enrolled',
  'sign-out',
  'sign-out-everywhere',
  'password-reset-requested',
  'password-reset',
  'role-changed',
  'access-setting-changed',
  'invitation-sent',
  'invitation-accepted',
  'access-request-decided',
  'api-token-created',
  'api-token-revoked',
  'export',
  'import',
  'directory-record-changed',
  'reminder-campaign-changed',
  'problem-report-status-changed',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export interface AuditEvent {
  type: AuditEventType;
  actorId?: string;
  actorEmail?: string;
  subject?: string;
  state?: string;
  ip?: string;
  details?: Record<string, unknown>;
}

/**
 * Records a security event; never throws, because failing to log must not fail the user's action.
 * An `id` chosen beforehand (a write journal's) makes recording it again after a crash a no-op.
 */
export async function recordAuditEvent(event: AuditEvent, at = new Date(), id?: string): Promise<void> {
  try {
    await AuditEventModel.create({ ...event, at, ...(id ? { _id: id } : {}) });
  } catch (error) {
    if (id && (error as { code?: unknown }).code === 11000) return;
    logger.error({ err: error, event }, 'audit event not recorded');
  }
}

export interface AuditEntry extends AuditEvent {
  id: string;
  at: Date;
}

/** The latest events, newest first, optionally of one type or about one subject; `offset` skips that many (for pages). */
export async function listAuditEvents(filter: { type?: AuditEventType; subject?: string; limit?: number; offset?: number } = {}): Promise<AuditEntry[]> {
  const query: Record<string, unknown> = {};
  if (filter.type) query.type = { $eq: filter.type };
  if (filter.subject) query.subject = { $eq: filter.subject };
  const docs = await AuditEventModel.find(query)
    .sort({ at: -1, _id: -1 })
    .skip(filter.offset ?? 0)
    .limit(filter.limit ?? 200)
    .lean();
  return docs.map((doc) => ({
    id: String(doc._id),
    at: doc.at,
    type: doc.type as AuditEventType,
    actorId: doc.actorId ?? undefined,
    actorEmail: doc.actorEmail ?? undefined,
    subject: doc.subject ?? undefined,
    state: doc.state ?? undefined,
    ip: doc.ip ?? undefined,
    details: (doc.details as Record<string, unknown>) ?? {},
  }));
}

export async function ensureAuditIndexes(): Promise<void> {
  await AuditEventModel.createCollection();
  await AuditEventModel.createIndexes();
}
