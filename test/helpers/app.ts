import { createApp, type AppDependencies } from '../../src/app';

/** The app as tests see it: the real Express stack with test configuration. */
export function testApp(dependencies: AppDependencies = {}) {
  return createApp({ NODE_ENV: 'test', COOKIE_SECRET: 'test-cookie-secret-0123456789', PUBLIC_URL: 'http://localhost' }, dependencies);
}
