import type { Viewer } from '../shared/viewer';

declare global {
  namespace Express {
    interface Request {
      /** Set by the accounts component once a user signs in; absent means anonymous. */
      viewer?: Viewer;
      /** How the viewer was authenticated: a session cookie (forms need a CSRF token) or a personal API token (no cookie, no CSRF). */
      authMethod?: 'session' | 'token';
    }
  }
}

export {};
