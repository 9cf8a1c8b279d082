import { Types } from 'mongoose';
import { recordAuditEvent } from '../audit/audit.service';
import type { UnLanguage } from '../directory/directory.types';
import { listStates } from '../directory/directory.service';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { logger } from '../shared/logger';
import { findUserByEmail, findUserById, insertUser } from './accounts.repository';
import { assertSecretariat } from './accounts.policy';
import type { RequestContext } from './accounts.service';
import type { AccountUser } from './accounts.types';
import { mailTranslator, sendAccountMail, type MailContext } from './account-mail';
import { AccessRequestModel, type AccessRequestStatus } from './access-request.model';
import { sendSetPasswordLink } from './password-reset.service';

export interface AccessRequest {
  id: string;
  name: string;
  institution: string;
  state: string;
  email: string;
  reason: string;
  /** The restricted State whose page the request was made from. */
  forState?: string;
  language: UnLanguage;
  status: AccessRequestStatus;
  createdAt: Date;
  decidedBy?: string;
  decidedByEmail?: string;
  decidedAt?: Date;
  note?: string;
  userId?: string;
  /** How many times the address sent this request while it was pending (the latest details are kept). */
  submissions: number;
}

export type NewAccessRequest = Pick<AccessRequest, 'name' | 'institution' | 'state' | 'email' | 'reason' | 'language' | 'forState'>;

interface AccessRequestDocument extends Omit<AccessRequest, 'id'> {
  _id: Types.ObjectId;
}

function toAccessRequest(doc: AccessRequestDocument): AccessRequest {
  return {
    id: String(doc._id),
    name: doc.name,
    institution: doc.institution,
    state: doc.state,
    email: doc.email,
    reason: doc.reason,
    forState: doc.forState ?? undefined,
    language: doc.language,
    status: doc.status,
    createdAt: doc.createdAt,
    decidedBy: doc.decidedBy ?? undefined,
    decidedAt: doc.decidedAt ?? undefined,
    note: doc.note ?? undefined,
    userId: doc.userId ?? undefined,
    submissions: doc.submissions ?? 1,
  };
}

/** Throws a ValidationError on `field` unless every code is a State of the directory. */
export async function assertKnownStates(codes: string[], field: string): Promise<void> {
  const known = new Set((await listStates({}, 'en')).map((state) => state.code));
  if (codes.some((code) => !known.has(code))) throw new ValidationError({ [field]: 'errors.stateUnknown' });
}

/**
 * Records a practitioner's request for access and acknowledges it by e-mail, in the language it
 * was made in. A second request from an address whose first is still pending is not listed again:
 * it replaces the details of the first (the latest are what the secretariat should read) and
 * counts as one more submission, without a second acknowledgement. Says nothing about whether an
 * account already exists for the address (the secretariat sees that when deciding), so it reveals
 * no accounts.
 */
export async function submitAccessRequest(input: NewAccessRequest, context: RequestContext = {}, mail?: MailContext): Promise<AccessRequest> {
  await assertKnownStates([input.state], 'state');
  if (input.forState) await assertKnownStates([input.forState], 'forState');
  const email = input.email.trim().toLowerCase();
  const details = { name: input.name, institution: input.institution, state: input.state, reason: input.reason, language: input.language, ...(input.forState ? { forState: input.forState } : {}) };
  const merged = await AccessRequestModel.findOneAndUpdate(
    { email: { $eq: email }, status: 'pending' },
    { $set: { ...details, resubmittedAt: context.now ?? new Date() }, ...(input.forState ? {} : { $unset: { forState: 1 } }), $inc: { submissions: 1 } },
    { new: true },
  ).lean<AccessRequestDocument>();
  if (merged) return toAccessRequest(merged);

  const doc = await AccessRequestModel.create({ ...details, email, status: 'pending', submissions: 1, createdAt: context.now ?? new Date() });
  const created = toAccessRequest(doc.toObject() as unknown as AccessRequestDocument);
  if (mail) {
    // The request is recorded whatever the mail server says; a failed acknowledgement is only logged
    await sendAccountMail(mail, 'accessReceived', created.email, created.language, { name: created.name }).catch((error: unknown) =>
      logger.error({ err: error, request: created.id }, 'the acknowledgement of an access request could not be sent'),
    );
  }
  return created;
}

