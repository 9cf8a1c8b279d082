import compression from 'compression';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import { handle as i18nHandle } from 'i18next-http-middleware';
import path from 'node:path';
import { pinoHttp } from 'pino-http';
import type { Config } from './config';
import { accountPages } from './accounts/accounts.routes';
import { consolePages } from './console/console.routes';
import { depositaryPages } from './depositary/depositary.routes';
import { apiTokenAuth } from './accounts/api-token-auth';
import { configurePassport, viewerMiddleware } from './accounts/passport';
import { sessionMiddleware } from './accounts/session';
import { currentDirectory, directoryLoaded, directoryStaleSince, loadedInstruments } from './directory/directory-cache';
import { directoryApi } from './directory/directory.api';
import { directoryPages } from './directory/directory.routes';
import { editingApi } from './editing/editing.api';
import { editingPages } from './editing/editing.routes';
import { remindersPages } from './reminders/reminders.routes';
import { reportPages } from './reports/reports.routes';
import { exchangePages } from './exchange/exchange.routes';
import { finderApi } from './finder/finder.api';
import { finderPages } from './finder/finder.routes';
import { followingPages } from './following/following.routes';
import { viewLocals } from './shared/view-locals';
import { errorHandler, notFoundHandler } from './shared/error-handler';
import { createCsrf, csrfTokenLocal } from './shared/csrf';
import { cachePolicy } from './shared/cache-policy';
import { createPublicCache, isAnonymousPublicRead } from './directory/public-cache';
import { createI18n, rememberLanguageChoice } from './shared/i18n';
import { healthRoutes } from './shared/health.routes';
import { logger, redactUrl, requestId } from './shared/logger';
import { createMailer, type Mailer } from './shared/mail';
import { PROJECT_ROOT } from './shared/paths';
import { assetUrl, staticAssets } from './shared/static-assets';
import { absoluteUrl } from './shared/public-url';

/** What the app talks to besides the database; tests pass their own (e.g. a mailer on a test SMTP server). */
export interface AppDependencies {
  mailer?: Mailer;
}

/** Builds the Directory's Express application; never listens (server.ts does), so tests can import it. */
export function createApp(config: Pick<Config, 'NODE_ENV' | 'COOKIE_SECRET' | 'PUBLIC_URL'> & Partial<Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'DIRECTORY_MODE' | 'TRUST_PROXY'>>, dependencies: AppDependencies = {}): express.Express {
  const mailer = dependencies.mailer ?? createMailer({ SMTP_URL: config.SMTP_URL, MAIL_FROM: config.MAIL_FROM ?? 'Central Authorities Directory <no-reply@directory.invalid>' });
  const app = express();
  // HSTS and upgrade-insecure-requests only where the Directory is really served over HTTPS
  const https = config.PUBLIC_URL.startsWith('https:');
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY ?? false);
  app.set('views', path.join(PROJECT_ROOT, 'views'));
  app.set('view engine', 'ejs');
  app.set('query parser', 'simple');
  // Every page says so when the Directory runs on demonstration data and accounts
  app.locals.sampleMode = config.DIRECTORY_MODE === 'sample';
  app.locals.assetUrl = assetUrl;
  // Search engines read the other languages' versions of a page only from absolute addresses
  app.locals.absoluteUrl = (path: string) => absoluteUrl(config.PUBLIC_URL, path);
  app.locals.csrf = createCsrf({ secret: config.COOKIE_SECRET, secure: https });

  // First of all: an anonymous read already rendered is sent as stored, with the headers (Helmet's
  // included) and the compressed bytes of its first sending, so a hit costs little more than a bare
  // Express answer. Misses go on through every middleware below and are kept as they are sent.
  app.use(createPublicCache());
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
          connectSrc: ["'self'"],
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      hsts: https,
    }),
  );
  app.use(compression());
  app.use(healthRoutes({ loaded: directoryLoaded, staleSince: directoryStaleSince, load: currentDirectory }));
  const production = config.NODE_ENV === 'production';
  app.use(
    pinoHttp({
      logger,
      genReqId: requestId,
      // In production a line per answer that went wrong or took long, not per answer: logging every
      // request cost as much as answering it from the cache. Every answer still carries its X-Request-Id.
      customLogLevel: (_req, res, error) => {
        if (error || res.statusCode >= 500) return 'error';
        if (res.statusCode >= 400) return production ? 'silent' : 'warn';
        return production ? 'silent' : 'info';
      },
      serializers: { req: (req: { url: string }) => ({ ...req, url: redactUrl(req.url) }) },
    }),
  );
  app.use(staticAssets(production));
  app.use(cookieParser(config.COOKIE_SECRET));
  app.use(i18nHandle(createI18n()));
  app.use(rememberLanguageChoice);
  // An anonymous read of a public page needs no session: with no session cookie there is nothing
  // to load, and passport would find no user.
  const sessions = sessionMiddleware(config);
  const passport = configurePassport();
  const passportInitialize = passport.initialize();
  const passportSession = passport.session();
  app.use((req, res, next) => (isAnonymousPublicRead(req) ? next() : sessions(req, res, next)));
  app.use((req, res, next) => (isAnonymousPublicRead(req) ? next() : passportInitialize(req, res, next)));
  app.use((req, res, next) => (isAnonymousPublicRead(req) ? next() : passportSession(req, res, next)));
  app.use(viewerMiddleware);
  app.use(csrfTokenLocal);
  app.use(viewLocals(directoryStaleSince, loadedInstruments));

  app.use(cachePolicy);
  app.use(apiTokenAuth);
  app.use('/api/v1', directoryApi());
  app.use('/api/v1', finderApi());
  app.use('/api/v1', editingApi());
  app.use(accountPages({ mailer, publicUrl: config.PUBLIC_URL }));
  app.use(consolePages());
  app.use(depositaryPages());
  app.use(exchangePages({ publicUrl: config.PUBLIC_URL }));
  app.use(editingPages());
  app.use(remindersPages({ mailer, publicUrl: config.PUBLIC_URL, secret: config.COOKIE_SECRET }));
  app.use(reportPages({ mailer, publicUrl: config.PUBLIC_URL }));
  app.use(finderPages());
  app.use(followingPages({ publicUrl: config.PUBLIC_URL, secret: config.COOKIE_SECRET }));
  app.use(directoryPages());

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
