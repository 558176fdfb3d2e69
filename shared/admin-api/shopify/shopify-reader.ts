import * as z from 'zod';
import type { Fetch, Sleep } from '../http.js';
import type { ShopifyAdminClient } from './admin-graphql-client.js';
import type { BulkReadStats } from './bulk-jsonl.js';
import {
  awaitBulkOperation,
  type BulkOptions,
  bulkResults,
  readBulkOperation,
  startBulkQuery,
} from './bulk-operation.js';
import { gidType } from './gid.js';
import { PageInfoSchema } from './graphql-schemas.js';
import {
  bulkQuery,
  moreLinesQuery,
  pageQuery,
  RESOURCES,
  type ResourceQuery,
  updatedSince,
} from './queries.js';

/** A resource backfill and reconciliation read from Shopify. */
export type ShopifyResource = keyof typeof RESOURCES;

/** Where a read stands, so a stopped run continues there (kept in the run's checkpoint). */
export type ReadPosition =
  | { readonly mode: 'pages'; readonly cursor: string | null }
  | { readonly mode: 'bulk'; readonly bulkOperationId: string; readonly rootsDone: number };

/** A node and its line items, as one JSON object each (parsed by the mappers). */
export interface ReadNode {
  readonly node: Record<string, unknown>;
  readonly lines: readonly Record<string, unknown>[];
}

/** Some nodes, and where to continue after them. */
export interface ReadBatch {
  readonly nodes: readonly ReadNode[];
  readonly next: ReadPosition;
}

/** How to read. */
export interface ShopifyReadOptions {
  /** Everything updated at or after this time. */
  readonly since: Date;
  /** `bulk` for history (one export, no rate limit), `pages` for small ranges (reconciliation). */
  readonly mode: 'bulk' | 'pages';
  /** Continue from here (a checkpoint); undefined starts from the beginning. */
  readonly from?: ReadPosition;
  readonly fetch: Fetch;
  readonly sleep: Sleep;
  readonly bulk?: Omit<BulkOptions, 'sleep'>;
  /** Nodes per page; the query's cost grows with it (Shopify caps one query at 1,000 points). */
  readonly pageSize?: number;
  /** Lines fetched with each node in pages mode; more are read with follow-up queries. */
  readonly linesPerNode?: number;
  /** Roots handed on per batch in bulk mode (each batch is a checkpoint). */
  readonly bulkBatch?: number;
  /** Filled with what the bulk download saw (late children, unreadable lines). */
  readonly bulkStats?: BulkReadStats;
}

/** Page sizes that keep a page's requested cost under Shopify's 1,000-point ceiling (see queries.ts). */
const DEFAULT_PAGE_SIZES: Readonly<Record<ShopifyResource, number>> = {
  orders: 5,
  customers: 50,
  abandonedCheckouts: 5,
};

const Lines = z.object({ pageInfo: PageInfoSchema, nodes: z.array(z.looseObject({ id: z.string() })) });
const PageSchema = (root: string) =>
  z.object({
    [root]: z.object({
      pageInfo: PageInfoSchema,
      nodes: z.array(z.looseObject({ id: z.string(), lineItems: Lines.optional() })),
    }),
  });
const MoreLinesSchema = z.object({ node: z.looseObject({ lineItems: Lines }).nullish() });

/** The rest of a node's lines, after the page that carried the first ones. */
const remainingLines = async (
  client: ShopifyAdminClient,
  resource: ResourceQuery,
  id: string,
  after: string | null | undefined,
): Promise<Record<string, unknown>[]> => {
  const owner = resource.lines?.owner;
  if (!owner) return [];
  const lines: Record<string, unknown>[] = [];
  let cursor = after;
  for (;;) {
    const { node } = await client.request(moreLinesQuery(owner), { id, after: cursor }, MoreLinesSchema);
    if (!node) return lines;
    lines.push(...node.lineItems.nodes);
    if (!node.lineItems.pageInfo.hasNextPage) return lines;
    cursor = node.lineItems.pageInfo.endCursor;
  }
};

