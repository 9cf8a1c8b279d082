import type { Viewer } from '../shared/viewer';

declare global {
  namespace Express {
    interface Request {
      /** Set by the accounts component once a user signs in; absent means anonymous. */
      viewer?: Viewer;
    }
  }
}

export {};
