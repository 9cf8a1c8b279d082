import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { authenticator } from 'otplib';
import request from 'supertest';
import { findUserById } from '../../src/accounts/accounts.repository';
import { viewerOf } from '../../src/accounts/accounts.service';
import { submitAccessRequest } from '../../src/accounts/access-requests.service';
import { AccessRequestModel } from '../../src/accounts/access-request.model';
import { ApiTokenModel } from '../../src/accounts/api-token.model';
import { createApiToken } from '../../src/accounts/api-tokens.service';
import { sendInvitation } from '../../src/accounts/invitations.service';
import { requestPasswordReset } from '../../src/accounts/password-reset.service';
import { createResource } from '../../src/console/console.service';
import { findAuthoritiesOfState, findAuthority, findState } from '../../src/editing/editing.repository';
import { listResources } from '../../src/directory/directory.service';
import type { Authority } from '../../src/directory/directory.types';
import * as editing from '../../src/editing/editing.service';
import { authorityInput, parseEditingInput } from '../../src/editing/editing.schema';
import { RevisionModel } from '../../src/editing/revision.model';
import { findLatestRevision } from '../../src/editing/revision.repository';
import { signConfirmationToken } from '../../src/reminders/confirmation-link';
import { signUnfollowToken, signUnsubscribeToken } from '../../src/following/unsubscribe-link';
import { findCampaign, findDeliveries } from '../../src/reminders/reminders.repository';
import { createCampaign, pauseCampaign, remindStateNow } from '../../src/reminders/reminders.service';
import { ProblemReportModel } from '../../src/reports/report.model';
import { submitReport } from '../../src/reports/reports.service';
import { ANONYMOUS } from '../../src/shared/viewer';
import type { Role as AccountRole } from '../../src/shared/viewer';
import { linkIn, mailsTo } from '../accounts/account-test-helpers';
import { formFields, withValues } from '../editing/editing-helpers';
import { createTestUser, csrfTokenIn, signedInAgent, type TestUser } from '../helpers/accounts';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';

/**
 * Who may do what, route by route. Every page and API route the app mounts has rows in the table
 * below (a test walks the routers and fails on a route without one); each row says what is sent
 * and, for every role, what must come back: the status, where a redirect goes, and for reads of
 * restricted data whether the contact details are in the answer.
 *
 * Roles: an anonymous reader, a practitioner, a focal point of the State the row acts on ("this
 * State": FRA in the public cases, RUS in the restricted ones), a focal point of another State, and
 * the secretariat; API rows also run with a personal API token of each signed-in role. Writes send
 * the body the real form gives (read from the secretariat's view of the page) with the caller's own
 * CSRF token, or valid JSON with X-CSRF-Token for session API calls, so a 403 is the policy's.
 */

// ---- The sample data the rows read -------------------------------------------------------------

interface SeedAuthority {
  state: string;
  name: { original: string; en: string };
  emails: string[];
}
const sample = JSON.parse(fs.readFileSync(path.join(__dirname, '../../seed/data/sample.json'), 'utf8')) as { authorities: SeedAuthority[] };
const seedOf = (state: string, english: string): SeedAuthority => {
  const found = sample.authorities.find((authority) => authority.state === state && authority.name.en.startsWith(english));
  if (!found) throw new Error(`no sample authority "${english}" in ${state}`);
  return found;
};
/** A restricted State's authority: its e-mail must reach exactly those who may see RUS's details. */
const RUS_SEED = seedOf('RUS', 'Office of the Prosecutor General');
const RUS_EMAIL = RUS_SEED.emails[0]!;
/** A public State's authority: everyone sees its e-mail. */
const FRA_EMAIL = seedOf('FRA', 'Ministry of Justice').emails[0]!;
/** The app's COOKIE_SECRET in tests (test/helpers/app.ts), which signs 'still accurate' links. */
const TEST_SECRET = 'test-cookie-secret-0123456789';

// ---- Roles and outcomes ------------------------------------------------------------------------

const ROLES = ['anonymous', 'practitioner', 'focalOwn', 'focalOther', 'secretariat'] as const;
type Role = (typeof ROLES)[number];
type StateCode = 'FRA' | 'RUS';
const otherState = (code: StateCode): StateCode => (code === 'FRA' ? 'RUS' : 'FRA');

/** What one role must get: a status, where a 303 goes, and (rows with a marker) whether restricted details are shown. */
interface Outcome {
  status: number;
  location?: string | RegExp;
  details?: boolean;
}
type Expected = number | Outcome;

/** A signed-out reader sent to sign in first, and back afterwards. */
const SIGN_IN: Outcome = { status: 303, location: /^\/sign-in\?returnTo=%2F/ };
const to = (location: string | RegExp): Outcome => ({ status: 303, location });
const SHOWS: Outcome = { status: 200, details: true };
const HIDES: Outcome = { status: 200, details: false };

/** One expectation per role, in the order of the table's columns. */
const by = (anonymous: Expected, practitioner: Expected, focalOwn: Expected, focalOther: Expected, secretariat: Expected): Record<Role, Expected> => ({
  anonymous,
  practitioner,
  focalOwn,
  focalOther,
  secretariat,
});
const everyone = (outcome: Expected) => by(outcome, outcome, outcome, outcome, outcome);
/** Restricted details: practitioners, the secretariat and the State's own focal points see them (access.policy.ts). */
const RESTRICTED_READ = by(HIDES, SHOWS, SHOWS, HIDES, SHOWS);
const secretariatOnly = (ok: Expected) => by(SIGN_IN, 403, 403, 403, ok);

// ---- Callers -------------------------------------------------------------------------------------

interface Caller {
  role: Role;
  /** API rows run once with the session and once with a personal API token of the same role. */
  via: 'session' | 'token';
  /** The browser: the signed-in session, or an anonymous visitor's (with a CSRF token of its own). */
  agent: request.Agent;
  csrf: string;
  user?: TestUser;
  token?: string;
}

/** Values a row prepares before the call (a fresh authority to remove, a link, a target user...). */
type Prepared = Record<string, string>;

interface Row {
  /** The route as mounted: `METHOD /path/:param`, exactly as the routers declare it. */
  route: string;
  /** What is sent, in words. */
  what: string;
  /** The State the row acts on: its focal point is "this State's" (default FRA). */
  state?: StateCode;
  /**
   * The call ends or replaces the caller's session, so each role calls from a new browser:
   * `signed-in` as a new user of that role; `signed-out` with a new account of that role (TOTP set
   * up unless `totp: false`) that is not signed in yet.
   */
  fresh?: 'signed-in' | 'signed-out';
  totp?: boolean;
  /** Makes the row's target; `refused` says the call must change nothing, so a kept target will do. */
  prepare?: (caller: Caller, refused: boolean) => Promise<Prepared>;
  send: (caller: Caller, prepared: Prepared) => Promise<request.Response>;
  expect: Record<Role, Expected>;
  /** Restricted contact details: in the answer exactly for the outcomes marked `details: true`. */
  marker?: string | (() => string);
  /** What a refused call (401, 403, 404, 422, a redirect to sign in) must leave as it was. */
  unchanged?: (prepared: Prepared, caller: Caller) => Promise<unknown>;
}

const isApi = (row: Row) => row.route.split(' ')[1]!.startsWith('/api/');

// ---- What the rows use, set up in beforeAll ------------------------------------------------------

interface Context {
  app: Express;
  smtp: TestSmtp;
  callers: Map<string, Caller>;
  secretariat: Caller;
  practitioner: Caller;
  fra: Authority;
  rus: Authority;
  /** A change to a RUS authority, for the crafted restore under /states/FRA/history. */
  rusRevisionId: string;
  /** Another secretariat member, whose tokens and id nobody else may touch. */
  admin: TestUser;
  resourceId: string;
  campaignId: string;
}
const ctx = {} as Context;

const unique = (what: string) => `${what}-${randomBytes(4).toString('hex')}@test.example`;
const mailContext = () => ({ mailer: ctx.smtp.mailer, publicUrl: 'http://localhost' });
const secretariatContext = (): editing.EditContext => ({ viewer: viewerOf(ctx.secretariat.user!.user), email: ctx.secretariat.user!.user.email });
/** A campaign to all focal points, due in 2099: something to change, pause or delete. */
const scheduledCampaign = async (): Promise<Prepared> => ({
  id: (await createCampaign(ctx.secretariat.user!.user, { name: 'Matrix campaign', kind: 'all-focal-points', repeat: 'once', startsAt: new Date('2099-01-01') })).id,
});

/** Targets made once and kept for the calls that must be refused (a refusal changes nothing). */
const keptTargets = new Map<string, Promise<Prepared>>();
function kept(key: string, make: () => Promise<Prepared>): Promise<Prepared> {
  if (!keptTargets.has(key)) keptTargets.set(key, make());
  return keptTargets.get(key)!;
}
/** A new target for a call that may succeed, a kept one for a call that must be refused. */
const target = (key: string, make: () => Promise<Prepared>) => (_caller: Caller, refused: boolean) => (refused ? kept(key, make) : make());

