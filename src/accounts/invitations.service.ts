import { Types } from 'mongoose';
import { recordAuditEvent } from '../audit/audit.service';
import { listStates } from '../directory/directory.service';
import type { UnLanguage } from '../directory/directory.types';
import { ConflictError, ValidationError } from '../shared/errors';
import { bumpSessionEpoch, findUserByEmail, insertUser, updateInvitedUser } from './accounts.repository';
import { assertSecretariat } from './accounts.policy';
import type { RequestContext } from './accounts.service';
import type { AccountUser } from './accounts.types';
import { link, sendAccountMail, type MailContext } from './account-mail';
import { assertKnownStates } from './access-requests.service';
import { InvitationModel } from './invitation.model';
import { consumeToken, issueToken, peekToken } from './one-time-tokens';
import { hashPassword } from './password';

export const INVITATION_DAYS = 7;

export interface Invitation {
  id: string;
  email: string;
  name: string;
  states: string[];
  language: UnLanguage;
  invitedBy: string;
  invitedByEmail?: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt?: Date;
  userId?: string;
  status: 'pending' | 'accepted' | 'expired';
}

export interface NewInvitation {
  email: string;
  name: string;
  states: string[];
  language: UnLanguage;
}

interface InvitationDocument extends Omit<Invitation, 'id' | 'status'> {
  _id: Types.ObjectId;
}

function toInvitation(doc: InvitationDocument, now: Date): Invitation {
  return {
    id: String(doc._id),
    email: doc.email,
    name: doc.name,
    states: doc.states ?? [],
    language: doc.language,
    invitedBy: doc.invitedBy,
    invitedByEmail: doc.invitedByEmail ?? undefined,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    acceptedAt: doc.acceptedAt ?? undefined,
    userId: doc.userId ?? undefined,
    status: doc.acceptedAt ? 'accepted' : doc.expiresAt <= now ? 'expired' : 'pending',
  };
}

/** An invitation may make an account a focal point, but never lower the secretariat or revive a deactivated account. */
function invitableProblem(existing: AccountUser | undefined): string | undefined {
  if (existing?.role === 'secretariat') return 'errors.inviteSecretariat';
  if (existing?.status === 'disabled') return 'errors.inviteDisabled';
  return undefined;
}

/**
 * E-mails a focal-point invitation for these States, valid INVITATION_DAYS days, in the language
 * chosen for it. Accepting creates the account, or makes an existing practitioner or focal point
 * the focal point of these States.
 */
export async function sendInvitation(actor: AccountUser | undefined, input: NewInvitation, mail: MailContext, context: RequestContext = {}): Promise<Invitation> {
  assertSecretariat(actor);
  const now = context.now ?? new Date();
  await assertKnownStates(input.states, 'states');
  const problem = invitableProblem(await findUserByEmail(input.email));
  if (problem) throw new ValidationError({ email: problem });
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 3600_000);
  const doc = await InvitationModel.create({
    email: input.email,
    name: input.name,
    states: input.states,
    language: input.language,
    invitedBy: actor.id,
    invitedByEmail: actor.email,
    createdAt: now,
    expiresAt,
  });
  const invitation = toInvitation(doc.toObject() as unknown as InvitationDocument, now);
  const { token } = await issueToken({ purpose: 'invitation', email: input.email, subject: invitation.id, ttlMs: INVITATION_DAYS * 24 * 3600_000, now });
  const names = new Map((await listStates({}, input.language)).map((state) => [state.code, state.name]));
  await sendAccountMail(mail, 'invitation', input.email, input.language, {
    name: input.name,
    states: input.states.map((code) => names.get(code) ?? code).join(', '),
    link: link(mail, `/invitations/${token}`),
    count: INVITATION_DAYS,
  });
  await recordAuditEvent({ type: 'invitation-sent', actorId: actor.id, actorEmail: actor.email, subject: invitation.id, ip: context.ip, details: { email: input.email, states: input.states, language: input.language } }, now);
  return invitation;
}

/** The latest invitations, newest first, with whether each is pending, accepted or expired. */
export async function listInvitations(actor: AccountUser | undefined, limit = 100, now = new Date()): Promise<Invitation[]> {
  assertSecretariat(actor);
  const docs = await InvitationModel.find({}).sort({ createdAt: -1 }).limit(limit).lean<InvitationDocument[]>();
  return docs.map((doc) => toInvitation(doc, now));
}

export async function countPendingInvitations(now = new Date()): Promise<number> {
  return InvitationModel.countDocuments({ acceptedAt: null, expiresAt: { $gt: now } });
}

async function invitationById(id: string | undefined, now: Date): Promise<Invitation | undefined> {
  if (!id || !Types.ObjectId.isValid(id)) return undefined;
  const doc = await InvitationModel.findById(id).lean<InvitationDocument>();
  return doc ? toInvitation(doc, now) : undefined;
}

/** The invitation behind a link, while the link can still be used; with whether an account exists already. */
export async function invitationForToken(token: string, now = new Date()): Promise<(Invitation & { existingAccount: boolean }) | undefined> {
  const record = await peekToken(token, ['invitation'], now);
  const invitation = await invitationById(record?.subject, now);
  if (!invitation || invitation.acceptedAt) return undefined;
  return { ...invitation, existingAccount: Boolean(await findUserByEmail(invitation.email)) };
}

/**
 * Accepts an invitation, once: creates the focal-point account with this name and password, or
 * turns an existing account into a focal point of the invitation's States (a focal point keeps
 * the States they had) and ends its sessions, so the next sign-in asks for the second factor.
 * Returns undefined when the link is expired, used or unknown.
 */
export async function acceptInvitation(token: string, input: { name: string; password: string }, context: RequestContext = {}): Promise<AccountUser | undefined> {
  const now = context.now ?? new Date();
  const passwordHash = await hashPassword(input.password);
  const record = await peekToken(token, ['invitation'], now);
  const invitation = await invitationById(record?.subject, now);
  if (!record || !invitation || invitation.acceptedAt) return undefined;
  const existing = await findUserByEmail(invitation.email);
  // Checked before the link is used up, so the secretariat can fix the account and the link still works
  const problem = invitableProblem(existing);
  if (problem) throw new ConflictError(problem);
  if (!(await consumeToken(token, ['invitation'], now))) return undefined;
  let user: AccountUser;
  if (existing) {
    const states = existing.role === 'focal-point' ? [...new Set([...existing.states, ...invitation.states])] : invitation.states;
    await updateInvitedUser(existing.id, { name: input.name, passwordHash, role: 'focal-point', states });
    await bumpSessionEpoch(existing.id);
    user = { ...existing, name: input.name, role: 'focal-point', states };
  } else {
    user = await insertUser({ email: invitation.email, name: input.name, role: 'focal-point', states: invitation.states, language: invitation.language, passwordHash });
  }
  await InvitationModel.updateOne({ _id: invitation.id }, { $set: { acceptedAt: now, userId: user.id } });
  await recordAuditEvent(
    { type: 'invitation-accepted', actorId: user.id, actorEmail: user.email, subject: user.id, ip: context.ip, details: { invitation: invitation.id, states: invitation.states, existingAccount: Boolean(existing), previousRole: existing?.role } },
    now,
  );
  return user;
}

export async function ensureInvitationIndexes(): Promise<void> {
  await InvitationModel.createCollection();
  await InvitationModel.createIndexes();
}
