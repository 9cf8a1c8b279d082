import type { Express } from 'express';
import request from 'supertest';
import { UserModel } from '../../src/accounts/user.model';
import { AuditEventModel } from '../../src/audit/audit.model';
import { findAuthoritiesOfState } from '../../src/editing/editing.repository';
import { ProblemReportModel } from '../../src/reports/report.model';
import { formBody, mailsTo } from '../accounts/account-test-helpers';
import { createTestUser, signedInAgent, type TestUser } from '../helpers/accounts';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';

describe('reporting a problem with an entry', () => {
  useTestDatabase();
  let smtp: TestSmtp;
  let app: Express;
  let secretariat: TestUser;
  let focalFra: TestUser;
  let focalRus: TestUser;
  let secretariatAgent: request.Agent;
  let fraAgent: request.Agent;
  let rusAgent: request.Agent;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    app = testApp({ mailer: smtp.mailer });
    secretariat = await createTestUser({ role: 'secretariat' });
    focalFra = await createTestUser({ role: 'focal-point', states: ['FRA'] });
    focalRus = await createTestUser({ role: 'focal-point', states: ['RUS'] });
    await UserModel.updateOne({ _id: focalRus.user.id }, { $set: { language: 'ru' } });
    secretariatAgent = await signedInAgent(app, secretariat);
    fraAgent = await signedInAgent(app, focalFra);
    rusAgent = await signedInAgent(app, focalRus);
  });
  afterAll(async () => {
    await smtp.close();
  });

  /** Opens the report form at `path` as a fresh anonymous visitor and posts it with the fields given. */
  async function report(path: string, fields: Record<string, string>, agent = request.agent(app)) {
    const form = await agent.get(path);
    expect(form.status).toBe(200);
    const pairs: Record<string, string> = { _csrf: page(form.text).csrfToken('form[method="post"]') };
    for (const name of ['state', 'authority', 'website']) {
      const value = page(form.text).field(name, 'form[method="post"]');
      if (value !== undefined) pairs[name] = value;
    }
    return agent.post('/report').type('form').send(formBody({ ...pairs, ...fields }));
  }

  it('when a State page and an authority page are read, then each links to the report form for that entry', async () => {
    const [authority] = await findAuthoritiesOfState('FRA');
    const statePage = page((await request(app).get('/states/FRA')).text);
    expect(statePage.linkTo('Report a problem with this entry')).toBe('/report?state=FRA');
    const authorityPage = page((await request(app).get(`/authorities/${authority!.id}`)).text);
    expect(authorityPage.linkTo('Report a problem with this entry')).toBe(`/report?state=FRA&authority=${authority!.id}`);
  });

  it('when an anonymous reader reports an authority of FRA, then it is stored, the State’s focal points and the secretariat get it and the reader is thanked', async () => {
    const [authority] = await findAuthoritiesOfState('FRA');
    const before = smtp.messages.length;
    const sent = await report(`/report?state=FRA&authority=${authority!.id}`, { kind: 'email-bounces', field: 'emails', description: 'The address bounced on 2 May.', email: 'Reader@Example.org' });
    expect(sent.status).toBe(200);
    expect(page(sent.text).text('h1')).toBe('Thank you for your report');

    const stored = await ProblemReportModel.findOne({ description: 'The address bounced on 2 May.' }).lean();
    expect(stored).toMatchObject({ state: 'FRA', authority: authority!.id, kind: 'email-bounces', field: 'emails', email: 'reader@example.org', status: 'open', language: 'en' });

    const [toFocal] = await mailsTo(smtp, focalFra.user.email);
    expect(toFocal!.subject).toBe('Problem reported in the entry of France');
    expect(toFocal!.text).toContain(authority!.name.en);
    expect(toFocal!.text).toContain(`http://localhost/states/FRA/reports/${String(stored!._id)}`);
    const [toSecretariat] = await mailsTo(smtp, secretariat.user.email);
    expect(toSecretariat!.text).toContain(`http://localhost/admin/reports/${String(stored!._id)}`);
    expect(smtp.to(focalRus.user.email)).toHaveLength(0);
    const recipients = smtp.messages.slice(before).flatMap((mail) => (Array.isArray(mail.to) ? mail.to : [mail.to!]).flatMap((to) => to.value.map((entry) => entry.address)));
    expect(recipients).toEqual(expect.arrayContaining([focalFra.user.email, secretariat.user.email]));
    expect(new Set(recipients).size).toBe(recipients.length);
  });

  it('when the report is made in French, then the thank-you page is in French', async () => {
    const sent = await report('/report?state=FRA&lang=fr', { kind: 'phone-wrong', description: 'Le numéro ne répond plus.' });
    expect(sent.status).toBe(200);
    expect(page(sent.text).text('h1')).toBe('Merci pour votre signalement');
    expect(await ProblemReportModel.findOne({ description: 'Le numéro ne répond plus.' }).lean()).toMatchObject({ language: 'fr' });
  });

  it('when the description is missing and the e-mail is malformed, then the form comes back with the input kept and each error at its field', async () => {
    const count = await ProblemReportModel.countDocuments();
    const refused = await report('/report?state=FRA', { kind: 'address-wrong', field: 'address', description: '   ', email: 'not-an-address' });
    expect(refused.status).toBe(422);
    const form = page(refused.text);
    expect(form.errorSummaryFields().sort()).toEqual(['description', 'email']);
    expect(form.fieldError('description')).toBe('Describe what you found');
    expect(form.fieldError('email')).toContain('name@example.org');
    expect(form.chosen('kind')).toEqual(['address-wrong']);
    expect(form.chosen('field')).toEqual(['address']);
    expect(form.field('email')).toBe('not-an-address');
    expect(await ProblemReportModel.countDocuments()).toBe(count);
  });

  it('when the description is too long or no kind is chosen, then each is refused at its field', async () => {
    const refused = await report('/report?state=FRA', { description: 'x'.repeat(2001) });
    expect(refused.status).toBe(422);
    const form = page(refused.text);
    expect(form.fieldError('kind')).toBe('Choose what is wrong');
    expect(form.fieldError('description')).toBe('Write at most 2000 characters');
  });

  it('when an authority of another State is named, then the report is refused at the authority field', async () => {
    const [russian] = await findAuthoritiesOfState('RUS');
    const refused = await report('/report?state=FRA', { kind: 'other', description: 'Mixed up.', authority: russian!.id });
    expect(refused.status).toBe(422);
    expect(page(refused.text).errorSummaryFields()).toEqual(['authority']);
  });

  it('when the hidden field is filled in, then the sender is thanked but nothing is stored or sent', async () => {
    const count = await ProblemReportModel.countDocuments();
    const mails = smtp.messages.length;
    const sent = await report('/report?state=FRA', { kind: 'other', description: 'Buy cheap watches', website: 'http://spam.example' });
    expect(sent.status).toBe(200);
    expect(page(sent.text).text('h1')).toBe('Thank you for your report');
    expect(await ProblemReportModel.countDocuments()).toBe(count);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.messages.length).toBe(mails);
  });

  it('when an anonymous reader opens the form for a restricted State, then no authority name or contact detail is in it, while its focal point sees the names', async () => {
    const authorities = await findAuthoritiesOfState('RUS');
    const anonymous = await request(app).get('/report?state=RUS');
    expect(anonymous.status).toBe(200);
    expect(page(anonymous.text).options('authority').sort()).toEqual(['', ...authorities.map((authority) => authority.id)].sort());
    for (const authority of authorities) {
      expect(anonymous.text).not.toContain(authority.name.en);
      expect(anonymous.text).not.toContain(authority.name.original);
      for (const email of authority.emails) expect(anonymous.text).not.toContain(email);
    }
    const own = await rusAgent.get('/report?state=RUS');
    expect(own.text).toContain(authorities[0]!.name.en);

    const [stub] = authorities;
    const sent = await report(`/report?state=RUS&authority=${stub!.id}`, { kind: 'authority-changed', description: 'A new office handles this now.' });
    expect(sent.status).toBe(200);
    expect(sent.text).not.toContain(stub!.name.en);
    expect(sent.text).not.toContain(stub!.name.original);
    // its focal point reads the notice in their own language, the secretariat in theirs
    const [notice] = await mailsTo(smtp, focalRus.user.email);
    expect(notice!.subject).toMatch(/^Сообщение об ошибке в записи государства /);
    expect(notice!.headers.get('content-language')).toBe('ru');
    expect(smtp.to(secretariat.user.email).at(-1)!.subject).toMatch(/^Problem reported in the entry of /);
  });

  it('when the secretariat lists, filters and follows up a report, then its status moves open → answered → closed, each change is audited and the reply reaches the reporter', async () => {
    const sent = await report('/report?state=FRA', { kind: 'phone-wrong', field: 'phones', description: 'Nobody answers the phone.', email: 'follow@example.org' });
    expect(sent.status).toBe(200);
    const stored = await ProblemReportModel.findOne({ description: 'Nobody answers the phone.' }).lean();
    const id = String(stored!._id);

    const list = page((await secretariatAgent.get('/admin/reports?status=open&state=FRA')).text);
    expect(list.attrs('tr[data-report]', 'data-report')).toContain(id);
    const closedOnly = page((await secretariatAgent.get('/admin/reports?status=closed')).text);
    expect(closedOnly.attrs('tr[data-report]', 'data-report')).not.toContain(id);
    const otherState = page((await secretariatAgent.get('/admin/reports?state=DEU')).text);
    expect(otherState.attrs('tr[data-report]', 'data-report')).not.toContain(id);

    const detail = await secretariatAgent.get(`/admin/reports/${id}`);
    expect(detail.status).toBe(200);
    expect(page(detail.text).text('[data-testid="report-status"]')).toBe('Open');
    expect(page(detail.text).options('status')).toEqual(['answered', 'closed']);

    const answered = await secretariatAgent
      .post(`/admin/reports/${id}/status`)
      .type('form')
      .send(formBody({ status: 'answered', note: 'The number is corrected.', _csrf: page(detail.text).csrfToken('form[method="post"]') }));
    expect(answered.status).toBe(303);
    expect(answered.headers.location).toBe(`/admin/reports/${id}?done=status`);
    const [reply] = await mailsTo(smtp, 'follow@example.org');
    expect(reply!.subject).toBe('Your report about the entry of France');
    expect(reply!.text).toContain('The number is corrected.');

    const after = await secretariatAgent.get(`/admin/reports/${id}`);
    expect(page(after.text).text('[data-testid="report-status"]')).toBe('Answered');
    expect(page(after.text).options('status')).toEqual(['closed']);
    const backwards = await secretariatAgent
      .post(`/admin/reports/${id}/status`)
      .type('form')
      .send(formBody({ status: 'open', _csrf: page(after.text).csrfToken('form[method="post"]') }));
    expect(backwards.status).toBe(422);
    expect(page(backwards.text).errorSummaryFields()).toEqual(['status']);

    const closed = await secretariatAgent
      .post(`/admin/reports/${id}/status`)
      .type('form')
      .send(formBody({ status: 'closed', _csrf: page(after.text).csrfToken('form[method="post"]') }));
    expect(closed.status).toBe(303);
    expect(await ProblemReportModel.findById(id).lean()).toMatchObject({ status: 'closed' });

    const events = await AuditEventModel.find({ type: 'problem-report-status-changed', subject: id }).sort({ at: 1 }).lean();
    expect(events.map((event) => event.details)).toEqual([
      { state: 'FRA', statusBefore: 'open', statusAfter: 'answered', note: 'The number is corrected.' },
      { state: 'FRA', statusBefore: 'answered', statusAfter: 'closed' },
    ]);
    expect(events[0]!.actorEmail).toBe(secretariat.user.email);
  });

  it('when reports are open or answered, then the dashboard counts them and links to the open ones', async () => {
    const [open, answered] = await Promise.all([ProblemReportModel.countDocuments({ status: 'open' }), ProblemReportModel.countDocuments({ status: 'answered' })]);
    expect(open).toBeGreaterThan(0);
    const figure = page((await secretariatAgent.get('/admin/dashboard')).text);
    expect(figure.text('[data-testid="figure-reports"] strong')).toBe(String(open));
    expect(figure.attr('[data-testid="figure-reports"] a', 'href')).toBe('/admin/reports?status=open');
    expect(figure.text('[data-testid="figure-reports"] .meta')).toBe(`(${answered} answered, not closed)`);
  });

  it('when focal points look for reports, then they see their own States’ reports only, and a focal point of another State is refused', async () => {
    const sent = await report('/report?state=FRA', { kind: 'other', description: 'Only France’s focal point sees this.' });
    expect(sent.status).toBe(200);
    const id = String((await ProblemReportModel.findOne({ description: 'Only France’s focal point sees this.' }).lean())!._id);

    const own = await fraAgent.get('/states/FRA/reports');
    expect(own.status).toBe(200);
    expect(page(own.text).attrs('tr[data-report]', 'data-report')).toContain(id);
    const detail = await fraAgent.get(`/states/FRA/reports/${id}`);
    expect(detail.status).toBe(200);
    expect(page(detail.text).text('[data-testid="report-description"]')).toBe('Only France’s focal point sees this.');
    const answered = await fraAgent
      .post(`/states/FRA/reports/${id}/status`)
      .type('form')
      .send(formBody({ status: 'answered', _csrf: page(detail.text).csrfToken('form[method="post"]') }));
    expect(answered.status).toBe(303);

    expect((await rusAgent.get('/states/FRA/reports')).status).toBe(403);
    expect((await rusAgent.get(`/states/FRA/reports/${id}`)).status).toBe(403);
    // under the State the focal point does answer for, another State's report does not exist
    expect((await rusAgent.get(`/states/RUS/reports/${id}`)).status).toBe(404);
    const rusList = page((await rusAgent.get('/states/RUS/reports')).text);
    expect(rusList.attrs('tr[data-report]', 'data-report')).not.toContain(id);
    expect((await fraAgent.get('/admin/reports')).status).toBe(403);
    expect((await request(app).get('/admin/reports')).status).toBe(303);
  });

  it('when one address posts more reports than the limit, then it is answered 429 with a page in the reader’s language', async () => {
    const limited = testApp({ mailer: smtp.mailer });
    const agent = request.agent(limited);
    const form = await agent.get('/report?state=FRA');
    const csrf = page(form.text).csrfToken('form[method="post"]');
    let last: request.Response | undefined;
    for (let attempt = 0; attempt < 11; attempt += 1) {
      last = await agent.post('/report?lang=fr').type('form').send(formBody({ _csrf: csrf, state: 'FRA', kind: 'other', description: '', website: '' }));
    }
    expect(last!.status).toBe(429);
    expect(last!.headers['retry-after']).toBe('3600');
    expect(page(last!.text).text('h1')).toBe('Trop de signalements depuis votre réseau');
  });
});
