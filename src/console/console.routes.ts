import express, { Router, type Request, type Response } from 'express';
import { CONSENT_KINDS, PARTY_STATUSES, REGIONAL_GROUPS, RESOURCE_CATEGORIES, UN_LANGUAGES, type DesignationType, type InstrumentRecord, type Resource, type State } from '../directory/directory.types';
import { REGION_ORDER } from '../directory/directory.presenter';
import { requireRole } from '../shared/auth';
import { csrfProtection } from '../shared/csrf';
import { NotFoundError } from '../shared/errors';
import { formFailure as sharedFormFailure } from '../shared/forms/form-errors';
import { parseInput } from '../shared/parse-input';
import { requestLanguage } from '../shared/view-locals';
import { ANONYMOUS } from '../shared/viewer';
import { RTL_LANGUAGES } from '../shared/i18n';
import { seriesChart, shareBars } from './console.charts';
import { CURRENT_MONTHS } from './console.figures';
import {
  DASHBOARD_TABLES,
  DESIGNATION_ROLES,
  STATE_KINDS,
  dashboardQuery,
  designationCodeParam,
  designationEditInput,
  designationInputFor,
  instrumentCodeParam,
  instrumentEditInput,
  instrumentInput,
  newStateInput,
  retireInput,
  resourceIdParam,
  resourceInput,
  stateCodeParam,
  stateListQuery,
  stateRecordInput,
  versionInput,
  type DashboardTable,
} from './console.schema';
import * as service from './console.service';

/** Outcomes a page announces after a redirect (`?done=`); anything else is ignored. */
const DONE = ['created', 'saved', 'removed', 'retired', 'restored'] as const;

function contextOf(req: Request): service.ConsoleContext {
  return { viewer: req.viewer ?? ANONYMOUS, email: req.user?.email, ip: req.ip };
}

/** A field path (`names.en`, `secondaryContacts.0.email`) as the id suffix its input carries (`names-en`). */
const fieldId = (path: string) => path.replace(/\./g, '-');

/**
 * A refused form: 422 with a message per field in the reader's language, keyed as the inputs' ids
 * (the error summary links to them), or 409 with one message for the whole form.
 */
function formFailure(req: Request, error: unknown): { status: number; errors: Record<string, string> } {
  // An item of a list typed in one field (`languages.2`) is that field's error
  const { status, errors } = sharedFormFailure(req, error, { prefix: 'console:', fieldOf: (path) => fieldId(path.replace(/\.\d+$/, '')) });
  return { status, errors };
}

