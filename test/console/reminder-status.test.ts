import type { Express } from 'express';
import request from 'supertest';
import { remindStateNow } from '../../src/reminders/reminders.service';
import { testApp } from '../helpers/app';
import { createTestUser, signedInAgent, type TestUser } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';

describe('reminders on the dashboard', () => {
  useTestDatabase();
  let app: Express;
  let secretariatUser: TestUser;
  let secretariat: request.Agent;
  beforeAll(async () => {
    app = testApp();
    secretariatUser = await createTestUser({ role: 'secretariat' });
    secretariat = await signedInAgent(app, secretariatUser);
  });

  it('when a State has not been reminded, then its reminders cell is empty', async () => {
    const res = await secretariat.get('/admin/dashboard');
    expect(res.text).toMatch(/data-testid="reminders-FRA">—</);
  });

  it('when the secretariat reminds a State now, then the dashboard and its CSV show the reminder as pending for that State only', async () => {
    await remindStateNow({ ...secretariatUser.user }, 'FRA');
    const res = await secretariat.get('/admin/dashboard');
    expect(res.text).toMatch(/data-testid="reminders-FRA">Pending: 1<br>Unanswered: 0/);
    expect(res.text).toMatch(/data-testid="reminders-DEU">—</);
    const csv = await secretariat.get('/admin/dashboard/states.csv');
    const france = csv.text.split('\r\n').find((line) => line.startsWith('FRA,'));
    expect(france?.split(',').slice(-3)).toEqual(['1', '0', '']);
  });
});
