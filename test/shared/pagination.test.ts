import { paginate } from '../../src/shared/pagination';

describe('paginate', () => {
  const items = Array.from({ length: 7 }, (_, index) => index + 1);

  it('when a middle page is asked, then it gives that slice and the counts', () => {
    expect(paginate(items, { page: 2, limit: 3 })).toEqual({ items: [4, 5, 6], total: 7, page: 2, limit: 3, pages: 3 });
  });

  it('when the last page is short, then it gives what is left', () => {
    expect(paginate(items, { page: 3, limit: 3 }).items).toEqual([7]);
  });

  it('when the page is past the last one, then it is empty with the true total', () => {
    expect(paginate(items, { page: 9, limit: 3 })).toEqual({ items: [], total: 7, page: 9, limit: 3, pages: 3 });
  });

  it('when there is nothing, then there are no pages', () => {
    expect(paginate([], { page: 1, limit: 50 })).toEqual({ items: [], total: 0, page: 1, limit: 50, pages: 0 });
  });
});
