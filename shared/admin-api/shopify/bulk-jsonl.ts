/** A root object of a bulk result with the nodes of its nested connections (lines carrying its id as `__parentId`). */
export interface BulkRoot {
  readonly node: Record<string, unknown>;
  readonly children: Record<string, unknown>[];
}

/** What {@link groupBulkLines} saw besides the roots it yielded. */
export interface BulkReadStats {
  lines: number;
  /** Children whose parent had already been handed on (Shopify does not promise they follow at once). */
  lateChildren: number;
  /** Lines that were not JSON objects. */
  unreadable: number;
}

/**
 * Groups a bulk operation's JSONL lines into roots with their children, streaming. Shopify writes each child after
 * its parent, normally right after it; roots are held back in a window of `window` so a child that arrives a
 * little later still joins its parent, and each root is handed on once the window moves past it (or at the end).
 * Memory stays bounded by the window, not the shop's size. A child later than that is counted, not lost silently.
 */
export async function* groupBulkLines(
  lines: AsyncIterable<string>,
  stats: BulkReadStats,
  window = 2_000,
): AsyncGenerator<BulkRoot> {
  const pending = new Map<string, BulkRoot>();
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    stats.lines += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      stats.unreadable += 1;
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      stats.unreadable += 1;
      continue;
    }
    const object = value as Record<string, unknown>;
    const parent = object.__parentId;
    if (typeof parent === 'string') {
      const { __parentId: _parent, ...child } = object;
      const root = pending.get(parent);
      if (root) root.children.push(child);
      else stats.lateChildren += 1;
      continue;
    }
    const id = typeof object.id === 'string' ? object.id : `line-${stats.lines}`;
    pending.set(id, { node: object, children: [] });
    if (pending.size > window) {
      const [oldest] = pending;
      if (oldest) {
        pending.delete(oldest[0]);
        yield oldest[1];
      }
    }
  }
  yield* pending.values();
}

/** The lines of a text stream (a downloaded JSONL file), split on newlines as they arrive. */
export async function* textLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of chunks) {
    rest += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let newline = rest.indexOf('\n'); newline >= 0; newline = rest.indexOf('\n', start)) {
      yield rest.slice(start, newline);
      start = newline + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (rest !== '') yield rest;
}