/** A value of the (nested) form values by dotted path, as a string for an input. */
function valueAt(values: unknown, path: string): string {
  let value: unknown = values;
  for (const part of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  if (Array.isArray(value)) return value.join('\n');
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** Helpers every console page gets. */
function pageLocals(req: Request) {
  return {
    values: {} as unknown,
    errors: {} as Record<string, string>,
    val: valueAt,
    fieldId,
    done: DONE.find((outcome) => outcome === req.query.done),
    unLanguages: UN_LANGUAGES,
  };
}

/** A State as the edit form's values. */
function stateValues(state: State): Record<string, unknown> {
  return {
    code: state.code,
    kind: state.kind,
    names: state.names,
    region: state.region,
    aliases: state.aliases.join('\n'),
    parties: Object.fromEntries(state.parties.map((record) => [record.instrument, record])),
    secondaryContacts: state.secondaryContacts ?? [],
    version: String(state.version),
  };
}

const stateFormOptions = {
  kinds: STATE_KINDS,
  regions: REGIONAL_GROUPS,
  partyStatuses: PARTY_STATUSES,
  consentKinds: CONSENT_KINDS,
};

/** The instruments a State's form has a party-status row for: those in use, and a retired one the State has a record of. */
async function partyRowsOf(req: Request, state: State | undefined): Promise<string[]> {
  const instruments = await service.listInstrumentsForEditing(contextOf(req));
  const recorded = new Set(state?.parties.map((record) => record.instrument) ?? []);
  return instruments.filter((instrument) => !instrument.retired || recorded.has(instrument.code)).map((instrument) => instrument.code);
}

async function renderStateForm(req: Request, res: Response, status: number, state: State | undefined, values: unknown, errors: Record<string, string>): Promise<void> {
  const body = (values ?? {}) as { secondaryContacts?: unknown };
  const posted = body.secondaryContacts;
  const contactRows = Array.isArray(posted) ? posted.length : posted && typeof posted === 'object' ? Object.keys(posted).length : 0;
  const instruments = await partyRowsOf(req, state);
  res.status(status).render('console/state-form', { ...pageLocals(req), ...stateFormOptions, instruments, state, values, errors, contactRows: contactRows + 2 });
}

function resourceValues(resource: Resource): Record<string, unknown> {
  return { title: resource.title, category: resource.category, url: resource.url, languages: resource.languages.join(', '), description: resource.description };
}

async function renderDesignations(req: Request, res: Response, status: number, values: unknown, errors: Record<string, string>): Promise<void> {
  const [designations, instruments] = await Promise.all([service.listDesignations(contextOf(req)), service.listInstrumentsForEditing(contextOf(req))]);
  const current = instruments.filter((instrument) => !instrument.retired);
  res.status(status).render('console/designations', { ...pageLocals(req), designations, values, errors, instruments: current, roles: DESIGNATION_ROLES });
}

function designationValues(type: DesignationType): Record<string, unknown> {
  return { article: type.article, role: type.role, titles: type.titles, shortTitles: type.shortTitles ?? {}, order: String(type.order), core: type.core ? 'on' : '' };
}

function renderDesignationForm(req: Request, res: Response, status: number, type: DesignationType, values: unknown, errors: Record<string, string>): void {
  res.status(status).render('console/designation-form', { ...pageLocals(req), type, values, errors, roles: DESIGNATION_ROLES });
}

async function renderInstruments(req: Request, res: Response, status: number, values: unknown, errors: Record<string, string>): Promise<void> {
  const [instruments, designations] = await Promise.all([service.listInstrumentsForEditing(contextOf(req)), service.listDesignations(contextOf(req))]);
  res.status(status).render('console/instruments', { ...pageLocals(req), instruments, designations, values, errors });
}

function instrumentValues(instrument: InstrumentRecord): Record<string, unknown> {
  return {
    titles: instrument.titles,
    shortNames: instrument.shortNames,
    depositaryReference: instrument.depositaryReference ?? '',
    inForce: instrument.inForce ?? '',
    order: String(instrument.order),
  };
}

async function renderInstrumentForm(req: Request, res: Response, status: number, instrument: InstrumentRecord, values: unknown, errors: Record<string, string>): Promise<void> {
  const designations = (await service.listDesignations(contextOf(req))).filter((type) => type.instrument === instrument.code);
  res.status(status).render('console/instrument-form', { ...pageLocals(req), instrument, designations, values, errors });
}

async function renderResources(req: Request, res: Response, status: number, values: unknown, errors: Record<string, string>): Promise<void> {
  const resources = await service.listResourcesForEditing(contextOf(req), requestLanguage(req));
  res.status(status).render('console/resources', { ...pageLocals(req), resources, values, errors, categories: RESOURCE_CATEGORIES });
}

const csvFile = /^([a-z]+)\.csv$/;

/**
 * The secretariat's console: the coverage and currency dashboard with its CSV downloads, and the
 * management of States, designation types and resources. Secretariat only.
 */
export function consolePages(): Router {
  const router = Router();
  const form = express.urlencoded({ extended: true, limit: '100kb', parameterLimit: 2000 });
  router.use(['/admin/dashboard', '/admin/states', '/admin/designations', '/admin/instruments', '/admin/resources'], requireRole('secretariat'));

  /** @route GET /admin/dashboard — figures, charts and tables; ?region= and ?currency= narrow the States table */
  router.get('/admin/dashboard', async (req, res) => {
    const lang = requestLanguage(req);
    const filters = parseInput(dashboardQuery, req.query);
    const dashboard = await service.getDashboard(contextOf(req), lang);
    const regionLabel = (region: string) => (region === 'TOTAL' ? req.t('console:dashboard.total') : req.t(`region.${region}`));
    const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
    const monthName = new Intl.DateTimeFormat(lang, { month: 'short', year: 'numeric', timeZone: 'UTC' });
    const monthLabel = (month: string) => monthName.format(new Date(`${month}-01T00:00:00Z`));
    const byRegion = dashboard.regions;
    const direction = RTL_LANGUAGES.has(lang) ? ('rtl' as const) : ('ltr' as const);
    const mlaRows = byRegion.map((row) => ({ label: regionLabel(row.region), share: row.states ? row.withMla / row.states : 0, text: `${row.withMla} / ${row.states}` }));
    const currentRows = byRegion.map((row) => ({ label: regionLabel(row.region), share: row.states ? row.current / row.states : 0, text: `${row.current} / ${row.states} (${percent.format(row.states ? row.current / row.states : 0)})` }));
    const barCharts = (rows: typeof mlaRows) => ({ chart: shareBars(rows, { direction }), narrow: shareBars(rows, { direction, layout: 'above' }) });
    const series = seriesChart(
      dashboard.months.map((month) => ({
        label: monthLabel(month.month),
        updates: month.updates,
        confirmations: month.confirmations,
        currentShare: month.currentShare,
        title: req.t('console:charts.monthTitle', { month: monthLabel(month.month), updates: month.updates, confirmations: month.confirmations, share: percent.format(month.currentShare) }),
      })),
      { direction },
    );
    const states = dashboard.coverage.filter((row) => (!filters.region || row.region === filters.region) && (!filters.currency || row.currency === filters.currency));
    const total = byRegion.at(-1);
    res.render('console/dashboard', {
      ...pageLocals(req),
      dashboard,
      states,
      filters,
      total,
      mlaChart: barCharts(mlaRows),
      currentChart: barCharts(currentRows),
      series,
      regionLabel,
      monthLabel,
      percent: (value: number) => percent.format(value),
      currentMonths: CURRENT_MONTHS,
      regions: REGION_ORDER,
      designationTitle: (code: string) => dashboard.designations.find((type) => type.code === code)?.titles[lang] ?? code,
      // Named at a glance by the view's shortTitleOf; a code no longer in the catalogue by itself
      designationOf: (code: string) => dashboard.designations.find((type) => type.code === code) ?? { article: code },
    });
  });

  /** @route GET /admin/dashboard/:table.csv — one table of the dashboard (regions, months, states) as CSV; audited */
  router.get('/admin/dashboard/:file', async (req, res) => {
    const table = csvFile.exec(req.params.file)?.[1] as DashboardTable | undefined;
    if (!table || !DASHBOARD_TABLES.includes(table)) throw new NotFoundError(`Nothing at ${req.path}`);
    const lang = requestLanguage(req);
    const dashboard = await service.getDashboard(contextOf(req), lang);
    const data = service.dashboardTable(dashboard, table, lang, (key) => req.t(key));
    await service.recordExport(contextOf(req), table, data.rows.length);
    const day = dashboard.now.toISOString().slice(0, 10);
    res.type('text/csv; charset=utf-8').attachment(`directory-${table}-${day}.csv`).send(service.toCsv(data));
  });

  /** @route GET /admin/states — every participant, searchable by code or name */
  router.get('/admin/states', async (req, res) => {
    const { q } = parseInput(stateListQuery, req.query);
    const states = await service.listStateRecords(contextOf(req), requestLanguage(req), q);
    res.render('console/states', { ...pageLocals(req), states, q });
  });

  /** @route GET /admin/states/new */
  router.get('/admin/states/new', async (req, res) => {
    await renderStateForm(req, res, 200, undefined, { kind: 'member', region: '' }, {});
  });

  /** @route POST /admin/states/new — adds a participant */
  router.post('/admin/states/new', form, csrfProtection, async (req, res) => {
    try {
      const input = parseInput(newStateInput, req.body);
      await service.createState(contextOf(req), input.code, input);
      res.redirect(303, `/admin/states/${input.code}?done=created`);
    } catch (error) {
      const { status, errors } = formFailure(req, error);
      await renderStateForm(req, res, status, undefined, req.body, errors);
    }
  });

  /** @route GET /admin/states/:code — the State's record: names, region, party status, secondary contacts */
  router.get('/admin/states/:code', async (req, res) => {
    const code = stateCodeParam.safeParse(req.params.code);
    if (!code.success) throw new NotFoundError('No such State');
    const state = await service.getStateRecord(contextOf(req), code.data);
    await renderStateForm(req, res, 200, state, stateValues(state), {});
  });

  /** @route POST /admin/states/:code — saves the record if nobody saved the State meanwhile */
  router.post('/admin/states/:code', form, csrfProtection, async (req, res) => {
    const code = stateCodeParam.safeParse(req.params.code);
    if (!code.success) throw new NotFoundError('No such State');
    const state = await service.getStateRecord(contextOf(req), code.data);
    try {
      const version = parseInput(versionInput, (req.body as { version?: unknown } | undefined)?.version);
      const input = parseInput(stateRecordInput, req.body);
      await service.updateStateRecord(contextOf(req), state.code, version, input);
      res.redirect(303, `/admin/states/${state.code}?done=saved`);
    } catch (error) {
      const { status, errors } = formFailure(req, error);
      await renderStateForm(req, res, status, state, req.body, errors);
    }
  });

  /** @route GET /admin/designations — the catalogue and a form to add a designation type */
  router.get('/admin/designations', async (req, res) => {
    await renderDesignations(req, res, 200, { core: '' }, {});
  });

  /** @route POST /admin/designations — adds a designation type */
  router.post('/admin/designations', form, csrfProtection, async (req, res) => {
    try {
      const inUse = (await service.listInstrumentsForEditing(contextOf(req))).filter((instrument) => !instrument.retired).map((instrument) => instrument.code);
      await service.createDesignation(contextOf(req), parseInput(designationInputFor(inUse), req.body));
      res.redirect(303, '/admin/designations?done=created');
    } catch (error) {
      const { status, errors } = formFailure(req, error);
      await renderDesignations(req, res, status, req.body, errors);
    }
  });

  /** @route GET /admin/designations/:code — edit a designation type, or retire it */
  router.get('/admin/designations/:code', async (req, res) => {
    const code = designationCodeParam.safeParse(req.params.code);
    if (!code.success) throw new NotFoundError('No such designation type');
    const type = await service.getDesignation(contextOf(req), code.data);
    renderDesignationForm(req, res, 200, type, designationValues(type), {});
  });

  /** @route POST /admin/designations/:code — saves a designation type */
  router.post('/admin/designations/:code', form, csrfProtection, async (req, res) => {
    const code = designationCodeParam.safeParse(req.params.code);
    if (!code.success) throw new NotFoundError('No such designation type');
    const type = await service.getDesignation(contextOf(req), code.data);
    try {
      await service.editDesignation(contextOf(req), type.code, parseInput(designationEditInput, req.body));
      res.redirect(303, `/admin/designations/${type.code}?done=saved`);
    } catch (error) {
      const { status, errors } = formFailure(req, error);
      renderDesignationForm(req, res, status, type, req.body, errors);
    }
  });

  /** @route POST /admin/designations/:code/retired — retires a designation type, or brings it back */
  router.post('/admin/designations/:code/retired', form, csrfProtection, async (req, res) => {
    const code = designationCodeParam.safeParse(req.params.code);
    if (!code.success) throw new NotFoundError('No such designation type');
    const { retired } = parseInput(retireInput, req.body);
    await service.retireDesignation(contextOf(req), code.data, retired);
    res.redirect(303, `/admin/designations/${code.data}?done=${retired ? 'retired' : 'restored'}`);
  });

  /** @route GET /admin/instruments — the instrument catalogue and a form to add one */
  router.get('/admin/instruments', async (req, res) => {
    await renderInstruments(req, res, 200, {}, {});
  });

  /** @route POST /admin/instruments — adds an instrument */
  router.post('/admin/instruments', form, csrfProtection, async (req, res) => {
    try {
      const input = parseInput(instrumentInput, req.body);
      await service.createInstrument(contextOf(req), input);
      res.redirect(303, `/admin/instruments/${input.code}?done=created`);
    } catch (error) {
      const { status, errors } = formFailure(req, error);
      await renderInstruments(req, res, status, req.body, errors);
    }
  });

  /** @route GET /admin/instruments/:code — edit an instrument, see its designation types, or retire it */
  router.get('/admin/instruments/:code', async (req, res) => {
    const code = instrumentCodeParam.safeParse(req.params.code);
    if (!code.success) throw new NotFoundError('No such instrument');
    const instrument = await service.getInstrument(contextOf(req), code.data);
    await renderInstrumentForm(req, res, 200, instrument, instrumentValues(instrument), {});
  });

  /** @route POST /admin/instruments/:code — saves an instrument */
  router.post('/admin/instruments/:code', form, csrfProtection, async (req, res) => {
    const code = instrumentCodeParam.safeParse(req.params.code);
    if (!code.success) throw new NotFoundError('No such instrument');
    const instrument = await service.getInstrument(contextOf(req), code.data);
    try {
      await service.editInstrument(contextOf(req), instrument.code, parseInput(instrumentEditInput, req.body));
      res.redirect(303, `/admin/instruments/${instrument.code}?done=saved`);
    } catch (error) {
      const { status, errors } = formFailure(req, error);
      await renderInstrumentForm(req, res, status, instrument, req.body, errors);
    }
  });

  /** @route POST /admin/instruments/:code/retired — retires an instrument, or brings it back */
  router.post('/admin/instruments/:code/retired', form, csrfProtection, async (req, res) => {
    const code = instrumentCodeParam.safeParse(req.params.code);
    if (!code.success) throw new NotFoundError('No such instrument');
    const { retired } = parseInput(retireInput, req.body);
    await service.retireInstrument(contextOf(req), code.data, retired);
    res.redirect(303, `/admin/instruments/${code.data}?done=${retired ? 'retired' : 'restored'}`);
  });

  /** @route GET /admin/resources — the resources list and a form to add one */
  router.get('/admin/resources', async (req, res) => {
    await renderResources(req, res, 200, {}, {});
  });

  /** @route POST /admin/resources — adds a resource */
  router.post('/admin/resources', form, csrfProtection, async (req, res) => {
    try {
      await service.createResource(contextOf(req), parseInput(resourceInput, req.body));
      res.redirect(303, '/admin/resources?done=created');
    } catch (error) {
      const { status, errors } = formFailure(req, error);
      await renderResources(req, res, status, req.body, errors);
    }
  });

  /** @route GET /admin/resources/:id — edit or remove one resource */
  router.get('/admin/resources/:id', async (req, res) => {
    const id = resourceIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('No such resource');
    const resource = await service.getResource(contextOf(req), id.data);
    res.render('console/resource-form', { ...pageLocals(req), resource, values: resourceValues(resource), categories: RESOURCE_CATEGORIES });
  });

  /** @route POST /admin/resources/:id — saves a resource */
  router.post('/admin/resources/:id', form, csrfProtection, async (req, res) => {
    const id = resourceIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('No such resource');
    const resource = await service.getResource(contextOf(req), id.data);
    try {
      await service.editResource(contextOf(req), resource.id, parseInput(resourceInput, req.body));
      res.redirect(303, '/admin/resources?done=saved');
    } catch (error) {
      const { status, errors } = formFailure(req, error);
      res.status(status).render('console/resource-form', { ...pageLocals(req), resource, values: req.body, errors, categories: RESOURCE_CATEGORIES });
    }
  });

  /** @route POST /admin/resources/:id/remove */
  router.post('/admin/resources/:id/remove', form, csrfProtection, async (req, res) => {
    const id = resourceIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('No such resource');
    await service.removeResource(contextOf(req), id.data);
    res.redirect(303, '/admin/resources?done=removed');
  });

  return router;
}
