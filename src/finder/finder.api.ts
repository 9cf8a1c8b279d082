import { Router } from 'express';
import { NotFoundError } from '../shared/errors';
import { parseInput } from '../shared/parse-input';
import { ANONYMOUS } from '../shared/viewer';
import { toFinderAnswerJson } from './finder.json';
import { finderApiQuery } from './finder.schema';
import { findAuthority, UnknownStateError } from './finder.service';

/** The finder in the JSON API: the same question and answer as the page. */
export function finderApi(): Router {
  const router = Router();

  /** @route GET /api/v1/find?to=DEU&need=extradition&urgent=1&from=FRA */
  router.get('/find', async (req, res) => {
    const { lang = 'en', urgent, to, need, from } = parseInput(finderApiQuery, req.query);
    try {
      const answer = await findAuthority(req.viewer ?? ANONYMOUS, { to, need, urgent: urgent ?? false, from: from === to ? undefined : from }, lang);
      res.json({ data: toFinderAnswerJson(answer) });
    } catch (error) {
      // As /states/XYZ: a State that does not exist is not found
      if (error instanceof UnknownStateError) throw new NotFoundError(`No State or participant with code ${error.stateCode}`);
      throw error;
    }
  });

  return router;
}
