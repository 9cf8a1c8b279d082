import request from 'supertest';
import { auditDetailRows, type DetailWords } from '../../src/audit/audit.presenter';
import { recordAuditEvent } from '../../src/audit/audit.service';
import { testApp } from '../helpers/app';
import { createTestUser, signedInAgent } from '../helpers/accounts';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

describe('audit details in words', () => {
  const words: DetailWords = {
    t: (key, options) => (({ 'accounts:audit.detail.states': 'States', 'console:yes': 'yes', 'role.focal-point': 'Focal point', listSeparator: ', ' }) as Record<string, string>)[key] ?? String(options?.defaultValue ?? key),
    stateName: (code) => ({ RUS: 'Russian Federation', FRA: 'France' })[code],
    languageName: (code) => ({ ru: 'Russian' })[code] ?? code,
    formatDate: (date) => date.toISOString().slice(0, 10),
  };

  it('when details hold State codes, a language, a role, a flag and a date, then each reads as words under its label', () => {
    const rows = auditDetailRows({ states: ['RUS', 'FRA'], language: 'ru', previousRole: 'focal-point', existingAccount: true, expiresAt: '2027-01-31T00:00:00.000Z', rows: 3 }, words);
    expect(rows).toEqual([
      { label: 'States', value: 'Russian Federation, France' },
      { label: 'language', value: 'Russian' },
      { label: 'previousRole', value: 'Focal point' },
      { label: 'existingAccount', value: 'yes' },
      { label: 'expiresAt', value: '2027-01-31' },
      { label: 'rows', value: '3' },
    ]);
  });

  it('when a detail is an object (a role change before and after), then its fields read the same way', () => {
    expect(auditDetailRows({ before: { role: 'focal-point', states: ['FRA'] } }, words)).toEqual([{ label: 'before', value: 'role: Focal point; States: France' }]);
  });
});

describe('the audit log page', () => {
  useTestDatabase();
  const app = testApp();

  it('when the secretariat reads the log, then details show labels and names in their language, not stored keys and codes', async () => {
    await recordAuditEvent({ type: 'invitation-sent', actorEmail: 'secretariat@example.org', details: { email: 'new.focal@justice.example', states: ['RUS', 'FRA'], language: 'ru' } });
    await recordAuditEvent({ type: 'reminder-campaign-changed', actorEmail: 'secretariat@example.org', details: { campaign: 'Yearly check', change: 'paused' } });
    const agent = await signedInAgent(app, await createTestUser({ role: 'secretariat' }));
    const html = page((await agent.get('/admin/audit?lang=fr').expect(200)).text);
    const details = html.texts('[data-testid="audit-events"] .audit-details div');
    expect(details).toEqual(expect.arrayContaining(['États Fédération de Russie, France', 'Langue russe', 'Campagne Yearly check', 'Modification mise en pause']));
    expect(html.texts('[data-testid="audit-events"] .audit-details dt')).toEqual(expect.arrayContaining(['États', 'Langue', 'Campagne', 'Modification']));
    expect(details.join(' ')).not.toMatch(/\bRUS\b|\bstates\b|paused/);
  });
});
