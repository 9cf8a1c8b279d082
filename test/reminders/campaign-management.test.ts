import request from 'supertest';
import { listAuditEvents } from '../../src/audit/audit.service';
import { processDueDeliveries, reminderTick } from '../../src/reminders/reminder-worker';
import { findCampaign, findDeliveries, findRuns, markCampaignDeleted } from '../../src/reminders/reminders.repository';
import { nextRunAfterEdit } from '../../src/reminders/reminders.service';
import { createTestUser, csrfTokenIn, signedInAgent } from '../helpers/accounts';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createFocalPoint, jobDependencies, stateCodes } from './reminder-helpers';

useTestDatabase();

let smtp: TestSmtp;
let app: ReturnType<typeof testApp>;
let agent: request.Agent;
let codes: string[];
let focalPointEmail: string;

beforeAll(async () => {
  smtp = await startTestSmtp();
  app = testApp({ mailer: smtp.mailer });
  codes = await stateCodes();
  focalPointEmail = (await createFocalPoint([codes[0]!], 'fr')).user.email;
  agent = await signedInAgent(app, await createTestUser({ role: 'secretariat' }));
});

afterAll(async () => {
  await smtp.close();
});

/** Creates a campaign through the form (checked, then scheduled) and returns its id. */
async function createCampaign(fields: Record<string, string>): Promise<string> {
  const form = await agent.get('/admin/reminders/new');
  const review = page((await agent.post('/admin/reminders').type('form').send({ ...fields, step: 'review', _csrf: csrfTokenIn(form.text) })).text);
  const res = await agent.post('/admin/reminders').type('form').send({ ...fields, step: 'schedule', _csrf: review.csrfToken() });
  expect(res.status).toBe(303);
  return /\/admin\/reminders\/([a-f0-9]{24})\?created=1$/.exec(res.headers.location as string)![1]!;
}

async function campaignPage(id: string) {
  const res = await agent.get(`/admin/reminders/${id}`);
  expect(res.status).toBe(200);
  return page(res.text);
}

/** Presses a button of the campaign page (pause or resume). */
async function press(id: string, action: 'pause' | 'resume') {
  const before = await campaignPage(id);
  const form = `form[action="/admin/reminders/${id}/${action}"]`;
  expect(before.count(form)).toBe(1);
  return agent.post(`/admin/reminders/${id}/${action}`).type('form').send({ _csrf: before.csrfToken(form) });
}

const sentTo = (email: string) => smtp.to(email).length;

