import type { Express } from 'express';
import request from 'supertest';
import { UserModel } from '../../src/accounts/user.model';
import { AuditEventModel } from '../../src/audit/audit.model';
import { recordAuditEvent } from '../../src/audit/audit.service';
import { testApp } from '../helpers/app';
import { createTestUser, signedInAgent, type TestUser } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { submitForm } from './account-test-helpers';
import { page } from '../helpers/html';

const ADMIN_PAGES = ['/admin', '/admin/users', '/admin/access-requests', '/admin/invitations', '/admin/audit'];

describe('administration by the secretariat', () => {
  useTestDatabase();
  let smtp: TestSmtp;
  let app: Express;
  let me: TestUser;
  let secretariat: request.Agent;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    app = testApp({ mailer: smtp.mailer });
    me = await createTestUser({ role: 'secretariat' });
    secretariat = await signedInAgent(app, me);
  });
  afterAll(async () => {
    await smtp.close();
  });

  const changeAccess = (id: string, fields: Record<string, string | string[]>) => submitForm(secretariat, `/admin/users/${id}`, `/admin/users/${id}`, fields);

  it('when an anonymous reader opens an admin page, then they are sent to sign in and back', async () => {
    for (const page of ADMIN_PAGES) {
      const res = await request(app).get(page);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(page)}`);
    }
  });

  it('when a practitioner or a focal point opens or posts to any admin route, then the answer is 403', async () => {
    const target = await createTestUser({ role: 'practitioner' });
    const secretariatCount = await UserModel.countDocuments({ role: 'secretariat' });
    const pages = [...ADMIN_PAGES, `/admin/users/${target.user.id}`, '/admin/users?role=secretariat', '/admin/audit?type=sign-in'];
    const posts = ['/admin/invitations', `/admin/users/${target.user.id}`, '/admin/access-requests/0123456789abcdef01234567/approve', '/admin/access-requests/0123456789abcdef01234567/reject'];
    for (const user of [await createTestUser({ role: 'practitioner' }), await createTestUser({ role: 'focal-point', states: ['RUS'] })]) {
      const agent = await signedInAgent(app, user);
      for (const page of pages) expect([page, (await agent.get(page)).status]).toEqual([page, 403]);
      for (const action of posts) {
        const res = await submitForm(agent, '/account', action, { role: 'secretariat', status: 'active', email: 'x@test.example', name: 'X', states: 'RUS', language: 'en' });
        expect([action, res.status]).toEqual([action, 403]);
      }
      const home = await agent.get('/');
      expect(page(home.text).hrefs()).not.toContain('/admin');
    }
    expect(await UserModel.countDocuments({ role: 'secretariat' })).toBe(secretariatCount);
  });

  it('when the secretariat opens the admin index, then the navigation links to it and it lists the admin pages', async () => {
    const home = await secretariat.get('/');
    expect(page(home.text).hrefs()).toContain('/admin');
    const index = await secretariat.get('/admin');
    expect(index.status).toBe(200);
    for (const adminPage of ADMIN_PAGES.slice(1)) expect(page(index.text).hrefs()).toContain(adminPage);
  });

  it('when the users list is filtered by role, then only users of that role are shown, with their States and two-step status', async () => {
    const focal = await createTestUser({ role: 'focal-point', states: ['MEX', 'BRA'] });
    const practitioner = await createTestUser({ role: 'practitioner' });
    const all = await secretariat.get('/admin/users');
    expect(all.text).toContain(focal.user.email);
    expect(all.text).toContain(practitioner.user.email);
    const focalOnly = await secretariat.get('/admin/users?role=focal-point');
    expect(focalOnly.text).toContain(focal.user.email);
    expect(focalOnly.text).toContain('MEX, BRA');
    expect(focalOnly.text).not.toContain(practitioner.user.email);
    expect((await secretariat.get('/admin/users?role=king')).status).toBe(400);
  });

  it('when the secretariat makes a practitioner focal point of a State, then the change is saved, audited and the user signed out', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const session = await signedInAgent(app, user);
    const res = await changeAccess(user.user.id, { role: 'focal-point', states: ['IND', 'MAR'], status: 'active' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/users/${user.user.id}?saved=1`);
    expect(await UserModel.findById(user.user.id).lean()).toMatchObject({ role: 'focal-point', states: ['IND', 'MAR'] });
    const audit = await AuditEventModel.findOne({ type: 'role-changed', subject: user.user.id }).lean();
    expect(audit?.details).toMatchObject({ before: { role: 'practitioner' }, after: { role: 'focal-point', states: ['IND', 'MAR'] } });
    expect((await session.get('/account')).status).toBe(303);
  });

  it('when a focal point is given no State, then the form comes back with 422 and the message at the field', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const res = await changeAccess(user.user.id, { role: 'focal-point', status: 'active' });
    expect(res.status).toBe(422);
    expect(page(res.text).errorSummaryFields()).toContain('states');
    expect(page(res.text).fieldErrors()).toContain('states');
    expect((await UserModel.findById(user.user.id).lean())?.role).toBe('practitioner');
  });

  it('when the secretariat tries to demote or deactivate themselves, then it is refused with a clear message', async () => {
    const demote = await changeAccess(me.user.id, { role: 'practitioner', status: 'active' });
    expect(demote.status).toBe(422);
    expect(demote.text).toContain('You cannot remove your own secretariat role.');
    expect(page(demote.text).errorSummaryFields()).toContain('role');
    const deactivate = await changeAccess(me.user.id, { role: 'secretariat', status: 'disabled' });
    expect(deactivate.status).toBe(422);
    expect(deactivate.text).toContain('You cannot deactivate your own account.');
    expect(await UserModel.findById(me.user.id).lean()).toMatchObject({ role: 'secretariat', status: 'active' });
  });

  it('when a user is deactivated, then their sessions end and they cannot sign in; reactivated, they can', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const session = await signedInAgent(app, user);
    expect((await changeAccess(user.user.id, { role: 'practitioner', status: 'disabled' })).status).toBe(303);
    expect((await session.get('/account')).status).toBe(303);
    await expect(signedInAgent(app, user)).rejects.toThrow('sign-in answered 401');
    expect((await changeAccess(user.user.id, { role: 'practitioner', status: 'active' })).status).toBe(303);
    await signedInAgent(app, user);
  });

  it('when the audit log is opened, then events come newest first, filtered by type, in pages', async () => {
    const base = Date.now() - 3600_000;
    for (let i = 0; i < 60; i += 1) await recordAuditEvent({ type: 'export', actorEmail: `export-${i}@test.example` }, new Date(base + i * 1000));
    const first = await secretariat.get('/admin/audit?type=export');
    expect(first.status).toBe(200);
    expect(first.text).toContain('export-59@test.example');
    expect(first.text).not.toContain('export-9@test.example<');
    expect(first.text.indexOf('export-59@')).toBeLessThan(first.text.indexOf('export-58@'));
    expect(page(first.text).texts('td')).not.toContain('Sign-in');
    expect(page(first.text).hrefs()).toContain('/admin/audit?type=export&page=2');
    const second = await secretariat.get('/admin/audit?type=export&page=2');
    expect(second.text).toContain('export-9@test.example');
    expect(second.text).toContain('export-0@test.example');
    expect(second.text).not.toContain('page=3');
    const all = await secretariat.get('/admin/audit');
    expect(page(all.text).texts('td')).toContain('Sign-in');
  });
});
