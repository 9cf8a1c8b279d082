import { Router } from 'express';
import { parseInput } from '../shared/parse-input';
import { ANONYMOUS } from '../shared/viewer';
import { toFinderAnswerJson } from './finder.json';
import { finderApiQuery } from './finder.schema';
import { findAuthority } from './finder.service';

/** The finder in the JSON API: the same question and answer as the page. */
export function finderApi(): Router {
  const router = Router();

  /** @route GET /api/v1/find?to=DEU&need=extradition&urgent=1&from=FRA */
  router.get('/find', async (req, res) => {
    const { lang = 'en', urgent, ...question } = parseInput(finderApiQuery, req.query);
    const answer = await findAuthority(req.viewer ?? ANONYMOUS, { ...question, urgent: urgent ?? false }, lang);
    res.json({ data: toFinderAnswerJson(answer) });
  });

  return router;
}
