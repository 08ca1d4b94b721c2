import { describe, expect, it } from 'vitest';
import { readPages } from '../../../shared/stores/dynamo.js';

/** A paginator over `pageSizes` pages of numbered items that records which pages were asked for. */
function pagesOf(pageSizes: number[]) {
  const requested: number[] = [];
  async function* pages() {
    let next = 0;
    for (const [index, size] of pageSizes.entries()) {
      requested.push(index);
      const items = Array.from({ length: size }, () => ({ n: next++ }));
      yield { Items: items, ...(index < pageSizes.length - 1 ? { LastEvaluatedKey: { n: next - 1 } } : {}) };
    }
  }
  return { pages: pages(), requested };
}

const numbers = (items: Record<string, unknown>[]) => items.map((item) => item.n);

describe('readPages', () => {
  it('reads to the last page when no bound is reached', async () => {
    const source = pagesOf([2, 0, 3]);

    const read = await readPages(source.pages, { maxPages: 5, limit: 10 });

    expect(read).toEqual({ items: [0, 1, 2, 3, 4].map((n) => ({ n })), pages: 3, ended: true });
  });

  it('stops at the page bound without asking for the next page', async () => {
    const source = pagesOf([1, 1, 1, 1]);

    const read = await readPages(source.pages, { maxPages: 2, limit: 10 });

    expect({ items: numbers(read.items), pages: read.pages, ended: read.ended }).toEqual({ items: [0, 1], pages: 2, ended: false });
    expect(source.requested).toEqual([0, 1]);
  });

  it('stops once the limit is in and drops the rest of that page', async () => {
    const source = pagesOf([3, 3, 3]);

    const read = await readPages(source.pages, { maxPages: 10, limit: 4 });

    expect({ items: numbers(read.items), pages: read.pages, ended: read.ended }).toEqual({ items: [0, 1, 2, 3], pages: 2, ended: false });
    expect(source.requested).toEqual([0, 1]);
  });

  it('says where to go on when a bound stopped the read, unless it dropped items read', async () => {
    // Pages a filter emptied still end somewhere: the page bound stops the read with no items at all.
    const emptied = await readPages(pagesOf([0, 0, 0]).pages, { maxPages: 2, limit: 5 });
    const exact = await readPages(pagesOf([2, 2, 2]).pages, { maxPages: 10, limit: 4 });
    const cut = await readPages(pagesOf([3, 3, 3]).pages, { maxPages: 10, limit: 4 });

    expect(emptied).toEqual({ items: [], pages: 2, ended: false, resumeAfter: { n: -1 } });
    expect(exact.resumeAfter).toEqual({ n: 3 });
    expect(cut.resumeAfter).toBeUndefined();
  });

  it('says the read ended when the limit is reached on the last page', async () => {
    const read = await readPages(pagesOf([2, 2]).pages, { maxPages: 10, limit: 4 });

    expect({ items: numbers(read.items), ended: read.ended }).toEqual({ items: [0, 1, 2, 3], ended: true });
  });

  it.each([
    ['no pages left', { maxPages: 0, limit: 5 }],
    ['nothing more wanted', { maxPages: 5, limit: 0 }],
  ])('sends no request with %s', async (_name, bounds) => {
    const source = pagesOf([1]);

    const read = await readPages(source.pages, bounds);

    expect(read).toEqual({ items: [], pages: 0, ended: false });
    expect(source.requested).toEqual([]);
  });
});
