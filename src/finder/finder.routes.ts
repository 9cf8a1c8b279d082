import { Router, type Request } from 'express';
import { formatPhone, renderStateText, requirementsChecklist } from '../directory/directory.presenter';
import { hasSampleData, listCurrentDesignationTypes, listDesignationTypes, listStates } from '../directory/directory.service';
import { ValidationError } from '../shared/errors';
import { parseInput } from '../shared/parse-input';
import { requestLanguage } from '../shared/view-locals';
import { ANONYMOUS } from '../shared/viewer';
import { needGroupsFor, needLabeller } from './finder.needs';
import { finderPageQuery } from './finder.schema';
import { findAuthority } from './finder.service';

/** The query as typed, to show back in the form; never passed to a service. */
function typedValues(req: Request): Record<string, string> {
  return Object.fromEntries(['to', 'need', 'urgent', 'from'].map((name) => [name, typeof req.query[name] === 'string' ? req.query[name] : '']));
}

/** The guided finder: "I need to send this kind of request to that State". */
export function finderPages(): Router {
  const router = Router();

  /** @route GET /find — the question's form, and the answer once the State and the kind of request are given */
  router.get('/find', async (req, res) => {
    const lang = requestLanguage(req);
    const [designations, current] = await Promise.all([listDesignationTypes(), listCurrentDesignationTypes()]);
    const form = {
      states: (await listStates({}, lang)).map((state) => ({ value: state.code, label: state.name })),
      needGroups: needGroupsFor(current),
      needLabel: needLabeller((key) => req.t(key), designations, lang),
      designationOf: (code: string) => designations.find((type) => type.code === code),
      formatPhone,
      renderStateText,
      requirementsChecklist: (facts: Parameters<typeof requirementsChecklist>[0]) => requirementsChecklist(facts, req.t, lang),
      sampleData: await hasSampleData(),
    };
    try {
      const query = parseInput(finderPageQuery, req.query);
      const values = { to: query.to ?? '', need: query.need ?? '', urgent: query.urgent ? '1' : '', from: query.from ?? '' };
      const answer =
        query.to && query.need ? await findAuthority(req.viewer ?? ANONYMOUS, { to: query.to, need: query.need, urgent: query.urgent ?? false, from: query.from }, lang) : undefined;
      res.render('finder/find', { ...form, values, errors: {}, answer, returnTo: req.originalUrl });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The form comes back with what was typed and each problem next to its field
      res.status(400).render('finder/find', { ...form, values: typedValues(req), errors: error.fields ?? {}, answer: undefined, returnTo: req.originalUrl });
    }
  });

  return router;
}