/** Pending requests first (oldest first, so none waits forever), then the latest decided ones. */
export async function listAccessRequests(actor: AccountUser | undefined, limit = 200): Promise<AccessRequest[]> {
  assertSecretariat(actor);
  const pending = await AccessRequestModel.find({ status: 'pending' }).sort({ createdAt: 1 }).limit(limit).lean<AccessRequestDocument[]>();
  const decided = await AccessRequestModel.find({ status: { $in: ['approved', 'rejected'] } }).sort({ decidedAt: -1 }).limit(limit).lean<AccessRequestDocument[]>();
  const requests = [...pending, ...decided].map(toAccessRequest);
  const deciders = new Map<string, string>();
  for (const id of new Set(requests.map((request) => request.decidedBy).filter((id): id is string => Boolean(id)))) {
    const user = await findUserById(id);
    if (user) deciders.set(id, user.email);
  }
  return requests.map((request) => ({ ...request, decidedByEmail: request.decidedBy ? deciders.get(request.decidedBy) : undefined }));
}

export async function countPendingAccessRequests(): Promise<number> {
  return AccessRequestModel.countDocuments({ status: 'pending' });
}

/**
 * Approves or rejects a pending request, once: the status changes by a conditional update, so two
 * secretariat members deciding at once cannot both act. Approval creates the practitioner account
 * (without a password) and e-mails a link to choose one; rejection e-mails the note.
 */
export async function decideAccessRequest(
  actor: AccountUser | undefined,
  id: string,
  decision: 'approved' | 'rejected',
  note: string | undefined,
  mail: MailContext,
  context: RequestContext = {},
): Promise<AccessRequest> {
  assertSecretariat(actor);
  const now = context.now ?? new Date();
  if (!Types.ObjectId.isValid(id)) throw new NotFoundError('No such access request');
  const existing = await AccessRequestModel.findById(id).lean<AccessRequestDocument>();
  if (!existing) throw new NotFoundError('No such access request');
  if (existing.status !== 'pending') throw new ConflictError('errors.alreadyDecided');
  if (decision === 'approved' && (await findUserByEmail(existing.email))) throw new ConflictError('errors.accountExists');

  const claimed = await AccessRequestModel.updateOne(
    { _id: existing._id, status: 'pending' },
    { $set: { status: decision, decidedBy: actor.id, decidedAt: now, ...(note ? { note } : {}) } },
  );
  if (claimed.modifiedCount !== 1) throw new ConflictError('errors.alreadyDecided');

  let userId: string | undefined;
  if (decision === 'approved') {
    const user = await insertUser({ email: existing.email, name: existing.name, institution: existing.institution, role: 'practitioner', states: [], language: existing.language });
    userId = user.id;
    await AccessRequestModel.updateOne({ _id: existing._id }, { $set: { userId } });
    await sendSetPasswordLink(user, mail, now);
  } else if (!(await findUserByEmail(existing.email))) {
    const t = mailTranslator(existing.language);
    await sendAccountMail(mail, 'accessRejected', existing.email, existing.language, { name: existing.name, note: note ?? t('mail.accessRejected.noNote') });
  }
  // else: the address already has an account (approved through another request, or invited), so
  // a "not approved" mail about this request would tell its holder something untrue
  await recordAuditEvent(
    { type: 'access-request-decided', actorId: actor.id, actorEmail: actor.email, subject: userId ?? id, ip: context.ip, details: { request: id, email: existing.email, decision, state: existing.state, ...(note ? { note } : {}) } },
    now,
  );
  return toAccessRequest({ ...existing, status: decision, decidedBy: actor.id, decidedAt: now, note, userId });
}

export async function ensureAccessRequestIndexes(): Promise<void> {
  await AccessRequestModel.createCollection();
  await AccessRequestModel.createIndexes();
}
