import request from 'supertest';
import { createTestUser, signedInAgent } from '../helpers/accounts';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { page } from '../helpers/html';

/** France's sample requirements for extradition, as a requester reads them. */
const FRA_EXTRADITION = [
  'Request written in or translated into: French',
  'Attachments written in or translated into: French',
  'Send the formal request by: diplomatic channel',
  'Advance copy by e-mail accepted; original within 40 days',
  'Dual criminality required for coercive measures',
  'Certified copies needed',
  'Legal bases accepted: treaty, reciprocity, UNTOC',
];
/** Mexico (a restricted entry): its first line for mutual legal assistance. */
const MEX_LANGUAGES = 'Request written in or translated into: Spanish or English';

describe('the requirements checklist', () => {
  useTestDatabase();
  const app = testApp();

  it('when the finder answers an extradition request to France, then the checklist has a box to tick for each requirement, and the JSON has the facts', async () => {
    const res = await request(app).get('/find?to=FRA&need=extradition');
    expect(res.status).toBe(200);
    const html = page(res.text);
    expect(html.text('.finder-answer .requirements-checklist h3')).toBe('Checklist before sending');
    expect(html.texts('.finder-answer .checklist li')).toEqual(FRA_EXTRADITION);
    expect(html.attrs('.checklist li', 'data-item')).toEqual(['requestLanguages', 'attachmentLanguages', 'channels', 'advanceCopy', 'dualCriminality', 'authentication', 'legalBases']);
    // every box has its label, so ticking the text ticks the box
    const boxes = html.attrs('.checklist input[type="checkbox"]', 'id');
    expect(boxes).toHaveLength(7);
    expect(html.attrs('.checklist label', 'for')).toEqual(boxes);
    expect(html.text('.finder-answer .hint.screen-only')).toBe('To keep this checklist beside the request, print this page: the form and the navigation are left out.');
    // the free-text summary stays beside it
    expect(html.text('.finder-answer .state-text')).toContain('mandat d’arrêt');

    const api = await request(app).get('/api/v1/find?to=FRA&need=extradition');
    expect(api.body.data.structuredRequirements).toEqual({
      requestLanguages: ['fr'],
      attachmentLanguages: ['fr'],
      translationRequired: true,
      formalChannels: ['diplomatic'],
      advanceCopyByEmail: true,
      originalWithinDays: 40,
      dualCriminality: 'yes',
      authentication: 'certification',
      legalBases: ['treaty', 'reciprocity', 'untoc'],
    });
  });

  it('when the checklist is read in French, Arabic or Chinese, then it is written in that language, Arabic right to left', async () => {
    // page text is read with its spaces squashed: the French no-break spaces before : and ; read as spaces
    const french = page((await request(app).get('/find?to=FRA&need=extradition&lang=fr')).text);
    expect(french.texts('.checklist li').slice(0, 1)).toEqual(['Demande rédigée ou traduite en : français']);
    expect(french.texts('.checklist li')[3]).toBe('Copie préalable par courrier électronique acceptée ; original sous 40 jours');
    const arabic = page((await request(app).get('/find?to=FRA&need=extradition&lang=ar')).text);
    expect(arabic.attr('html', 'dir')).toBe('rtl');
    expect(arabic.text('.requirements-checklist h3')).toBe('قائمة التحقق قبل الإرسال');
    expect(arabic.texts('.checklist li')[0]).toBe('لغة الطلب أو ترجمته: الفرنسية');
    expect(arabic.texts('.checklist li')[3]).toBe('تُقبل نسخة مسبقة بالبريد الإلكتروني؛ ويُرسَل الأصل في غضون 40 يومًا');
    const chinese = page((await request(app).get('/find?to=FRA&need=extradition&lang=zh')).text);
    expect(chinese.texts('.checklist li')[2]).toBe('正式请求的发送方式：外交渠道');
  });

  it('when a State gave the facts but no summary, then the checklist stands alone; a kind of request without requirements has none', async () => {
    const argentina = page((await request(app).get('/find?to=ARG&need=evidence')).text);
    expect(argentina.texts('.checklist li')[0]).toBe('Request written in or translated into: Spanish');
    expect(argentina.texts('.finder-answer .none')).not.toContain('Argentina has recorded no summary of its requirements for this kind of request.');
    expect(argentina.count('.finder-answer .state-text')).toBe(0);
    const vessel = page((await request(app).get('/find?to=FRA&need=vessel')).text);
    expect(vessel.count('.requirements-checklist')).toBe(0);
    expect((await request(app).get('/api/v1/find?to=FRA&need=vessel')).body.data.structuredRequirements).toBeNull();
    const noFacts = page((await request(app).get('/find?to=JPN&need=evidence')).text);
    expect(noFacts.count('.requirements-checklist')).toBe(0);
    expect(noFacts.text('.finder-answer p.none')).toBe('Japan has recorded no summary of its requirements for this kind of request.');
  });

  it('when the State page is read, then each kind of request shows its checklist beside its requirements, as marks rather than boxes', async () => {
    const html = page((await request(app).get('/states/FRA')).text);
    expect(html.texts('.designation-requirements ul[aria-labelledby="checklist-UNTOC-16"] li')).toEqual(FRA_EXTRADITION);
    expect(html.texts('#optional ul[aria-labelledby="checklist-extradition"] li')).toEqual(FRA_EXTRADITION);
    expect(html.texts('#optional ul[aria-labelledby="checklist-mla"] li')[0]).toBe('Request written in or translated into: French');
    expect(html.count('.checklist input')).toBe(0);
    const argentina = page((await request(app).get('/states/ARG')).text);
    expect(argentina.texts('#optional h3')).toContain('Requirements for mutual legal assistance');
    expect(argentina.count('#optional p.none')).toBe(0);
    const printed = page((await request(app).get('/states/FRA/print')).text);
    expect(printed.texts('.optional ul[aria-labelledby="checklist-extradition"] li')).toEqual(FRA_EXTRADITION);
  });

  it('when an anonymous reader or another State’s focal point asks about a restricted State, then no checklist is given; a practitioner gets it', async () => {
    const anonymous = await request(app).get('/find?to=MEX&need=evidence');
    expect(page(anonymous.text).count('.requirements-checklist')).toBe(0);
    expect(anonymous.text).not.toContain(MEX_LANGUAGES);
    expect((await request(app).get('/api/v1/find?to=MEX&need=evidence')).body.data.structuredRequirements).toBeNull();
    expect((await request(app).get('/api/v1/states/MEX')).body.data.optional).toBeNull();
    for (const path of ['/states/MEX', '/states/MEX/print']) {
      const res = await request(app).get(path);
      expect({ path, checklists: page(res.text).count('.requirements-checklist') }).toEqual({ path, checklists: 0 });
      expect(res.text).not.toContain(MEX_LANGUAGES);
    }

    const otherFocalPoint = await signedInAgent(app, await createTestUser({ role: 'focal-point', states: ['FRA'] }));
    expect(page((await otherFocalPoint.get('/find?to=MEX&need=evidence')).text).count('.requirements-checklist')).toBe(0);
    expect((await otherFocalPoint.get('/api/v1/find?to=MEX&need=evidence')).body.data.structuredRequirements).toBeNull();

    const practitioner = await signedInAgent(app, await createTestUser({ role: 'practitioner' }));
    const seen = await practitioner.get('/find?to=MEX&need=evidence');
    expect(seen.headers['cache-control']).toContain('no-store');
    expect(page(seen.text).texts('.checklist li')[0]).toBe(MEX_LANGUAGES);
    expect((await practitioner.get('/api/v1/find?to=MEX&need=evidence')).body.data.structuredRequirements.authentication).toBe('apostille');
    expect(page((await practitioner.get('/states/MEX')).text).texts('#optional ul[aria-labelledby="checklist-mla"] li')).toContain('Apostille needed');
    // what the practitioner saw did not reach the anonymous copy
    expect(page((await request(app).get('/find?to=MEX&need=evidence')).text).count('.requirements-checklist')).toBe(0);
  });
});
