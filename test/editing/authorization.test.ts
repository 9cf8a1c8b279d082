import request from 'supertest';
import { findAuthoritiesOfState, findAuthority, findState } from '../../src/editing/editing.repository';
import { RevisionModel } from '../../src/editing/revision.model';
import { csrfTokenIn } from '../helpers/accounts';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { apiToken, authorityOf, editor, formFields, postPairs, submitForm, withValues } from './editing-helpers';
import { page as parsePage } from '../helpers/html';

/**
 * A focal point can never read or change another State's non-public data or edit its entries: every
 * editing page and API endpoint, with identifiers of another State crafted into URLs and bodies.
 */
describe('who may edit which State', () => {
  useTestDatabase();
  const app = testApp();
  let focalFra: Awaited<ReturnType<typeof editor>>;
  let secretariat: Awaited<ReturnType<typeof editor>>;
  let rusAuthorityId: string;
  let rusRevisionId: string;
  /** Valid bodies for each RUS form, as the secretariat's pages give them. */
  const rusForms = new Map<string, Array<[string, string]>>();

  beforeAll(async () => {
    focalFra = await editor(app, 'focal-point', ['FRA']);
    secretariat = await editor(app, 'secretariat');
    const rus = await authorityOf('RUS');
    rusAuthorityId = rus.id;
    const edit = `/states/RUS/authorities/${rus.id}/edit`;
    expect((await submitForm(secretariat.agent, edit, edit, { notes: 'Checked by the secretariat' })).status).toBe(303);
    rusRevisionId = String((await RevisionModel.findOne({ state: 'RUS' }).lean())!._id);
    const pages: Array<[string, string]> = [
      ['/states/RUS/authorities/new', '/states/RUS/authorities/new'],
      [edit, edit],
      [`/states/RUS/authorities/${rus.id}/remove`, `/states/RUS/authorities/${rus.id}/remove`],
      ['/states/RUS/optional/edit', '/states/RUS/optional/edit'],
      ['/states/RUS/access', '/states/RUS/access'],
      ['/states/RUS/edit', '/states/RUS/confirm'],
      ['/states/RUS/history', `/states/RUS/history/${rusRevisionId}/restore`],
    ];
    for (const [page, action] of pages) rusForms.set(action, formFields((await secretariat.agent.get(page)).text, action));
    rusForms.set('/states/RUS/authorities/new', withValues(rusForms.get('/states/RUS/authorities/new')!, {
      designations: 'UNTOC-18-13',
      'name[original]': 'Чужой орган',
      'name[originalLanguage]': 'ru',
      'name[en]': 'Foreign body',
      kind: 'court',
      'address[city]': 'Москва',
    }));
  });

  /** What must stay as it was after every refused attempt. */
  async function rusSnapshot() {
    return {
      state: await findState('RUS'),
      authorities: await findAuthoritiesOfState('RUS'),
      revisions: await RevisionModel.countDocuments({ state: 'RUS' }),
    };
  }

  const rusPages = () => [
    '/states/RUS/edit',
    '/states/RUS/authorities/new',
    `/states/RUS/authorities/${rusAuthorityId}/edit`,
    `/states/RUS/authorities/${rusAuthorityId}/remove`,
    '/states/RUS/optional/edit',
    '/states/RUS/access',
    '/states/RUS/history',
    // crafted: an authority of RUS under FRA's address
    `/states/FRA/authorities/${rusAuthorityId}/edit`,
    `/states/FRA/authorities/${rusAuthorityId}/remove`,
  ];

  it('when a focal point of FRA opens any editing page of RUS, or a RUS authority under /states/FRA, then each is refused with 403 and shows nothing of RUS', async () => {
    const rus = await findAuthority(rusAuthorityId);
    for (const page of rusPages()) {
      const res = await focalFra.agent.get(page);
      expect({ page, status: res.status }).toEqual({ page, status: 403 });
      expect(res.text).not.toContain(rus!.name.original);
      expect(res.text).not.toContain(rus!.emails[0]);
    }
  });

  it('when a focal point of FRA posts any editing form of RUS with a valid token and body, or crafts RUS ids under FRA, then each is refused and RUS is unchanged', async () => {
    const before = await rusSnapshot();
    const token = csrfTokenIn((await focalFra.agent.get('/states/FRA/edit')).text);
    const asFocal = (pairs: Array<[string, string]>) => withValues(pairs, { _csrf: token });
    const attempts: Array<[string, Array<[string, string]>, number]> = [
      ...[...rusForms.entries()].map(([action, pairs]): [string, Array<[string, string]>, number] => [action, pairs, 403]),
      [`/states/FRA/authorities/${rusAuthorityId}/edit`, rusForms.get(`/states/RUS/authorities/${rusAuthorityId}/edit`)!, 403],
      [`/states/FRA/authorities/${rusAuthorityId}/remove`, rusForms.get(`/states/RUS/authorities/${rusAuthorityId}/remove`)!, 403],
      // a revision of RUS under FRA's history is not FRA's: not found
      [`/states/FRA/history/${rusRevisionId}/restore`, rusForms.get(`/states/RUS/history/${rusRevisionId}/restore`)!, 404],
    ];
    for (const [action, pairs, status] of attempts) {
      const res = await postPairs(focalFra.agent, action, asFocal(pairs));
      expect({ action, status: res.status }).toEqual({ action, status });
    }
    expect(await rusSnapshot()).toEqual(before);
    // the same token is good: the refusals above came from the policy, not from CSRF protection
    expect((await postPairs(focalFra.agent, '/states/FRA/confirm', [['_csrf', token]])).status).toBe(303);
  });

  it('when a focal point of FRA adds state=RUS to a FRA form, then the field is refused with 422 and the authority stays in FRA', async () => {
    const fra = await authorityOf('FRA');
    const page = `/states/FRA/authorities/${fra.id}/edit`;
    const res = await submitForm(focalFra.agent, page, page, { state: 'RUS', notes: 'Moved?' });
    expect(res.status).toBe(422);
    expect(parsePage(res.text).errorSummaryFields()).toContain('state');
    const stored = await findAuthority(fra.id);
    expect(stored?.state).toBe('FRA');
    expect(stored?.notes).toBe(fra.notes);
  });

  it('when the secretariat opens and posts the same RUS pages, then it may', async () => {
    for (const page of rusPages().filter((page) => page.startsWith('/states/RUS'))) {
      expect({ page, status: (await secretariat.agent.get(page)).status }).toEqual({ page, status: 200 });
    }
    const before = (await findState('RUS'))!;
    const res = await postPairs(secretariat.agent, '/states/RUS/confirm', rusForms.get('/states/RUS/confirm')!);
    expect(res.status).toBe(303);
    expect((await findState('RUS'))!.lastConfirmedAt!.getTime()).toBeGreaterThan(before.lastConfirmedAt?.getTime() ?? 0);
  });

  it('when a practitioner opens an editing page, then it is refused with 403', async () => {
    const practitioner = await editor(app, 'practitioner');
    expect((await practitioner.agent.get('/states/FRA/edit')).status).toBe(403);
    expect((await practitioner.agent.get('/states/FRA/history')).status).toBe(403);
  });

  it('when an anonymous reader opens or posts an editing page, then they are sent to sign in and come back after', async () => {
    for (const page of ['/states/FRA/edit', '/states/FRA/history', `/states/FRA/authorities/${(await authorityOf('FRA')).id}/edit`]) {
      const res = await request(app).get(page);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/sign-in?returnTo=${encodeURIComponent(page)}`);
    }
    const revisions = await RevisionModel.countDocuments({ state: 'FRA' });
    const post = await request(app).post('/states/FRA/confirm').type('form').send('_csrf=x');
    expect(post.status).toBe(303);
    expect(post.headers.location).toMatch(/^\/sign-in/);
    expect(await RevisionModel.countDocuments({ state: 'FRA' })).toBe(revisions);
  });

  describe('the API', () => {
    let focalToken: string;
    let secretariatToken: string;
    const rusAuthorityBody = () => ({
      designations: ['UNTOC-18-13'],
      name: { original: 'Чужой орган', originalLanguage: 'ru', en: 'Foreign body' },
      kind: 'court',
      address: { lines: [], city: 'Москва' },
    });

    beforeAll(async () => {
      focalToken = (await apiToken('focal-point', ['FRA'])).token;
      secretariatToken = (await apiToken('secretariat')).token;
    });

    const calls = () => [
      { method: 'post' as const, url: '/api/v1/states/RUS/authorities', body: rusAuthorityBody() },
      { method: 'put' as const, url: `/api/v1/authorities/${rusAuthorityId}`, body: { ...rusAuthorityBody(), version: 0 } },
      { method: 'delete' as const, url: `/api/v1/authorities/${rusAuthorityId}`, body: { version: 0 } },
      { method: 'put' as const, url: '/api/v1/states/RUS/optional', body: { version: 0 } },
      { method: 'put' as const, url: '/api/v1/states/RUS/access', body: { access: 'public', version: 0 } },
      { method: 'post' as const, url: '/api/v1/states/RUS/confirm', body: {} },
      { method: 'get' as const, url: '/api/v1/states/RUS/revisions', body: undefined },
    ];

    const send = (call: ReturnType<typeof calls>[number], token?: string) => {
      let req = request(app)[call.method](call.url);
      if (token) req = req.set('Authorization', `Bearer ${token}`);
      return call.body === undefined ? req : req.send(call.body);
    };

    it('when a focal point of FRA calls any write or the revisions of RUS with their token, then each is refused with 403 JSON and RUS is unchanged', async () => {
      const before = await rusSnapshot();
      for (const call of calls()) {
        const res = await send(call, focalToken);
        expect({ call: `${call.method} ${call.url}`, status: res.status, code: res.body?.error?.code }).toEqual({ call: `${call.method} ${call.url}`, status: 403, code: 'forbidden' });
        expect(JSON.stringify(res.body)).not.toContain('Генеральная');
      }
      expect(await rusSnapshot()).toEqual(before);
    });

    it('when a focal point of FRA names RUS in a body sent to FRA or to a FRA authority, then it is refused and nothing moves to RUS', async () => {
      const fra = await authorityOf('FRA');
      const created = await request(app).post('/api/v1/states/FRA/authorities').set('Authorization', `Bearer ${focalToken}`).send({ ...rusAuthorityBody(), state: 'RUS' });
      expect(created.status).toBe(400);
      expect(created.body.error.fields).toHaveProperty('state');
      const moved = await request(app)
        .put(`/api/v1/authorities/${fra.id}`)
        .set('Authorization', `Bearer ${focalToken}`)
        .send({ ...rusAuthorityBody(), state: 'RUS', version: fra.version });
      expect(moved.status).toBe(400);
      expect(moved.body.error.fields).toHaveProperty('state');
      expect((await findAuthority(fra.id))?.state).toBe('FRA');
      expect((await findAuthoritiesOfState('RUS')).some((authority) => authority.name.en === 'Foreign body')).toBe(false);
    });

    it('when a focal point of FRA uses their session on the API for RUS, then it is refused with 403 too', async () => {
      const page = await focalFra.agent.get('/states/FRA/edit');
      const res = await focalFra.agent.put('/api/v1/states/RUS/access').set('X-CSRF-Token', csrfTokenIn(page.text)).send({ access: 'public', version: 0 });
      expect(res.status).toBe(403);
    });

    it('when nobody is signed in and no token is sent, then every editing endpoint answers 401 JSON', async () => {
      for (const call of calls()) {
        const res = await send(call);
        expect({ call: `${call.method} ${call.url}`, status: res.status, code: res.body?.error?.code }).toEqual({ call: `${call.method} ${call.url}`, status: 401, code: 'unauthorized' });
      }
    });

    it('when the secretariat reads RUS revisions with its token, then it may', async () => {
      const res = await request(app).get('/api/v1/states/RUS/revisions').set('Authorization', `Bearer ${secretariatToken}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeGreaterThan(0);
    });
  });
});