describe('changing a campaign', () => {
  let id: string;

  it('when the secretariat opens the edit form, then it holds the campaign as it stands, with its next sending', async () => {
    id = await createCampaign({ name: 'Yearly check', kind: 'stale', months: '12', startsAt: '2099-03-01', repeat: 'every', everyMonths: '12', escalateAfterDays: '14' });
    const campaign = await campaignPage(id);
    const edit = page((await agent.get(campaign.attr('[data-testid="campaign-actions"] a[href$="/edit"]', 'href')!)).text);
    expect(edit.field('name')).toBe('Yearly check');
    expect(edit.attr('input[name="kind"][checked]', 'value')).toBe('stale');
    expect(edit.field('months')).toBe('12');
    expect(edit.field('startsAt')).toBe('2099-03-01');
    expect(edit.attr('input[name="repeat"][checked]', 'value')).toBe('every');
    expect(edit.field('escalateAfterDays')).toBe('14');
    expect(edit.count(`main form[action="/admin/reminders/${id}"] input[name="name"]`)).toBe(1);
  });

  it('when it is changed, then it shows whom it would reach, saves on the second press and records who changed it', async () => {
    const edit = page((await agent.get(`/admin/reminders/${id}/edit`)).text);
    const fields = { name: 'Check of missing extradition authorities', kind: 'missing-designation', designation: 'UNTOC-16', startsAt: '2099-06-15', repeat: 'once', escalateAfterDays: '' };
    const review = await agent.post(`/admin/reminders/${id}`).type('form').send({ ...fields, step: 'review', _csrf: edit.csrfToken() });
    expect(review.status).toBe(200);
    const reviewed = page(review.text);
    expect(reviewed.count('[data-testid="audience"]')).toBe(1);
    // nothing is saved by the check
    expect((await findCampaign(id))!.name).toBe('Yearly check');

    const saved = await agent.post(`/admin/reminders/${id}`).type('form').send({ ...fields, step: 'schedule', _csrf: reviewed.csrfToken() });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/admin/reminders/${id}?done=edited`);
    const campaign = (await findCampaign(id))!;
    expect(campaign).toMatchObject({ name: 'Check of missing extradition authorities', kind: 'missing-designation', designation: 'UNTOC-16' });
    // what the new kind and schedule no longer use is gone, not left behind
    expect(campaign.months).toBeUndefined();
    expect(campaign.everyMonths).toBeUndefined();
    expect(campaign.escalateAfterDays).toBeUndefined();
    expect(campaign.nextRunAt!.toISOString()).toBe('2099-06-15T00:00:00.000Z');
    expect((await campaignPage(id)).text('h1')).toBe('Check of missing extradition authorities');
    const [event] = await listAuditEvents({ type: 'reminder-campaign-changed', subject: id });
    expect(event?.details).toMatchObject({ change: 'edited', campaign: 'Yearly check' });
  });

  it('when the change is not valid, then the form comes back with the input kept and the error at its field', async () => {
    const edit = page((await agent.get(`/admin/reminders/${id}/edit`)).text);
    const res = await agent.post(`/admin/reminders/${id}`).type('form').send({ name: 'Kept name', kind: 'stale', months: '', repeat: 'once', step: 'schedule', _csrf: edit.csrfToken() });
    expect(res.status).toBe(422);
    const form = page(res.text);
    expect(form.fieldErrors()).toEqual(['months']);
    expect(form.field('name')).toBe('Kept name');
    expect((await findCampaign(id))!.name).toBe('Check of missing extradition authorities');
  });

  it("when a 'remind now' campaign is opened for editing, then it is refused: it reminded one State at once", async () => {
    const states = page((await agent.get('/admin/reminders/states')).text);
    const question = page((await agent.get(states.attr(`tr[data-state="${codes[0]}"] a[href$="/remind"]`, 'href')!)).text);
    const res = await agent.post(`/admin/reminders/states/${codes[0]}/remind`).type('form').send({ _csrf: question.csrfToken(), confirmed: 'yes' });
    const remindNow = /\/admin\/reminders\/([a-f0-9]{24})/.exec(res.headers.location as string)![1]!;
    expect((await campaignPage(remindNow)).count('[data-testid="campaign-actions"] a[href$="/edit"]')).toBe(0);
    expect((await agent.get(`/admin/reminders/${remindNow}/edit`)).status).toBe(409);
    await processDueDeliveries(jobDependencies(smtp.mailer));
  });
});

describe('pausing a campaign', () => {
  it('when a campaign with queued e-mails is paused, then nothing is sent until it is resumed, and then everything is', async () => {
    const id = await createCampaign({ name: 'Paused check', kind: 'all-focal-points', repeat: 'once' });
    await reminderTick();
    expect((await findDeliveries({ campaignId: id })).every((delivery) => delivery.status === 'queued')).toBe(true);
    const before = sentTo(focalPointEmail);

    const paused = await press(id, 'pause');
    expect(paused.headers.location).toBe(`/admin/reminders/${id}?done=paused`);
    expect((await campaignPage(id)).count('[data-testid="paused"]')).toBe(1);
    expect(page((await agent.get('/admin/reminders')).text).text(`tr[data-campaign="${id}"] td:nth-child(3)`)).toBe('Paused');
    await processDueDeliveries(jobDependencies(smtp.mailer));
    expect(sentTo(focalPointEmail)).toBe(before);
    expect((await findDeliveries({ campaignId: id })).every((delivery) => delivery.status === 'queued')).toBe(true);

    await press(id, 'resume');
    expect((await campaignPage(id)).count('[data-testid="paused"]')).toBe(0);
    await processDueDeliveries(jobDependencies(smtp.mailer));
    await smtp.waitForMessages(1);
    expect(sentTo(focalPointEmail)).toBe(before + 1);
    expect((await findDeliveries({ campaignId: id })).every((delivery) => delivery.status === 'sent')).toBe(true);
  });

  it('when a campaign is paused before it is due, then the scheduler starts no run; once resumed, the run starts', async () => {
    const id = await createCampaign({ name: 'Paused before due', kind: 'all-focal-points', repeat: 'once' });
    await press(id, 'pause');
    await reminderTick();
    expect(await findRuns({ campaignId: id })).toHaveLength(0);
    await press(id, 'resume');
    await reminderTick();
    expect(await findRuns({ campaignId: id })).toHaveLength(1);
    await processDueDeliveries(jobDependencies(smtp.mailer));
    const [event] = await listAuditEvents({ type: 'reminder-campaign-changed', subject: id });
    expect(event?.details).toMatchObject({ change: 'resumed' });
  });
});

describe('deleting a campaign', () => {
  it('when the secretariat deletes a campaign, then it asks first, and then the campaign, its runs and its unsent e-mails are gone', async () => {
    const id = await createCampaign({ name: 'Mistaken campaign', kind: 'all-focal-points', repeat: 'once' });
    await reminderTick();
    const queued = (await findDeliveries({ campaignId: id })).length;
    expect(queued).toBeGreaterThan(0);
    const before = sentTo(focalPointEmail);

    const campaign = await campaignPage(id);
    const question = page((await agent.get(campaign.attr('[data-testid="campaign-actions"] a[href$="/delete"]', 'href')!)).text);
    expect(question.text('[data-testid="what-goes"]')).toContain(`its ${queued} recipients`);
    expect(question.text('[data-testid="what-goes"]')).toContain(`${queued} e-mails not yet sent will not be sent`);
    // a POST that does not come from the question deletes nothing
    const unconfirmed = await agent.post(`/admin/reminders/${id}/delete`).type('form').send({ _csrf: question.csrfToken() });
    expect(unconfirmed.headers.location).toBe(`/admin/reminders/${id}/delete`);
    expect(await findCampaign(id)).toBeDefined();

    const res = await agent.post(`/admin/reminders/${id}/delete`).type('form').send({ _csrf: question.csrfToken(), confirmed: question.field('confirmed')! });
    expect(res.headers.location).toBe('/admin/reminders?done=deleted');
    expect(page((await agent.get('/admin/reminders')).text).count(`tr[data-campaign="${id}"]`)).toBe(0);
    expect((await agent.get(`/admin/reminders/${id}`)).status).toBe(404);
    expect(await findDeliveries({ campaignId: id })).toHaveLength(0);
    expect(await findRuns({ campaignId: id })).toHaveLength(0);
    await processDueDeliveries(jobDependencies(smtp.mailer));
    expect(sentTo(focalPointEmail)).toBe(before);
    const [event] = await listAuditEvents({ type: 'reminder-campaign-changed', subject: id });
    expect(event?.details).toMatchObject({ change: 'deleted', campaign: 'Mistaken campaign' });
  });

  it('when a deletion stopped after its first write, then the campaign is gone and sends nothing, and the next scheduler minute removes the rest', async () => {
    const id = await createCampaign({ name: 'Half-deleted campaign', kind: 'all-focal-points', repeat: 'once' });
    await reminderTick();
    const before = sentTo(focalPointEmail);
    // the one write a deletion commits with, as a process that died right after it leaves it
    expect(await markCampaignDeleted(id, new Date(), 'secretariat@example.org')).toBe(true);
    expect((await agent.get(`/admin/reminders/${id}`)).status).toBe(404);
    expect((await findDeliveries({ campaignId: id })).length).toBeGreaterThan(0);
    await processDueDeliveries(jobDependencies(smtp.mailer));
    expect(sentTo(focalPointEmail)).toBe(before);

    await reminderTick();
    expect(await findDeliveries({ campaignId: id })).toHaveLength(0);
    expect(await findRuns({ campaignId: id })).toHaveLength(0);
  });
});

describe('the next sending after an edit', () => {
  const now = new Date('2027-01-10T12:00:00Z');
  const lastRun = new Date('2026-09-01T09:00:00Z');

  it('when a date is given, then it is the next sending; the same day as before keeps its hour', () => {
    expect(nextRunAfterEdit({ nextRunAt: new Date('2027-02-01T09:30:00Z') }, { startsAt: new Date('2027-03-01'), repeat: 'once' }, lastRun, now)).toEqual(new Date('2027-03-01'));
    expect(nextRunAfterEdit({ nextRunAt: new Date('2027-02-01T09:30:00Z') }, { startsAt: new Date('2027-02-01'), repeat: 'once' }, lastRun, now)).toEqual(new Date('2027-02-01T09:30:00Z'));
  });

  it('when no date is given, then a single campaign sends no more, and a repeating one goes on from its last run', () => {
    expect(nextRunAfterEdit({ nextRunAt: new Date('2027-02-01') }, { repeat: 'once' }, lastRun, now)).toBeNull();
    expect(nextRunAfterEdit({}, { repeat: 'every', everyMonths: 3 }, lastRun, now)).toEqual(new Date('2027-03-01T09:00:00Z'));
    expect(nextRunAfterEdit({ nextRunAt: new Date('2027-02-01') }, { repeat: 'every', everyMonths: 3 }, lastRun, now)).toEqual(new Date('2027-02-01'));
    expect(nextRunAfterEdit({}, { repeat: 'every', everyMonths: 3 }, undefined, now)).toEqual(now);
  });
});
