import { redactUrl } from '../../src/shared/logger';

describe('log redaction', () => {
  it.each([
    ['/password/reset/abcDEF123_-', '/password/reset/[redacted]'],
    ['/invitations/tok3n?lang=ru', '/invitations/[redacted]?lang=ru'],
  ])('when %s is logged, then the single-use token is replaced', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('when an ordinary path is logged, then it is kept as it is', () => {
    expect(redactUrl('/states/FRA?lang=ru')).toBe('/states/FRA?lang=ru');
  });
});
