import express, { Router, type Request } from 'express';
import { ROLES } from '../shared/viewer';
import { requireRole } from '../shared/auth';
import { csrfProtection } from '../shared/csrf';
import { NotFoundError } from '../shared/errors';
import { requestLanguage } from '../shared/view-locals';
import { digestHourInput, followedStateParam, unsubscribeTokenParam } from './following.schema';
import { checkUnfollowLink, checkUnsubscribeLink, chooseDigestHour, followState, publicFeed, unfollowByLink, unfollowState, unsubscribeByLink, type FollowingLinks } from './following.service';

export interface FollowingPagesDependencies extends FollowingLinks {
  /** Verifies unsubscribe links (the app's COOKIE_SECRET). */
  secret: string;
}

function stateCode(req: Request): string {
  const code = followedStateParam.safeParse(req.params.code);
  if (!code.success) throw new NotFoundError('No such State');
  return code.data;
}

function token(req: Request): string {
  const value = unsubscribeTokenParam.safeParse(req.params.token);
  if (!value.success) throw new NotFoundError('No such link');
  return value.data;
}

const ATOM = 'application/atom+xml; charset=utf-8';

/** Atom feeds of public changes, following States from their page, and the digests' one-click unsubscribe. */
export function followingPages(deps: FollowingPagesDependencies): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });

  /** @route GET /feed.atom — the whole Directory's latest public changes */
  router.get('/feed.atom', async (req, res) => {
    const lang = requestLanguage(req);
    res.type(ATOM).set('Content-Language', lang).send(await publicFeed(deps, { lang, t: req.t }));
  });

  /** @route GET /states/:code/feed.atom — one State's latest public changes */
  router.get('/states/:code/feed.atom', async (req, res) => {
    const lang = requestLanguage(req);
    res.type(ATOM).set('Content-Language', lang).send(await publicFeed(deps, { state: stateCode(req), lang, t: req.t }));
  });

  /** @route POST /states/:code/follow — the signed-in user follows the State (its changes in their daily digest) */
  router.post('/states/:code/follow', requireRole(...ROLES), form, csrfProtection, async (req, res) => {
    const code = stateCode(req);
    await followState(req.user!, code);
    res.redirect(303, `/states/${code}?following=1`);
  });

  /** @route POST /states/:code/unfollow */
  router.post('/states/:code/unfollow', requireRole(...ROLES), form, csrfProtection, async (req, res) => {
    const code = stateCode(req);
    await unfollowState(req.user!, code);
    // Unfollowed from the account page's list: back to that list
    if ((req.body as Record<string, unknown> | undefined)?.from === 'account') return res.redirect(303, '/account');
    res.redirect(303, `/states/${code}?following=0`);
  });

  /** @route POST /account/digest-hour — the hour (UTC) from which the user's daily digest may go out */
  router.post('/account/digest-hour', requireRole(...ROLES), form, csrfProtection, async (req, res) => {
    const parsed = digestHourInput.safeParse(req.body);
    // The choices are a fixed list: anything else is a tampered form, answered with the account page's notice
    if (!parsed.success) return res.redirect(303, '/account?digestHour=invalid#following-heading');
    await chooseDigestHour(req.user!, parsed.data.hour);
    res.redirect(303, '/account?digestHour=saved#following-heading');
  });

  /** @route GET /unfollow/:token — asks before stopping to follow the one State the digest's link names */
  router.get('/unfollow/:token', async (req, res) => {
    const value = token(req);
    const state = await checkUnfollowLink(deps.secret, value, requestLanguage(req));
    if (!state) throw new NotFoundError('No such link');
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').render('following/unfollow', { token: value, state });
  });

  /** @route POST /unfollow/:token — one click, no sign-in, as the digest-wide link: the signed link is the proof */
  router.post('/unfollow/:token', form, async (req, res) => {
    const value = token(req);
    const state = await unfollowByLink(deps.secret, value, requestLanguage(req));
    if (!state) throw new NotFoundError('No such link');
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').render('following/unfollowed', { state });
  });

  /** @route GET /unsubscribe/:token — asks before unsubscribing, so a link scanner fetching the link changes nothing */
  router.get('/unsubscribe/:token', (req, res) => {
    const value = token(req);
    if (!checkUnsubscribeLink(deps.secret, value)) throw new NotFoundError('No such link');
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').render('following/unsubscribe', { token: value });
  });

  /**
   * @route POST /unsubscribe/:token — one click, no sign-in: the signed link is the proof, and a
   * mail client's RFC 8058 POST carries no CSRF token
   */
  router.post('/unsubscribe/:token', form, async (req, res) => {
    if (!(await unsubscribeByLink(deps.secret, token(req)))) throw new NotFoundError('No such link');
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').render('following/unsubscribed');
  });

  return router;
}