async function* readPages(
  client: ShopifyAdminClient,
  resource: ResourceQuery,
  options: ShopifyReadOptions,
  size: number,
): AsyncGenerator<ReadBatch> {
  const query = pageQuery(resource, options.linesPerNode ?? 20);
  const schema = PageSchema(resource.root);
  let cursor = options.from?.mode === 'pages' ? options.from.cursor : null;
  for (;;) {
    const page = (
      await client.request(query, { first: size, after: cursor, query: updatedSince(options.since) }, schema)
    )[resource.root];
    if (!page) return;
    const nodes: ReadNode[] = [];
    for (const { lineItems, ...node } of page.nodes) {
      const lines: Record<string, unknown>[] = [...(lineItems?.nodes ?? [])];
      if (lineItems?.pageInfo.hasNextPage) {
        lines.push(...(await remainingLines(client, resource, node.id, lineItems.pageInfo.endCursor)));
      }
      nodes.push({ node, lines });
    }
    cursor = page.pageInfo.endCursor ?? cursor;
    const more = page.pageInfo.hasNextPage;
    yield { nodes, next: { mode: 'pages', cursor } };
    if (!more) return;
  }
}

/** The operation a resumed bulk read continues with: the same one while Shopify still has it, else a new one. */
const resumableOperation = async (client: ShopifyAdminClient, from: ReadPosition | undefined) => {
  if (from?.mode !== 'bulk') return undefined;
  const operation = await readBulkOperation(client, from.bulkOperationId).catch(() => undefined);
  if (!operation || ['FAILED', 'CANCELED', 'EXPIRED'].includes(operation.status)) return undefined;
  if (operation.status === 'COMPLETED' && !operation.url && Number(operation.objectCount ?? 0) > 0)
    return undefined;
  return { id: operation.id, rootsDone: from.rootsDone };
};

async function* readBulk(
  client: ShopifyAdminClient,
  resource: ResourceQuery,
  options: ShopifyReadOptions,
): AsyncGenerator<ReadBatch> {
  const bulk = { ...options.bulk, sleep: options.sleep };
  const resumed = await resumableOperation(client, options.from);
  const id =
    resumed?.id ?? (await startBulkQuery(client, bulkQuery(resource, updatedSince(options.since)), bulk));
  const skip = resumed?.rootsDone ?? 0;
  // Recorded before the wait, so a run stopped while Shopify exports continues with the same operation.
  yield { nodes: [], next: { mode: 'bulk', bulkOperationId: id, rootsDone: skip } };
  const operation = await awaitBulkOperation(client, id, bulk);
  const stats = options.bulkStats ?? { lines: 0, lateChildren: 0, unreadable: 0 };
  const size = options.bulkBatch ?? 250;
  let position = 0;
  let nodes: ReadNode[] = [];
  for await (const root of bulkResults(options.fetch, operation, stats)) {
    position += 1;
    if (position <= skip) continue;
    const lines = root.children.filter(
      (child) => typeof child.id === 'string' && gidType(child.id) === 'LineItem',
    );
    nodes.push({ node: root.node, lines });
    if (nodes.length >= size) {
      yield { nodes, next: { mode: 'bulk', bulkOperationId: id, rootsDone: position } };
      nodes = [];
    }
  }
  yield { nodes, next: { mode: 'bulk', bulkOperationId: id, rootsDone: position } };
}

/**
 * Reads every node of a resource updated since `options.since`, in batches that each end with the position to resume
 * after them. Bulk mode exports through one bulk operation (a resumed read continues the same operation and skips
 * the roots already handed on); pages mode walks the connection, sorted by update time where Shopify offers it.
 */
export const readShopifyResource = (
  client: ShopifyAdminClient,
  name: ShopifyResource,
  options: ShopifyReadOptions,
): AsyncGenerator<ReadBatch> => {
  const resource: ResourceQuery = RESOURCES[name];
  return options.mode === 'bulk'
    ? readBulk(client, resource, options)
    : readPages(client, resource, options, options.pageSize ?? DEFAULT_PAGE_SIZES[name]);
};