function formBody(fields: Record<string, string | string[]> | Array<[string, string]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Array.isArray(fields) ? fields : Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

/** Posts a form as a browser would, with the caller's own CSRF token. */
function postForm(caller: Caller, action: string, fields: Record<string, string | string[]> | Array<[string, string]> = {}) {
  const pairs = Array.isArray(fields) ? withValues(fields, { _csrf: caller.csrf }) : { ...fields, _csrf: caller.csrf };
  return caller.agent.post(action).type('form').send(formBody(pairs));
}

/**
 * Forms read for calls that must be refused, kept for the rest of the row: a refusal does not
 * depend on the version a form carries, and reading the page again for each role costs time.
 */
let keptForms: Map<string, Array<[string, string]>> | undefined;

/** The form the secretariat is given on `path` for `action`, with some values changed: a valid body for anyone to post. */
async function formOf(path: string, action: string, changes: Record<string, string | null> = {}): Promise<Array<[string, string]>> {
  const key = `${path} ${action}`;
  let pairs = keptForms?.get(key);
  if (!pairs) {
    const res = await ctx.secretariat.agent.get(path);
    if (res.status !== 200) throw new Error(`the secretariat could not open ${path}: ${res.status}`);
    pairs = formFields(res.text, action);
    keptForms?.set(key, pairs);
  }
  return withValues(pairs, changes);
}

/** An API call with the caller's token, or with the session and its CSRF token in X-CSRF-Token. */
function api(caller: Caller, method: 'get' | 'post' | 'put' | 'delete', url: string, body?: object) {
  const req = caller.via === 'token' ? request(ctx.app)[method](url).set('Authorization', `Bearer ${caller.token}`) : caller.agent[method](url).set('X-CSRF-Token', caller.csrf);
  return body === undefined ? req : req.send(body);
}

/** The secretariat's reading of an authority through the API: what a client edits and sends back. */
async function authorityJson(id: string): Promise<Record<string, unknown>> {
  const res = await api(ctx.secretariat, 'get', `/api/v1/authorities/${id}`);
  return res.body.data as Record<string, unknown>;
}

const authorityBody = (state: StateCode) => ({
  designations: ['UNTOC-18-13'],
  name: state === 'RUS' ? { original: 'Проверочный орган', originalLanguage: 'ru', en: 'Test body (RUS)' } : { original: 'Organe de contrôle', originalLanguage: 'fr', en: 'Test body (FRA)' },
  kind: 'court',
  address: { lines: [], city: state === 'RUS' ? 'Москва' : 'Paris' },
  emails: [state === 'RUS' ? 'test-body@example.ru.example' : 'test-body@example.fr.example'],
});

/** The "add an authority" form, filled in. */
const newAuthorityForm = (state: StateCode) => ({
  designations: 'UNTOC-18-13',
  'name[original]': state === 'RUS' ? 'Новый орган' : 'Nouvel organe',
  'name[originalLanguage]': state === 'RUS' ? 'ru' : 'fr',
  'name[en]': 'New body',
  kind: 'court',
  'address[city]': state === 'RUS' ? 'Москва' : 'Paris',
});

/** A CSV file adding one authority to the State, as the import page takes it. */
const importCsv = (state: StateCode) => `state,designations,name_original,name_language,name_en,kind,city\n${state},UNTOC-18-13,Organe importé,fr,Imported body,court,Paris\n`;

/** A new authority of the State, added by the secretariat. */
async function newAuthority(state: StateCode): Promise<Prepared> {
  return { id: (await editing.createAuthority(secretariatContext(), state, parseEditingInput(authorityInput, authorityBody(state)))).id };
}

/** A change to a new RUS authority, for a row that restores the values from before it. */
async function newRusRevision(): Promise<Prepared> {
  const { id } = await newAuthority('RUS');
  await editing.updateAuthority(secretariatContext(), { id: id! }, 0, parseEditingInput(authorityInput, { ...authorityBody('RUS'), notes: 'Changed, to be restored' }));
  return { revision: (await findLatestRevision('authority', id!))!.id };
}

/** A password link for a new practitioner, as e-mailed. */
async function passwordLink(): Promise<Prepared> {
  const someone = await createTestUser({ role: 'practitioner' });
  await requestPasswordReset(someone.user.email, mailContext());
  return { link: linkIn((await mailsTo(ctx.smtp, someone.user.email))[0]!) };
}

/** An invitation link for a new focal point of FRA, as e-mailed. */
async function invitationLink(): Promise<Prepared> {
  const email = unique('invited');
  await sendInvitation(ctx.secretariat.user!.user, { email, name: 'Invited focal point', states: ['FRA'], language: 'en' }, mailContext());
  return { link: linkIn((await mailsTo(ctx.smtp, email))[0]!) };
}

async function pendingAccessRequest(): Promise<Prepared> {
  const asked = await submitAccessRequest({ name: 'Asking practitioner', institution: 'Parquet', state: 'FRA', email: unique('asking'), reason: 'Mutual legal assistance casework', language: 'en' });
  return { id: asked.id };
}

/** A 'still accurate' link about RUS, as a reminder to its focal points carries it. */
/** An open report about RUS, as a reader sends it. */
async function openRusReport(): Promise<Prepared> {
  return { id: (await submitReport(ANONYMOUS, { kind: 'other', state: 'RUS', description: 'Matrix report' }, 'en', mailContext())).id };
}
const reportStatus = async ({ id }: Prepared) => (await ProblemReportModel.findById(id).lean())?.status;
const REPORT_MOVED = (base: string) => to(new RegExp(`^${base}/[a-f0-9]{24}\\?done=status$`));

async function confirmationLink(): Promise<Prepared> {
  const campaign = await remindStateNow(ctx.secretariat.user!.user, 'RUS');
  const [delivery] = await findDeliveries({ campaignId: campaign.id });
  return { link: `/confirm/${signConfirmationToken(TEST_SECRET, delivery!.id, new Date(Date.now() + 86_400_000))}` };
}

async function newResource(): Promise<Prepared> {
  const url = `https://resources.example/${randomBytes(4).toString('hex')}`;
  const resource = await createResource({ viewer: viewerOf(ctx.secretariat.user!.user) }, { title: 'Matrix resource', category: 'model-law', url, languages: ['en'], description: '' });
  return { id: resource.id };
}

/** The CSRF token of the session as it is now (a sign-in step replaces the session, and the token with it). */
async function currentCsrf(caller: Caller): Promise<string> {
  const res = await caller.agent.get('/sign-in').redirects(1);
  return csrfTokenIn(res.text);
}

/** The password step: the caller's own account, or (anonymous) an address with no account. */
async function passwordStep(caller: Caller): Promise<request.Response> {
  const res = await postForm(caller, '/sign-in', { email: caller.user?.user.email ?? unique('nobody'), password: caller.user?.password ?? 'not-a-password-of-anyone' });
  caller.csrf = await currentCsrf(caller);
  return res;
}

/** What every change to RUS leaves behind (editing.service records each one as a revision). */
const rusSnapshot = async () => ({ rusRevisions: await RevisionModel.countDocuments({ state: 'RUS' }) });
const fraAuthoritySnapshot = async () => ({ fraVersion: (await findAuthority(ctx.fra.id))?.version, rusRevisions: await RevisionModel.countDocuments({ state: 'RUS' }) });
const userAccess = async (id: string) => {
  const user = await findUserById(id);
  return { role: user?.role, states: user?.states, status: user?.status, epoch: user?.sessionEpoch };
};

// ---- The matrix ----------------------------------------------------------------------------------
//
// Columns of `by(...)`: anonymous | practitioner | focal point of this State | focal point of another State | secretariat

const rows: Row[] = [
  // Public pages
  { route: 'GET /health', what: 'health check (old name)', send: (c) => c.agent.get('/health'), expect: everyone(200) },
  { route: 'GET /healthz', what: 'liveness probe', send: (c) => c.agent.get('/healthz'), expect: everyone(200) },
  { route: 'GET /readyz', what: 'readiness probe', send: (c) => c.agent.get('/readyz'), expect: everyone(200) },
  { route: 'GET /', what: 'home page', send: (c) => c.agent.get('/'), expect: everyone(200) },
  {
    route: 'GET /search',
    what: 'a search that matches a RUS authority (restricted)',
    state: 'RUS',
    marker: RUS_SEED.name.original,
    send: (c) => c.agent.get('/search').query({ q: 'Prosecutor General' }),
    expect: RESTRICTED_READ,
  },
  {
    route: 'GET /search',
    what: 'a RUS authority (restricted) sought by its contact person',
    state: 'RUS',
    marker: RUS_SEED.name.original,
    send: (c) => c.agent.get('/search').query({ q: 'Иван Примеров' }),
    expect: RESTRICTED_READ,
  },
  { route: 'GET /states/:code', what: 'FRA (public)', marker: FRA_EMAIL, send: (c) => c.agent.get('/states/FRA'), expect: everyone(SHOWS) },
  { route: 'GET /states/:code', what: 'RUS (restricted)', state: 'RUS', marker: RUS_EMAIL, send: (c) => c.agent.get('/states/RUS'), expect: RESTRICTED_READ },
  { route: 'GET /authorities/:id', what: 'a FRA authority (public)', marker: FRA_EMAIL, send: (c) => c.agent.get(`/authorities/${ctx.fra.id}`), expect: everyone(SHOWS) },
  { route: 'GET /authorities/:id', what: 'a RUS authority (restricted)', state: 'RUS', marker: RUS_EMAIL, send: (c) => c.agent.get(`/authorities/${ctx.rus.id}`), expect: RESTRICTED_READ },
  { route: 'GET /resources', what: 'resources page', send: (c) => c.agent.get('/resources'), expect: everyone(200) },
  { route: 'GET /api', what: 'the API reference', send: (c) => c.agent.get('/api'), expect: everyone(200) },
  { route: 'GET /api/v1', what: "the API's root", send: (c) => c.agent.get('/api/v1'), expect: everyone({ status: 301, location: '/api' }) },
  { route: 'GET /find', what: 'the finder: extradition to FRA (public)', marker: FRA_EMAIL, send: (c) => c.agent.get('/find?to=FRA&need=extradition'), expect: everyone(SHOWS) },
  { route: 'GET /find', what: 'the finder: extradition to RUS (restricted)', state: 'RUS', marker: RUS_EMAIL, send: (c) => c.agent.get('/find?to=RUS&need=extradition&urgent=1'), expect: RESTRICTED_READ },

  // Public API
  { route: 'GET /api/v1/openapi.json', what: 'the OpenAPI document', send: (c) => api(c, 'get', '/api/v1/openapi.json'), expect: everyone(200) },
  { route: 'GET /api/v1/states', what: 'every State', send: (c) => api(c, 'get', '/api/v1/states'), expect: everyone(200) },
  { route: 'GET /api/v1/states/:code', what: 'FRA (public)', marker: FRA_EMAIL, send: (c) => api(c, 'get', '/api/v1/states/FRA'), expect: everyone(SHOWS) },
  { route: 'GET /api/v1/states/:code', what: 'RUS (restricted)', state: 'RUS', marker: RUS_EMAIL, send: (c) => api(c, 'get', '/api/v1/states/RUS'), expect: RESTRICTED_READ },
  { route: 'GET /api/v1/find', what: 'the finder: extradition to FRA (public)', marker: FRA_EMAIL, send: (c) => api(c, 'get', '/api/v1/find?to=FRA&need=extradition'), expect: everyone(SHOWS) },
  { route: 'GET /api/v1/find', what: 'the finder: extradition to RUS (restricted)', state: 'RUS', marker: RUS_EMAIL, send: (c) => api(c, 'get', '/api/v1/find?to=RUS&need=extradition&from=FRA'), expect: RESTRICTED_READ },
  {
    route: 'GET /api/v1/states/:code',
    what: 'crafted: RUS at /API/v1 in capitals, which Express routes to the same handler',
    state: 'RUS',
    marker: RUS_EMAIL,
    send: (c) => api(c, 'get', '/API/v1/states/RUS'),
    // Express matches '/api/v1' case-insensitively, so the token must be read on /API/v1 too
    expect: RESTRICTED_READ,
  },
  { route: 'GET /api/v1/authorities', what: 'the authorities of RUS (restricted)', state: 'RUS', marker: RUS_EMAIL, send: (c) => api(c, 'get', '/api/v1/authorities?state=RUS'), expect: RESTRICTED_READ },
  { route: 'GET /api/v1/search', what: 'RUS authorities (restricted) sought by their city', state: 'RUS', marker: RUS_EMAIL, send: (c) => api(c, 'get', '/api/v1/search?q=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0'), expect: RESTRICTED_READ },
  { route: 'GET /api/v1/authorities/:id', what: 'a RUS authority (restricted)', state: 'RUS', marker: RUS_EMAIL, send: (c) => api(c, 'get', `/api/v1/authorities/${ctx.rus.id}`), expect: RESTRICTED_READ },
  { route: 'GET /api/v1/designations', what: 'the designation catalogue', send: (c) => api(c, 'get', '/api/v1/designations'), expect: everyone(200) },
  { route: 'GET /api/v1/instruments', what: 'the instrument catalogue', send: (c) => api(c, 'get', '/api/v1/instruments'), expect: everyone(200) },
  { route: 'GET /api/v1/resources', what: 'resources', send: (c) => api(c, 'get', '/api/v1/resources'), expect: everyone(200) },

  // Editing API
  { route: 'POST /api/v1/states/:code/authorities', what: 'a new FRA authority', send: (c) => api(c, 'post', '/api/v1/states/FRA/authorities', authorityBody('FRA')), expect: by(401, 403, 201, 403, 201) },
  {
    route: 'POST /api/v1/states/:code/authorities',
    what: 'a new RUS authority',
    state: 'RUS',
    unchanged: rusSnapshot,
    send: (c) => api(c, 'post', '/api/v1/states/RUS/authorities', authorityBody('RUS')),
    expect: by(401, 403, 201, 403, 201),
  },
  {
    route: 'POST /api/v1/states/:code/authorities',
    what: 'crafted: a new authority sent to FRA with "state": "RUS" in the body',
    unchanged: rusSnapshot,
    send: (c) => api(c, 'post', '/api/v1/states/FRA/authorities', { ...authorityBody('FRA'), state: 'RUS' }),
    expect: by(401, 403, 400, 403, 400),
  },
  {
    route: 'PUT /api/v1/authorities/:id',
    what: 'a RUS authority, as read, at its version',
    state: 'RUS',
    unchanged: rusSnapshot,
    send: async (c) => api(c, 'put', `/api/v1/authorities/${ctx.rus.id}`, { ...(await authorityJson(ctx.rus.id)), notes: `Checked by ${c.role}` }),
    expect: by(401, 403, 200, 403, 200),
  },
  {
    route: 'PUT /api/v1/authorities/:id',
    what: 'crafted: a FRA authority, as read, with "state": "RUS"',
    unchanged: fraAuthoritySnapshot,
    send: async (c) => api(c, 'put', `/api/v1/authorities/${ctx.fra.id}`, { ...(await authorityJson(ctx.fra.id)), state: 'RUS' }),
    expect: by(401, 403, 400, 403, 400),
  },
  {
    route: 'DELETE /api/v1/authorities/:id',
    what: 'a RUS authority at its version',
    state: 'RUS',
    prepare: target('rus-authority', () => newAuthority('RUS')),
    unchanged: rusSnapshot,
    send: (c, { id }) => api(c, 'delete', `/api/v1/authorities/${id}`, { version: 0 }),
    expect: by(401, 403, 204, 403, 204),
  },
  {
    route: 'PUT /api/v1/states/:code/optional',
    what: 'the optional section of FRA at its version',
    send: async (c) =>
      api(c, 'put', '/api/v1/states/FRA/optional', {
        version: (await findState('FRA'))!.version,
        requirements: { mla: { text: 'Requests in French or English (sample).', language: 'en', format: 'plain' } },
        laws: [{ title: 'Code of criminal procedure (sample)', url: 'https://laws.fr.example/cpp', language: 'fr' }],
        treaties: [],
      }),
    expect: by(401, 403, 200, 403, 200),
  },
  {
    route: 'PUT /api/v1/states/:code/access',
    what: 'the access setting of RUS (kept restricted) at its version',
    state: 'RUS',
    unchanged: rusSnapshot,
    send: async (c) => api(c, 'put', '/api/v1/states/RUS/access', { access: 'restricted', version: (await findState('RUS'))!.version }),
    expect: by(401, 403, 200, 403, 200),
  },
  { route: 'POST /api/v1/states/:code/confirm', what: 'RUS still accurate', state: 'RUS', unchanged: rusSnapshot, send: (c) => api(c, 'post', '/api/v1/states/RUS/confirm', {}), expect: by(401, 403, 200, 403, 200) },
  { route: 'GET /api/v1/states/:code/revisions', what: 'the changes of RUS', state: 'RUS', send: (c) => api(c, 'get', '/api/v1/states/RUS/revisions'), expect: by(401, 403, 200, 403, 200) },

  // Editing pages
  { route: 'GET /states/:code/edit', what: 'the editing overview of RUS', state: 'RUS', send: (c) => c.agent.get('/states/RUS/edit'), expect: by(SIGN_IN, 403, 200, 403, 200) },
  { route: 'GET /states/:code/authorities/new', what: 'the "add an authority" form of FRA', send: (c) => c.agent.get('/states/FRA/authorities/new'), expect: by(SIGN_IN, 403, 200, 403, 200) },
  {
    route: 'POST /states/:code/authorities/new',
    what: 'a new FRA authority, from the form',
    send: async (c) => postForm(c, '/states/FRA/authorities/new', await formOf('/states/FRA/authorities/new', '/states/FRA/authorities/new', newAuthorityForm('FRA'))),
    expect: by(SIGN_IN, 403, to('/states/FRA/edit?done=created'), 403, to('/states/FRA/edit?done=created')),
  },
  {
    route: 'GET /states/:code/authorities/:id/edit',
    what: 'the form of a RUS authority, with its contact details',
    state: 'RUS',
    marker: RUS_EMAIL,
    send: (c) => c.agent.get(`/states/RUS/authorities/${ctx.rus.id}/edit`),
    expect: by(SIGN_IN, 403, SHOWS, 403, SHOWS),
  },
  {
    route: 'GET /states/:code/authorities/:id/edit',
    what: 'crafted: a RUS authority under /states/FRA',
    marker: RUS_EMAIL,
    send: (c) => c.agent.get(`/states/FRA/authorities/${ctx.rus.id}/edit`),
    expect: by(SIGN_IN, 403, 403, 403, 404),
  },
  {
    route: 'POST /states/:code/authorities/:id/edit',
    what: 'a RUS authority, from its form at its version',
    state: 'RUS',
    unchanged: rusSnapshot,
    send: async (c) => {
      const page = `/states/RUS/authorities/${ctx.rus.id}/edit`;
      return postForm(c, page, await formOf(page, page, { notes: `Checked on the form by ${c.role}` }));
    },
    expect: by(SIGN_IN, 403, to('/states/RUS/edit?done=saved'), 403, to('/states/RUS/edit?done=saved')),
  },
  {
    route: 'POST /states/:code/authorities/:id/edit',
    what: 'crafted: the form of a RUS authority posted under /states/FRA',
    unchanged: rusSnapshot,
    send: async (c) => {
      const page = `/states/RUS/authorities/${ctx.rus.id}/edit`;
      return postForm(c, `/states/FRA/authorities/${ctx.rus.id}/edit`, await formOf(page, page, { notes: 'Moved through FRA?' }));
    },
    expect: by(SIGN_IN, 403, 403, 403, 404),
  },
  {
    route: 'POST /states/:code/authorities/:id/edit',
    what: 'crafted: the form of a FRA authority with state=RUS added',
    unchanged: fraAuthoritySnapshot,
    send: async (c) => {
      const page = `/states/FRA/authorities/${ctx.fra.id}/edit`;
      return postForm(c, page, await formOf(page, page, { state: 'RUS', notes: 'Moved to RUS?' }));
    },
    expect: by(SIGN_IN, 403, 422, 403, 422),
  },
  {
    route: 'GET /states/:code/authorities/:id/remove',
    what: 'the removal question for a RUS authority',
    state: 'RUS',
    marker: RUS_SEED.name.original,
    send: (c) => c.agent.get(`/states/RUS/authorities/${ctx.rus.id}/remove`),
    expect: by(SIGN_IN, 403, SHOWS, 403, SHOWS),
  },
  {
    route: 'GET /states/:code/authorities/:id/remove',
    what: 'crafted: the removal question for a RUS authority under /states/FRA',
    marker: RUS_SEED.name.original,
    send: (c) => c.agent.get(`/states/FRA/authorities/${ctx.rus.id}/remove`),
    expect: by(SIGN_IN, 403, 403, 403, 404),
  },
  {
    route: 'POST /states/:code/authorities/:id/remove',
    what: 'a RUS authority, from its removal form',
    state: 'RUS',
    prepare: target('rus-authority', () => newAuthority('RUS')),
    unchanged: rusSnapshot,
    send: async (c, { id }) => {
      const page = `/states/RUS/authorities/${id}/remove`;
      return postForm(c, page, await formOf(page, page));
    },
    expect: by(SIGN_IN, 403, to('/states/RUS/edit?done=removed'), 403, to('/states/RUS/edit?done=removed')),
  },
  {
    route: 'POST /states/:code/authorities/:id/remove',
    what: 'crafted: the removal form of a RUS authority posted under /states/FRA',
    prepare: target('rus-authority', () => newAuthority('RUS')),
    unchanged: rusSnapshot,
    send: async (c, { id }) => {
      const page = `/states/RUS/authorities/${id}/remove`;
      return postForm(c, `/states/FRA/authorities/${id}/remove`, await formOf(page, page));
    },
    expect: by(SIGN_IN, 403, 403, 403, 404),
  },
  { route: 'GET /states/:code/optional/edit', what: 'the optional-section form of FRA', send: (c) => c.agent.get('/states/FRA/optional/edit'), expect: by(SIGN_IN, 403, 200, 403, 200) },
  {
    route: 'POST /states/:code/optional/edit',
    what: 'the optional section of FRA, from its form at its version',
    send: async (c) => postForm(c, '/states/FRA/optional/edit', await formOf('/states/FRA/optional/edit', '/states/FRA/optional/edit')),
    expect: by(SIGN_IN, 403, to('/states/FRA/edit?done=optional'), 403, to('/states/FRA/edit?done=optional')),
  },
  { route: 'GET /states/:code/access', what: 'the access form of RUS', state: 'RUS', send: (c) => c.agent.get('/states/RUS/access'), expect: by(SIGN_IN, 403, 200, 403, 200) },
  {
    route: 'POST /states/:code/access',
    what: 'the access setting of RUS (kept restricted), from its form',
    state: 'RUS',
    unchanged: rusSnapshot,
    send: async (c) => postForm(c, '/states/RUS/access', await formOf('/states/RUS/access', '/states/RUS/access', { access: 'restricted' })),
    expect: by(SIGN_IN, 403, to('/states/RUS/edit?done=access'), 403, to('/states/RUS/edit?done=access')),
  },
  {
    route: 'POST /states/:code/confirm',
    what: 'RUS still accurate, from the overview',
    state: 'RUS',
    unchanged: rusSnapshot,
    send: async (c) => postForm(c, '/states/RUS/confirm', await formOf('/states/RUS/edit', '/states/RUS/confirm')),
    expect: by(SIGN_IN, 403, to('/states/RUS/edit?done=confirmed'), 403, to('/states/RUS/edit?done=confirmed')),
  },
  { route: 'GET /states/:code/history', what: 'the history of RUS', state: 'RUS', send: (c) => c.agent.get('/states/RUS/history'), expect: by(SIGN_IN, 403, 200, 403, 200) },
  {
    route: 'POST /states/:code/history/:revisionId/restore',
    what: 'a change to a RUS authority undone, from the history',
    state: 'RUS',
    prepare: target('rus-revision', newRusRevision),
    unchanged: rusSnapshot,
    send: async (c, { revision }) => {
      const action = `/states/RUS/history/${revision}/restore`;
      return postForm(c, action, await formOf('/states/RUS/history', action));
    },
    expect: by(SIGN_IN, 403, to('/states/RUS/history?done=restored'), 403, to('/states/RUS/history?done=restored')),
  },
  {
    route: 'POST /states/:code/history/:revisionId/restore',
    what: 'crafted: a revision of RUS restored under /states/FRA/history',
    unchanged: rusSnapshot,
    send: async (c) => {
      const action = `/states/RUS/history/${ctx.rusRevisionId}/restore`;
      return postForm(c, `/states/FRA/history/${ctx.rusRevisionId}/restore`, await formOf('/states/RUS/history', action));
    },
    expect: by(SIGN_IN, 403, 404, 403, 404),
  },

  // Import, export, vCards, printable pages
  { route: 'GET /import', what: 'the import form', send: (c) => c.agent.get('/import'), expect: by(SIGN_IN, 403, 200, 200, 200) },
  {
    route: 'POST /import',
    what: 'a dry run of a CSV file adding a FRA authority',
    send: (c) => postForm(c, '/import', { content: importCsv('FRA'), format: 'csv', action: 'dry-run' }),
    expect: by(SIGN_IN, 403, 200, 422, 200),
  },
  {
    route: 'POST /import',
    what: 'a committed CSV file adding a RUS authority',
    state: 'RUS',
    unchanged: rusSnapshot,
    send: (c) => postForm(c, '/import', { content: importCsv('RUS'), format: 'csv', action: 'commit' }),
    expect: by(SIGN_IN, 403, 200, 422, 200),
  },
  {
    route: 'POST /import',
    what: 'crafted: a committed CSV row of FRA carrying the id of a RUS authority',
    unchanged: fraAuthoritySnapshot,
    send: (c) => postForm(c, '/import', { content: `state,id,notes\nFRA,${ctx.rus.id},Moved?\n`, format: 'csv', action: 'commit' }),
    expect: by(SIGN_IN, 403, 422, 422, 422),
  },
  { route: 'GET /export', what: 'the export page', send: (c) => c.agent.get('/export'), expect: everyone(200) },
  { route: 'GET /export/directory.json', what: 'the whole directory as JSON (RUS restricted)', state: 'RUS', marker: RUS_EMAIL, send: (c) => c.agent.get('/export/directory.json'), expect: RESTRICTED_READ },
  { route: 'GET /export/directory.csv', what: 'the whole directory as CSV (RUS restricted)', state: 'RUS', marker: RUS_EMAIL, send: (c) => c.agent.get('/export/directory.csv'), expect: RESTRICTED_READ },
  { route: 'GET /authorities/:id.vcf', what: 'a FRA authority’s vCard (public)', marker: FRA_EMAIL, send: (c) => c.agent.get(`/authorities/${ctx.fra.id}.vcf`), expect: everyone(SHOWS) },
  {
    route: 'GET /authorities/:id.vcf',
    what: 'a RUS authority’s vCard (restricted)',
    state: 'RUS',
    marker: RUS_EMAIL,
    send: (c) => c.agent.get(`/authorities/${ctx.rus.id}.vcf`),
    expect: by(403, SHOWS, SHOWS, 403, SHOWS),
  },
  { route: 'GET /states/:code/print', what: 'the printable page of RUS (restricted)', state: 'RUS', marker: RUS_EMAIL, send: (c) => c.agent.get('/states/RUS/print'), expect: RESTRICTED_READ },

  // Signing in and out (each role from a new browser)
  { route: 'GET /sign-in', what: 'the sign-in form', send: (c) => c.agent.get('/sign-in'), expect: by(200, to('/account'), to('/account'), to('/account'), to('/account')) },
  {
    route: 'POST /sign-in',
    what: 'the password step with the account’s own e-mail and password (anonymous: an address with no account)',
    fresh: 'signed-out',
    send: (c) => postForm(c, '/sign-in', { email: c.user?.user.email ?? unique('nobody'), password: c.user?.password ?? 'not-a-password-of-anyone' }),
    expect: by(401, to('/account'), to('/sign-in/code'), to('/sign-in/code'), to('/sign-in/code')),
  },
  {
    route: 'GET /sign-in/code',
    what: 'the code form after the password step',
    fresh: 'signed-out',
    send: async (c) => {
      await passwordStep(c);
      return c.agent.get('/sign-in/code');
    },
    expect: by(to('/sign-in'), to('/sign-in'), 200, 200, 200),
  },
  {
    route: 'POST /sign-in/code',
    what: 'the current TOTP code after the password step',
    fresh: 'signed-out',
    send: async (c) => {
      await passwordStep(c);
      return postForm(c, '/sign-in/code', { code: c.user?.totpSecret ? authenticator.generate(c.user.totpSecret) : '123456' });
    },
    expect: by(to('/sign-in'), to('/sign-in'), to('/account'), to('/account'), to('/account')),
  },
  {
    route: 'GET /sign-in/enrol',
    what: 'the enrolment page after the password step, for an account without TOTP yet',
    fresh: 'signed-out',
    totp: false,
    send: async (c) => {
      await passwordStep(c);
      return c.agent.get('/sign-in/enrol');
    },
    expect: by(to('/sign-in'), to('/sign-in'), 200, 200, 200),
  },
  {
    route: 'POST /sign-in/enrol',
    what: 'a code of the secret shown on the enrolment page',
    fresh: 'signed-out',
    totp: false,
    send: async (c) => {
      await passwordStep(c);
      const enrolment = await c.agent.get('/sign-in/enrol');
      const shown = page(enrolment.text).texts('[data-testid="totp-secret"]')[0];
      const secret = shown && /^[A-Z2-7]+$/.test(shown) ? shown : undefined;
      if (secret) c.csrf = csrfTokenIn(enrolment.text);
      return postForm(c, '/sign-in/enrol', { code: secret ? authenticator.generate(secret) : '123456' });
    },
    expect: by(to('/sign-in'), to('/sign-in'), 200, 200, 200),
  },
  { route: 'POST /sign-out', what: 'sign out', fresh: 'signed-in', send: (c) => postForm(c, '/sign-out'), expect: everyone(to('/')) },
  {
    route: 'POST /sign-out-everywhere',
    what: 'sign out on every device',
    fresh: 'signed-in',
    send: (c) => postForm(c, '/sign-out-everywhere'),
    expect: by(to('/sign-in'), to('/sign-in?signedOut=everywhere'), to('/sign-in?signedOut=everywhere'), to('/sign-in?signedOut=everywhere'), to('/sign-in?signedOut=everywhere')),
  },

  // The account page and personal API tokens
  { route: 'GET /account', what: 'the account page', send: (c) => c.agent.get('/account'), expect: by(SIGN_IN, 200, 200, 200, 200) },
  { route: 'POST /account/api-tokens', what: 'a new personal token, from the form', send: (c) => postForm(c, '/account/api-tokens', { name: 'Matrix', expiresInDays: '30' }), expect: by(SIGN_IN, 201, 201, 201, 201) },
  {
    route: 'POST /account/api-tokens/:id/revoke',
    what: 'one of the caller’s own tokens (anonymous: a practitioner’s)',
    prepare: async (c) => ({ id: (await createApiToken((c.user ?? ctx.practitioner.user!).user, { name: 'To revoke' })).apiToken.id }),
    unchanged: async ({ id }) => (await ApiTokenModel.findById(id).lean())?.revokedAt ?? null,
    send: (c, { id }) => postForm(c, `/account/api-tokens/${id}/revoke`),
    expect: by(SIGN_IN, to('/account?revoked=1'), to('/account?revoked=1'), to('/account?revoked=1'), to('/account?revoked=1')),
  },
  {
    route: 'POST /account/api-tokens/:id/revoke',
    what: 'crafted: another secretariat member’s token',
    prepare: target('admin-token', async () => ({ id: (await createApiToken(ctx.admin.user, { name: 'Not yours' })).apiToken.id })),
    unchanged: async ({ id }) => (await ApiTokenModel.findById(id).lean())?.revokedAt ?? null,
    send: (c, { id }) => postForm(c, `/account/api-tokens/${id}/revoke`),
    expect: by(SIGN_IN, 404, 404, 404, 404),
  },

  // Password reset, access requests, invitations, 'still accurate' links: open to everyone; a link is the capability
  { route: 'GET /password/forgot', what: 'the forgotten-password form', send: (c) => c.agent.get('/password/forgot'), expect: everyone(200) },
  {
    route: 'POST /password/forgot',
    what: 'the caller’s own address (anonymous: an address with no account)',
    send: (c) => postForm(c, '/password/forgot', { email: c.user?.user.email ?? unique('nobody') }),
    expect: everyone(200),
  },
  { route: 'GET /password/reset/:token', what: 'a valid link for another user', prepare: () => kept('password-link', passwordLink), send: (c, { link }) => c.agent.get(link!), expect: everyone(200) },
  {
    route: 'POST /password/reset/:token',
    what: 'a new password through a valid link for another user',
    fresh: 'signed-in',
    prepare: passwordLink,
    send: (c, { link }) => postForm(c, link!, { password: 'a-new-long-password', confirm: 'a-new-long-password' }),
    expect: everyone(to('/sign-in?notice=password-set')),
  },
  { route: 'GET /access/request', what: 'the access-request form', send: (c) => c.agent.get('/access/request'), expect: everyone(200) },
  {
    route: 'POST /access/request',
    what: 'an access request',
    send: (c) => postForm(c, '/access/request', { name: 'Asking practitioner', institution: 'Parquet de Paris', state: 'FRA', email: unique('asking'), reason: 'Casework' }),
    expect: everyone(200),
  },
  { route: 'GET /invitations/:token', what: 'a valid invitation link', prepare: () => kept('invitation-link', invitationLink), send: (c, { link }) => c.agent.get(link!), expect: everyone(200) },
  {
    route: 'POST /invitations/:token',
    what: 'accepting a valid invitation',
    fresh: 'signed-in',
    prepare: invitationLink,
    send: (c, { link }) => postForm(c, link!, { name: 'New focal point', password: 'a-new-long-password', confirm: 'a-new-long-password' }),
    expect: everyone(to('/sign-in?notice=invitation-accepted')),
  },
  { route: 'GET /confirm/:token', what: 'a valid still-accurate link about RUS', state: 'RUS', prepare: () => kept('confirmation-link', confirmationLink), send: (c, { link }) => c.agent.get(link!), expect: everyone(200) },
  { route: 'POST /confirm/:token', what: 'a valid still-accurate link about RUS, used', state: 'RUS', prepare: confirmationLink, send: (c, { link }) => postForm(c, link!), expect: everyone(200) },

  // Following States: public feeds (never a restricted detail), follows for any signed-in role, unsubscribe links without sign-in
  { route: 'GET /feed.atom', what: "the Directory's feed of public changes", marker: RUS_SEED.name.en, send: (c) => c.agent.get('/feed.atom'), expect: everyone(HIDES) },
  { route: 'GET /states/:code/feed.atom', what: "RUS's feed (restricted: only that its entry changed)", state: 'RUS', marker: RUS_SEED.name.en, send: (c) => c.agent.get('/states/RUS/feed.atom'), expect: everyone(HIDES) },
  { route: 'POST /states/:code/follow', what: 'follow RUS (restricted) from its page', state: 'RUS', send: (c) => postForm(c, '/states/RUS/follow'), expect: by(SIGN_IN, to('/states/RUS?following=1'), to('/states/RUS?following=1'), to('/states/RUS?following=1'), to('/states/RUS?following=1')) },
  { route: 'POST /states/:code/unfollow', what: 'stop following FRA', send: (c) => postForm(c, '/states/FRA/unfollow'), expect: by(SIGN_IN, to('/states/FRA?following=0'), to('/states/FRA?following=0'), to('/states/FRA?following=0'), to('/states/FRA?following=0')) },
  {
    route: 'POST /account/digest-hour',
    what: "the caller's own digest hour (the day's first run)",
    send: (c) => postForm(c, '/account/digest-hour', { hour: '' }),
    expect: by(SIGN_IN, to('/account?digestHour=saved#following-heading'), to('/account?digestHour=saved#following-heading'), to('/account?digestHour=saved#following-heading'), to('/account?digestHour=saved#following-heading')),
  },
  { route: 'GET /unsubscribe/:token', what: "a valid unsubscribe link of another user's digests", prepare: async () => ({ link: `/unsubscribe/${signUnsubscribeToken(TEST_SECRET, ctx.admin.user.id)}` }), send: (c, { link }) => c.agent.get(link!), expect: everyone(200) },
  { route: 'GET /unfollow/:token', what: "a valid stop-following link of another user's digest", prepare: async () => ({ link: `/unfollow/${signUnfollowToken(TEST_SECRET, ctx.admin.user.id, 'DEU')}` }), send: (c, { link }) => c.agent.get(link!), expect: everyone(200) },
  { route: 'POST /unfollow/:token', what: 'a valid stop-following link, used (one click, no sign-in)', prepare: async () => ({ link: `/unfollow/${signUnfollowToken(TEST_SECRET, ctx.admin.user.id, 'DEU')}` }), send: (c, { link }) => c.agent.post(link!).type('form').send(''), expect: everyone(200) },
  { route: 'POST /unsubscribe/:token', what: "a valid unsubscribe link, used (one click, no sign-in)", prepare: async () => ({ link: `/unsubscribe/${signUnsubscribeToken(TEST_SECRET, ctx.admin.user.id)}` }), send: (c, { link }) => c.agent.post(link!).type('form').send('List-Unsubscribe=One-Click'), expect: everyone(200) },

  // The secretariat's administration: accounts
  { route: 'GET /admin', what: 'the admin index', send: (c) => c.agent.get('/admin'), expect: secretariatOnly(200) },
  { route: 'GET /admin/users', what: 'the users of every role', send: (c) => c.agent.get('/admin/users'), expect: secretariatOnly(200) },
  { route: 'GET /admin/users/:id', what: 'crafted: a secretariat member’s id', marker: () => ctx.admin.user.email, send: (c) => c.agent.get(`/admin/users/${ctx.admin.user.id}`), expect: secretariatOnly(SHOWS) },
  {
    route: 'POST /admin/users/:id',
    what: 'a new practitioner made focal point of FRA',
    prepare: target('practitioner-target', async () => ({ id: (await createTestUser({ role: 'practitioner' })).user.id })),
    unchanged: ({ id }) => userAccess(id!),
    send: (c, { id }) => postForm(c, `/admin/users/${id}`, { role: 'focal-point', states: ['FRA'], status: 'active' }),
    expect: secretariatOnly(to(/^\/admin\/users\/[0-9a-f]{24}\?saved=1$/)),
  },
  {
    route: 'POST /admin/users/:id',
    what: 'crafted: the caller’s own id made secretariat (anonymous: a practitioner’s)',
    prepare: async (c) => ({ id: (c.user ?? ctx.practitioner.user!).user.id }),
    unchanged: ({ id }) => userAccess(id!),
    send: (c, { id }) => postForm(c, `/admin/users/${id}`, { role: 'secretariat', status: 'active' }),
    expect: secretariatOnly(to(/^\/admin\/users\/[0-9a-f]{24}\?saved=1$/)),
  },
  { route: 'GET /admin/access-requests', what: 'the access requests', send: (c) => c.agent.get('/admin/access-requests'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/access-requests/:id/approve',
    what: 'a pending request approved',
    prepare: target('request-to-approve', pendingAccessRequest),
    unchanged: async ({ id }) => (await AccessRequestModel.findById(id).lean())?.status,
    send: (c, { id }) => postForm(c, `/admin/access-requests/${id}/approve`, { note: 'Welcome' }),
    expect: secretariatOnly(to('/admin/access-requests?decided=approved')),
  },
  {
    route: 'POST /admin/access-requests/:id/reject',
    what: 'a pending request rejected',
    prepare: target('request-to-reject', pendingAccessRequest),
    unchanged: async ({ id }) => (await AccessRequestModel.findById(id).lean())?.status,
    send: (c, { id }) => postForm(c, `/admin/access-requests/${id}/reject`, { note: 'Not a practitioner' }),
    expect: secretariatOnly(to('/admin/access-requests?decided=rejected')),
  },
  { route: 'GET /admin/invitations', what: 'the invitations', send: (c) => c.agent.get('/admin/invitations'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/invitations',
    what: 'an invitation for FRA',
    send: (c) => postForm(c, '/admin/invitations', { email: unique('invitee'), name: 'Invitee', states: ['FRA'], language: 'en' }),
    expect: secretariatOnly(to(/^\/admin\/invitations\?sent=/)),
  },
  { route: 'GET /admin/audit', what: 'the audit log', send: (c) => c.agent.get('/admin/audit'), expect: secretariatOnly(200) },

  // The secretariat's console: dashboard, States, designation types, resources
  { route: 'GET /admin/dashboard', what: 'the dashboard', send: (c) => c.agent.get('/admin/dashboard'), expect: secretariatOnly(200) },
  { route: 'GET /admin/dashboard/:file', what: 'the regions table as CSV', send: (c) => c.agent.get('/admin/dashboard/regions.csv'), expect: secretariatOnly(200) },
  { route: 'GET /admin/states', what: 'every participant', send: (c) => c.agent.get('/admin/states'), expect: secretariatOnly(200) },
  { route: 'GET /admin/states/new', what: 'the new-participant form', send: (c) => c.agent.get('/admin/states/new'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/states/new',
    what: 'a new participant, from the form',
    send: async (c) => {
      const code = `QX${String.fromCharCode(65 + Math.floor(Math.random() * 26))}`;
      const names = Object.fromEntries(['ar', 'zh', 'en', 'fr', 'ru', 'es'].map((lang) => [`names[${lang}]`, `Test participant ${code} (${lang})`]));
      return postForm(c, '/admin/states/new', await formOf('/admin/states/new', '/admin/states/new', { code, kind: 'observer', region: 'NONE', ...names }));
    },
    expect: secretariatOnly(to(/^\/admin\/states\/QX[A-Z]\?done=created$/)),
  },
  { route: 'GET /admin/states/:code', what: 'the record of RUS', state: 'RUS', send: (c) => c.agent.get('/admin/states/RUS'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/states/:code',
    what: 'the record of RUS, unchanged, at its version',
    state: 'RUS',
    unchanged: async () => (await findState('RUS'))?.version,
    send: async (c) => postForm(c, '/admin/states/RUS', await formOf('/admin/states/RUS', '/admin/states/RUS')),
    expect: secretariatOnly(to('/admin/states/RUS?done=saved')),
  },
  { route: 'GET /admin/designations', what: 'the designation catalogue', send: (c) => c.agent.get('/admin/designations'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/designations',
    what: 'a new designation type, from the form',
    send: async (c) => {
      const titles = Object.fromEntries(['ar', 'zh', 'en', 'fr', 'ru', 'es'].map((lang) => [`titles[${lang}]`, `Test designation (${lang})`]));
      const code = `TEST-${randomBytes(2).toString('hex').toUpperCase()}`;
      return postForm(c, '/admin/designations', await formOf('/admin/designations', '/admin/designations', { code, instrument: 'UNTOC', article: '99', role: 'other', order: '999', ...titles }));
    },
    expect: secretariatOnly(to('/admin/designations?done=created')),
  },
  { route: 'GET /admin/designations/:code', what: 'a designation type', send: (c) => c.agent.get('/admin/designations/UNTOC-16'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/designations/:code',
    what: 'a designation type, unchanged, from its form',
    send: async (c) => postForm(c, '/admin/designations/UNTOC-16', await formOf('/admin/designations/UNTOC-16', '/admin/designations/UNTOC-16')),
    expect: secretariatOnly(to('/admin/designations/UNTOC-16?done=saved')),
  },
  {
    route: 'POST /admin/designations/:code/retired',
    what: 'a designation type in use, kept in use',
    send: (c) => postForm(c, '/admin/designations/UNTOC-16/retired', { retired: 'false' }),
    expect: secretariatOnly(to('/admin/designations/UNTOC-16?done=restored')),
  },
  { route: 'GET /admin/instruments', what: 'the instrument catalogue', send: (c) => c.agent.get('/admin/instruments'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/instruments',
    what: 'a new instrument, from the form',
    send: async (c) => {
      const code = `QX${randomBytes(3).toString('hex').toUpperCase()}`;
      const texts = Object.fromEntries(['ar', 'zh', 'en', 'fr', 'ru', 'es'].flatMap((lang) => [[`titles[${lang}]`, `Test instrument ${code} (${lang})`], [`shortNames[${lang}]`, `Test ${code} (${lang})`]]));
      return postForm(c, '/admin/instruments', await formOf('/admin/instruments', '/admin/instruments', { code, order: '99', ...texts }));
    },
    expect: secretariatOnly(to(/^\/admin\/instruments\/QX[0-9A-F]{6}\?done=created$/)),
  },
  { route: 'GET /admin/instruments/:code', what: 'an instrument', send: (c) => c.agent.get('/admin/instruments/UNTOC'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/instruments/:code',
    what: 'an instrument, unchanged, from its form',
    send: async (c) => postForm(c, '/admin/instruments/UNTOC', await formOf('/admin/instruments/UNTOC', '/admin/instruments/UNTOC')),
    expect: secretariatOnly(to('/admin/instruments/UNTOC?done=saved')),
  },
  {
    route: 'POST /admin/instruments/:code/retired',
    what: 'an instrument in use, kept in use',
    send: (c) => postForm(c, '/admin/instruments/UNTOC/retired', { retired: 'false' }),
    expect: secretariatOnly(to('/admin/instruments/UNTOC?done=restored')),
  },
  { route: 'GET /admin/party-status', what: 'the party-status form', send: (c) => c.agent.get('/admin/party-status'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/party-status',
    what: 'a dry run of a depositary status table (multipart, as the form posts it)',
    send: (c) =>
      c.agent
        .post('/admin/party-status')
        .field('_csrf', c.csrf)
        .field('instrument', 'UNTOC')
        .field('content', 'SOURCE: https://treaties.un.org/Pages/ViewDetails.aspx?mtdsg_no=XVIII-12\nASOF: 2024-05-04\nAlbania\n12 Dec 2000\n21 Aug 2002')
        .field('action', 'dry-run'),
    expect: secretariatOnly(200),
  },
  { route: 'GET /admin/resources', what: 'the resources list', send: (c) => c.agent.get('/admin/resources'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/resources',
    what: 'a new resource, from the form',
    send: async (c) =>
      postForm(
        c,
        '/admin/resources',
        await formOf('/admin/resources', '/admin/resources', { title: 'Matrix resource', category: 'model-law', url: `https://resources.example/${randomBytes(4).toString('hex')}`, languages: 'en', description: '' }),
      ),
    expect: secretariatOnly(to('/admin/resources?done=created')),
  },
  { route: 'GET /admin/resources/:id', what: 'a resource', send: (c) => c.agent.get(`/admin/resources/${ctx.resourceId}`), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/resources/:id',
    what: 'a resource, unchanged, from its form',
    send: async (c) => postForm(c, `/admin/resources/${ctx.resourceId}`, await formOf(`/admin/resources/${ctx.resourceId}`, `/admin/resources/${ctx.resourceId}`)),
    expect: secretariatOnly(to('/admin/resources?done=saved')),
  },
  {
    route: 'POST /admin/resources/:id/remove',
    what: 'a resource removed',
    prepare: target('resource', newResource),
    unchanged: async ({ id }) => (await listResources('en')).some((resource) => resource.id === id),
    send: (c, { id }) => postForm(c, `/admin/resources/${id}/remove`),
    expect: secretariatOnly(to('/admin/resources?done=removed')),
  },

  // The secretariat's reminders
  { route: 'GET /admin/reminders', what: 'the campaigns', send: (c) => c.agent.get('/admin/reminders'), expect: secretariatOnly(200) },
  { route: 'GET /admin/reminders/new', what: 'the new-campaign form', send: (c) => c.agent.get('/admin/reminders/new'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/reminders',
    what: 'a new campaign starting in 2099, from the form',
    send: async (c) => postForm(c, '/admin/reminders', await formOf('/admin/reminders/new', '/admin/reminders', { name: 'Matrix campaign', kind: 'all-focal-points', repeat: 'once', startsAt: '2099-01-01', step: 'schedule' })),
    expect: secretariatOnly(to(/^\/admin\/reminders\/[0-9a-f]{24}\?created=1$/)),
  },
  { route: 'GET /admin/reminders/states', what: 'every State’s reminders', send: (c) => c.agent.get('/admin/reminders/states'), expect: secretariatOnly(200) },
  { route: 'GET /admin/reminders/states/:code/preview', what: 'the reminder to RUS', state: 'RUS', send: (c) => c.agent.get('/admin/reminders/states/RUS/preview'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/reminders/states/:code/test',
    what: 'a test of the reminder to RUS, sent to oneself',
    state: 'RUS',
    send: async (c) => postForm(c, '/admin/reminders/states/RUS/test', await formOf('/admin/reminders/states/RUS/preview', '/admin/reminders/states/RUS/test')),
    expect: secretariatOnly(to('/admin/reminders/states?notice=test-sent&state=RUS')),
  },
  { route: 'GET /admin/reminders/states/:code/remind', what: "the question before 'remind RUS now'", state: 'RUS', send: (c) => c.agent.get('/admin/reminders/states/RUS/remind'), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/reminders/states/:code/remind',
    what: 'remind RUS now, confirmed',
    state: 'RUS',
    send: (c) => postForm(c, '/admin/reminders/states/RUS/remind', { confirmed: 'yes' }),
    expect: secretariatOnly(to(/^\/admin\/reminders\/[0-9a-f]{24}\?created=1$/)),
  },
  {
    route: 'POST /admin/reminders/states/:code/remind',
    what: 'remind RUS now, not confirmed (sent back to the question)',
    state: 'RUS',
    send: (c) => postForm(c, '/admin/reminders/states/RUS/remind'),
    expect: secretariatOnly(to('/admin/reminders/states/RUS/remind')),
  },
  { route: 'GET /admin/reminders/:id', what: 'a campaign about RUS', state: 'RUS', send: (c) => c.agent.get(`/admin/reminders/${ctx.campaignId}`), expect: secretariatOnly(200) },
  { route: 'GET /admin/reminders/:id/edit', what: 'the form of a scheduled campaign', prepare: target('campaign', scheduledCampaign), send: (c, { id }) => c.agent.get(`/admin/reminders/${id}/edit`), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/reminders/:id',
    what: 'a scheduled campaign renamed and saved',
    prepare: target('campaign', scheduledCampaign),
    unchanged: async ({ id }) => (await findCampaign(id!))?.name,
    send: (c, { id }) => postForm(c, `/admin/reminders/${id}`, { name: 'Renamed campaign', kind: 'all-focal-points', repeat: 'once', startsAt: '2099-02-01', step: 'schedule' }),
    expect: secretariatOnly(to(/^\/admin\/reminders\/[0-9a-f]{24}\?done=edited$/)),
  },
  {
    route: 'POST /admin/reminders/:id/pause',
    what: 'a scheduled campaign paused',
    prepare: target('campaign', scheduledCampaign),
    unchanged: async ({ id }) => (await findCampaign(id!))?.pausedAt ?? null,
    send: (c, { id }) => postForm(c, `/admin/reminders/${id}/pause`),
    expect: secretariatOnly(to(/^\/admin\/reminders\/[0-9a-f]{24}\?done=paused$/)),
  },
  {
    route: 'POST /admin/reminders/:id/resume',
    what: 'a paused campaign resumed',
    prepare: target('paused-campaign', async () => {
      const { id } = await scheduledCampaign();
      await pauseCampaign(ctx.secretariat.user!.user, id!);
      return { id: id! };
    }),
    unchanged: async ({ id }) => (await findCampaign(id!))?.pausedAt ?? null,
    send: (c, { id }) => postForm(c, `/admin/reminders/${id}/resume`),
    expect: secretariatOnly(to(/^\/admin\/reminders\/[0-9a-f]{24}\?done=resumed$/)),
  },
  { route: 'GET /admin/reminders/:id/delete', what: 'the question before deleting a campaign about RUS', state: 'RUS', send: (c) => c.agent.get(`/admin/reminders/${ctx.campaignId}/delete`), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/reminders/:id/delete',
    what: 'a scheduled campaign deleted, confirmed',
    prepare: target('campaign', scheduledCampaign),
    unchanged: async ({ id }) => Boolean(await findCampaign(id!)),
    send: (c, { id }) => postForm(c, `/admin/reminders/${id}/delete`, { confirmed: 'yes' }),
    expect: secretariatOnly(to('/admin/reminders?done=deleted')),
  },
  {
    route: 'GET /report',
    what: 'the report form of RUS',
    state: 'RUS',
    send: (c) => c.agent.get('/report?state=RUS'),
    expect: RESTRICTED_READ,
    marker: RUS_SEED.name.en,
  },
  {
    route: 'POST /report',
    what: 'a report about FRA',
    send: (c) => postForm(c, '/report', { state: 'FRA', kind: 'phone-wrong', description: 'Matrix: the phone does not answer', website: '' }),
    expect: everyone(200),
  },
  { route: 'GET /admin/reports', what: 'every State’s reports', send: (c) => c.agent.get('/admin/reports'), expect: secretariatOnly(200) },
  { route: 'GET /admin/reports/:id', what: 'a report about RUS', state: 'RUS', prepare: () => kept('rus-report', openRusReport), send: (c, { id }) => c.agent.get(`/admin/reports/${id}`), expect: secretariatOnly(200) },
  {
    route: 'POST /admin/reports/:id/status',
    what: 'a report about RUS answered',
    state: 'RUS',
    prepare: target('rus-report-to-answer', openRusReport),
    unchanged: reportStatus,
    send: (c, { id }) => postForm(c, `/admin/reports/${id}/status`, { status: 'answered', note: '' }),
    expect: secretariatOnly(REPORT_MOVED('/admin/reports')),
  },
  { route: 'GET /states/:code/reports', what: 'the reports about RUS', state: 'RUS', send: (c) => c.agent.get('/states/RUS/reports'), expect: by(SIGN_IN, 403, 200, 403, 200) },
  {
    route: 'GET /states/:code/reports/:id',
    what: 'a report about RUS',
    state: 'RUS',
    prepare: () => kept('rus-report', openRusReport),
    send: (c, { id }) => c.agent.get(`/states/RUS/reports/${id}`),
    expect: by(SIGN_IN, 403, 200, 403, 200),
  },
  {
    route: 'POST /states/:code/reports/:id/status',
    what: 'a report about RUS answered by its focal point',
    state: 'RUS',
    prepare: target('rus-report-to-answer', openRusReport),
    unchanged: reportStatus,
    send: (c, { id }) => postForm(c, `/states/RUS/reports/${id}/status`, { status: 'answered', note: '' }),
    expect: by(SIGN_IN, 403, REPORT_MOVED('/states/RUS/reports'), 403, REPORT_MOVED('/states/RUS/reports')),
  },
];

// ---- Running the matrix ----------------------------------------------------------------------------

const ROLE_LABELS: Record<Role, (state: StateCode) => string> = {
  anonymous: () => 'an anonymous reader',
  practitioner: () => 'a practitioner',
  focalOwn: (state) => `a focal point of this State (${state})`,
  focalOther: (state) => `a focal point of another State (${otherState(state)})`,
  secretariat: () => 'the secretariat',
};

const outcomeOf = (expected: Expected): Outcome => (typeof expected === 'number' ? { status: expected } : expected);
/** A refusal, after which nothing may have changed. */
const isRefusal = (outcome: Outcome) => outcome.status >= 400 || outcome === SIGN_IN;

function describeOutcome(outcome: Outcome, marker: boolean): string {
  const where = outcome.location ? ` to ${String(outcome.location)}` : '';
  const details = marker && outcome.status === 200 ? (outcome.details ? ' with the contact details' : ' without the contact details') : '';
  return `${outcome.status}${where}${details}`;
}

type Column = { role: Role; via: 'session' | 'token' };
/** Every role; on API rows the signed-in roles also with their tokens. */
const columns = (row: Row): Column[] => ROLES.flatMap((role): Column[] => (isApi(row) && role !== 'anonymous' ? [{ role, via: 'session' }, { role, via: 'token' }] : [{ role, via: 'session' }]));

/** Shared callers are kept by kind and State: focal points of FRA and of RUS play "this State's" or "another State's" by row. */
function callerKey(role: Role, state: StateCode, via: 'session' | 'token'): string {
  if (role === 'focalOwn') return `focal/${state}/${via}`;
  if (role === 'focalOther') return `focal/${otherState(state)}/${via}`;
  return `${role}/${via}`;
}

const accountRole = (role: Role): AccountRole | undefined => (role === 'anonymous' ? undefined : role === 'practitioner' ? 'practitioner' : role === 'secretariat' ? 'secretariat' : 'focal-point');

/** A new browser, on an app of its own (each app counts its own sign-in attempts), as a new user of the role or an anonymous visitor. */
async function freshCaller(role: Role, state: StateCode, kind: 'signed-in' | 'signed-out', totp = true): Promise<Caller> {
  const app = testApp({ mailer: ctx.smtp.mailer });
  const type = accountRole(role);
  const focalOf = role === 'focalOwn' ? state : role === 'focalOther' ? otherState(state) : undefined;
  const user = type ? await createTestUser({ role: type, states: focalOf ? [focalOf] : [], ...(type === 'practitioner' ? {} : { totp }) }) : undefined;
  const agent = user && kind === 'signed-in' ? await signedInAgent(app, user) : request.agent(app);
  const caller: Caller = { role, via: 'session', agent, csrf: '', user };
  caller.csrf = await currentCsrf(caller);
  return caller;
}

/** A caller kept for the whole matrix: signed in once (TOTP codes are single-use), with a token made on the account page. */
async function sharedCaller(role: Role, states: StateCode[]): Promise<Caller> {
  const type = accountRole(role);
  if (!type) {
    const agent = request.agent(ctx.app);
    return { role, via: 'session', agent, csrf: csrfTokenIn((await agent.get('/sign-in')).text) };
  }
  const user = await createTestUser({ role: type, states });
  const agent = await signedInAgent(ctx.app, user);
  const csrf = csrfTokenIn((await agent.get('/account')).text);
  const created = await agent.post('/account/api-tokens').type('form').send({ name: 'Role matrix', expiresInDays: '30', _csrf: csrf });
  const token = page(created.text).texts('[data-testid="api-token"]')[0];
  if (created.status !== 201 || !token) throw new Error(`no API token for the ${role}: ${created.status}`);
  return { role, via: 'session', agent, csrf, user, token };
}

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: RouterLayer[] };
  rawPath?: unknown;
  slash?: boolean;
}

/** Every route the app mounts, as `METHOD /path`, found by walking the routers (Express 5, router 2). */
function mountedRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, layer.slash || layer.rawPath === '/' || layer.rawPath === undefined ? prefix : `${prefix}${String(layer.rawPath)}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return found;
}

describe('who may call which route (role matrix)', () => {
  useTestDatabase();

  beforeAll(async () => {
    ctx.smtp = await startTestSmtp();
    ctx.app = testApp({ mailer: ctx.smtp.mailer });
    ctx.callers = new Map();
    for (const [role, states, key] of [
      ['anonymous', [], 'anonymous'],
      ['practitioner', [], 'practitioner'],
      ['focalOwn', ['FRA'], 'focal/FRA'],
      ['focalOwn', ['RUS'], 'focal/RUS'],
      ['secretariat', [], 'secretariat'],
    ] as Array<[Role, StateCode[], string]>) {
      const caller = await sharedCaller(role, states);
      ctx.callers.set(`${key}/session`, caller);
      if (caller.token) ctx.callers.set(`${key}/token`, { ...caller, via: 'token' });
    }
    ctx.secretariat = ctx.callers.get('secretariat/session')!;
    ctx.practitioner = ctx.callers.get('practitioner/session')!;
    ctx.admin = await createTestUser({ role: 'secretariat' });

    const authorities = [...(await findAuthoritiesOfState('FRA')), ...(await findAuthoritiesOfState('RUS'))];
    ctx.fra = authorities.find((authority) => authority.emails.includes(FRA_EMAIL))!;
    ctx.rus = authorities.find((authority) => authority.emails.includes(RUS_EMAIL))!;
    ctx.rusRevisionId = (await newRusRevision()).revision!;
    ctx.resourceId = (await newResource()).id!;
    ctx.campaignId = (await remindStateNow(ctx.secretariat.user!.user, 'RUS')).id;
  });

  afterAll(async () => {
    await ctx.smtp?.close();
  });

  it('when the routers are walked, then every mounted route has a row in the matrix, and every row names a mounted route', () => {
    const mounted = new Set(mountedRoutes(ctx.app));
    const covered = new Set(rows.map((row) => row.route));
    expect({ routesWithoutRow: [...mounted].filter((route) => !covered.has(route)) }).toEqual({ routesWithoutRow: [] });
    expect({ rowsForNoRoute: [...covered].filter((route) => !mounted.has(route)) }).toEqual({ rowsForNoRoute: [] });
  });

  it('when each shared caller posts a CSRF-protected form with its token, then the token is accepted (so every 403 below is the policy)', async () => {
    for (const [key, caller] of ctx.callers) {
      if (caller.via === 'token') continue;
      const res = caller.user ? await postForm(caller, '/account/api-tokens', { name: 'CSRF check', expiresInDays: '30' }) : await postForm(caller, '/password/forgot', { email: unique('csrf') });
      expect({ key, status: res.status }).toEqual({ key, status: caller.user ? 201 : 200 });
    }
  });

  for (const row of rows) {
    const state = row.state ?? 'FRA';
    describe(`${row.route} — ${row.what}`, () => {
      const rowForms = new Map<string, Array<[string, string]>>();
      for (const { role, via } of columns(row)) {
        const outcome = outcomeOf(row.expect[role]);
        const who = `${ROLE_LABELS[role](state)}${via === 'token' ? ' with a personal API token' : ''}`;
        it(`when ${who} sends it, then ${describeOutcome(outcome, row.marker !== undefined)}`, async () => {
          const caller = row.fresh ? await freshCaller(role, state, row.fresh, row.totp) : ctx.callers.get(callerKey(role, state, via))!;
          const prepared = row.prepare ? await row.prepare(caller, isRefusal(outcome)) : {};
          const before = row.unchanged && isRefusal(outcome) ? await row.unchanged(prepared, caller) : undefined;
          keptForms = isRefusal(outcome) ? rowForms : undefined;
          const res = await row.send(caller, prepared);
          keptForms = undefined;
          const where = `${row.route} (${row.what}) as ${who}`;

          expect({ where, status: res.status }).toEqual({ where, status: outcome.status });
          if (outcome.location !== undefined) {
            const location = outcome.location instanceof RegExp ? expect.stringMatching(outcome.location) : outcome.location;
            expect({ where, location: res.headers.location }).toEqual({ where, location });
          }
          // The API says why: a policy refusal, never the CSRF check's ("did not come from the Directory")
          if (res.status === 403 && isApi(row)) expect({ where, error: res.body?.error }).toEqual({ where, error: expect.objectContaining({ code: 'forbidden', message: expect.not.stringContaining('did not come from') }) });
          const marker = typeof row.marker === 'function' ? row.marker() : row.marker;
          if (marker) expect({ where, detailsShown: res.text.includes(marker) }).toEqual({ where, detailsShown: outcome.details ?? false });
          if (before !== undefined) expect({ where, after: await row.unchanged!(prepared, caller) }).toEqual({ where, after: before });
        });
      }
    });
  }
});
