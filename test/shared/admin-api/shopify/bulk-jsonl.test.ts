import { describe, expect, it } from 'vitest';
import { groupBulkLines, textLines } from '../../../../shared/admin-api/shopify/bulk-jsonl.js';

async function* of<T>(...items: T[]): AsyncGenerator<T> {
  yield* items;
}

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

const order = (id: number) => JSON.stringify({ id: `gid://shopify/Order/${id}` });
const line = (id: number, parent: number) =>
  JSON.stringify({ id: `gid://shopify/LineItem/${id}`, __parentId: `gid://shopify/Order/${parent}` });

describe('bulk operation JSONL', () => {
  it('gives each root its children (lines carrying its id as __parentId), in file order', async () => {
    const stats = { lines: 0, lateChildren: 0, unreadable: 0 };

    const roots = await collect(
      groupBulkLines(of(order(1), line(11, 1), line(12, 1), order(2), line(21, 2)), stats),
    );

    expect(roots.map((r) => [r.node.id, r.children.map((c) => c.id)])).toEqual([
      ['gid://shopify/Order/1', ['gid://shopify/LineItem/11', 'gid://shopify/LineItem/12']],
      ['gid://shopify/Order/2', ['gid://shopify/LineItem/21']],
    ]);
    expect(roots[0]?.children[0]).not.toHaveProperty('__parentId');
    expect(stats).toEqual({ lines: 5, lateChildren: 0, unreadable: 0 });
  });

  it('joins a child that comes after other roots, and counts one whose parent already left the window', async () => {
    const stats = { lines: 0, lateChildren: 0, unreadable: 0 };

    const roots = await collect(
      groupBulkLines(of(order(1), order(2), order(3), line(11, 1), line(31, 3)), stats, 2),
    );

    expect(roots.map((r) => r.children.length)).toEqual([0, 0, 1]);
    expect(stats.lateChildren).toBe(1);
  });

  it('counts lines that are not JSON objects and goes on', async () => {
    const stats = { lines: 0, lateChildren: 0, unreadable: 0 };

    const roots = await collect(groupBulkLines(of('not json', '[1]', order(1)), stats));

    expect(roots).toHaveLength(1);
    expect(stats.unreadable).toBe(2);
  });

  it('splits a download into lines however its chunks fall, multi-byte characters included', async () => {
    const bytes = new TextEncoder().encode('{"a":"é"}\n{"b":2}\n{"c":3}');
    const chunks = [bytes.slice(0, 7), bytes.slice(7, 13), bytes.slice(13)];

    expect(await collect(textLines(of(...chunks)))).toEqual(['{"a":"é"}', '{"b":2}', '{"c":3}']);
  });
});
