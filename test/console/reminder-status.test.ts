import type { Express } from 'express';
import request from 'supertest';
import { remindStateNow } from '../../src/reminders/reminders.service';
import { testApp } from '../helpers/app';
import { createTestUser, signedInAgent, type TestUser } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

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
    expect(page(res.text).text('[data-testid="reminders-FRA"]')).toBe('—');
  });

  it('when the secretariat reminds a State now, then the dashboard and its CSV show the reminder as pending for that State only', async () => {
    await remindStateNow({ ...secretariatUser.user }, 'FRA');
    const res = await secretariat.get('/admin/dashboard');
    const dashboard = page(res.text);
    // One line each: pending, then unanswered
    const franceCell = dashboard.$('[data-testid="reminders-FRA"]');
    expect(franceCell.find('br')).toHaveLength(1);
    expect(franceCell.contents().toArray().filter((node) => node.type === 'text').map((node) => dashboard.$(node).text().trim())).toEqual(['Pending: 1', 'Unanswered: 0']);
    expect(dashboard.text('[data-testid="reminders-DEU"]')).toBe('—');
    const csv = await secretariat.get('/admin/dashboard/states.csv');
    const france = csv.text.split('\r\n').find((line) => line.startsWith('FRA,'));
    expect(france?.split(',').slice(-3)).toEqual(['1', '0', '']);
  });
});
