import { followState, runDigests } from '../../src/following/following.service';
import { createTestUser, signedInAgent } from '../helpers/accounts';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { changeEmails } from './following-helpers';

const DAY = 24 * 60 * 60 * 1000;
const SECRET = 'test-cookie-secret-0123456789';

describe('the hour of the daily digest', () => {
  useTestDatabase();
  const app = testApp();
  let smtp: TestSmtp;
  const deps = () => ({ mailer: smtp.mailer, publicUrl: 'http://localhost', secret: SECRET });
  beforeAll(async () => {
    smtp = await startTestSmtp();
  });
  afterAll(async () => smtp.close());

  /** Tomorrow (UTC) at this hour: the digest run's clock. */
  const tomorrowAt = (hour: number) => new Date(Math.floor(Date.now() / DAY) * DAY + DAY + hour * 60 * 60 * 1000);

  it('when a follower chooses 14:00 UTC on the account page, then the runs before that hour send nothing and the first one after sends the day’s digest', async () => {
    const user = await createTestUser({ role: 'practitioner' });
    const agent = await signedInAgent(app, user);
    await followState(user.user, 'DEU');
    const account = page((await agent.get('/account')).text);
    expect(account.options('hour')).toEqual(['', ...Array.from({ length: 24 }, (_, hour) => String(hour))]);
    expect(account.field('hour')).toBe('');
    const saved = await agent.post('/account/digest-hour').type('form').send({ _csrf: account.csrfToken('form.digest-hour'), hour: '14' });
    expect(saved.headers.location).toBe('/account?digestHour=saved#following-heading');
    const after = page((await agent.get('/account?digestHour=saved')).text);
    expect(after.field('hour')).toBe('14');
    expect(after.text('.digest-hour + p, section [role="status"]')).toBe('Saved: your daily e-mail goes out from the hour you chose.');

    await changeEmails('DEU', 'hour@justice.de.example');
    const early = await runDigests(deps(), tomorrowAt(9));
    expect(early).toMatchObject({ sent: 0, 'not-yet': 1 });
    expect(smtp.to(user.user.email)).toHaveLength(0);
    const onTime = await runDigests(deps(), tomorrowAt(14));
    expect(onTime.sent).toBe(1);
    await smtp.waitForMessages(1);
    expect(smtp.to(user.user.email)).toHaveLength(1);

    // A tampered hour is refused with a notice and changes nothing; the empty choice goes back to the day's first run
    const tampered = await agent.post('/account/digest-hour').type('form').send({ _csrf: account.csrfToken('form.digest-hour'), hour: '25' });
    expect(tampered.headers.location).toBe('/account?digestHour=invalid#following-heading');
    expect(page((await agent.get('/account')).text).field('hour')).toBe('14');
    await agent.post('/account/digest-hour').type('form').send({ _csrf: account.csrfToken('form.digest-hour'), hour: '' });
    expect(page((await agent.get('/account')).text).field('hour')).toBe('');
  });
});
