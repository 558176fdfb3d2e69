import * as z from 'zod';
import { AdminApiRequestError, AdminApiUnavailableError, type Fetch, type Sleep } from '../http.js';
import type { ShopifyAdminClient } from './admin-graphql-client.js';
import { type BulkReadStats, type BulkRoot, groupBulkLines, textLines } from './bulk-jsonl.js';
import { BULK_OPERATION, RUN_BULK_QUERY } from './queries.js';

/** A bulk operation as Shopify reports it. */
const BulkOperationSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  errorCode: z.string().nullish(),
  objectCount: z.union([z.string(), z.number()]).nullish(),
  rootObjectCount: z.union([z.string(), z.number()]).nullish(),
  url: z.string().nullish(),
  partialDataUrl: z.string().nullish(),
});
/** A bulk operation's state. */
export type BulkOperation = z.infer<typeof BulkOperationSchema>;

const RunSchema = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.looseObject({ id: z.string(), status: z.string() }).nullish(),
    userErrors: z.array(z.looseObject({ message: z.string(), code: z.string().nullish() })),
  }),
});

const PollSchema = z.object({ node: BulkOperationSchema.nullish() });

/** How a bulk operation is run and waited for. */
export interface BulkOptions {
  readonly sleep: Sleep;
  /** First wait between two polls; it doubles up to `maxPollMs` (a history export takes minutes to hours). */
  readonly pollMs?: number;
  readonly maxPollMs?: number;
  /** Waits for another bulk query of this app to finish before starting ours (one at a time before 2026-01). */
  readonly maxBusyWaits?: number;
  /** Called after every poll: a long export keeps its run's lease alive here. */
  readonly onPoll?: () => Promise<void>;
}

/** Statuses after which a bulk operation never changes again. */
const FINISHED = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'EXPIRED']);

/**
 * Starts a bulk query (`bulkOperationRunQuery`) and returns its id. When the app already runs as many bulk queries as
 * Shopify allows on the shop, waits and tries again rather than failing.
 */
export const startBulkQuery = async (
  client: ShopifyAdminClient,
  query: string,
  options: BulkOptions,
): Promise<string> => {
  for (let attempt = 1; ; attempt += 1) {
    const { bulkOperationRunQuery: run } = await client.request(RUN_BULK_QUERY, { query }, RunSchema);
    if (run.bulkOperation) return run.bulkOperation.id;
    const busy = run.userErrors.some(
      (e) => e.code === 'OPERATION_IN_PROGRESS' || /already in progress/i.test(e.message),
    );
    if (!busy || attempt > (options.maxBusyWaits ?? 60)) {
      const messages = run.userErrors.map((e) => `${e.code ?? 'ERROR'}: ${e.message}`).join('; ');
      throw new AdminApiRequestError('shopify', `bulk query refused: ${messages.slice(0, 500)}`);
    }
    await options.sleep(options.maxPollMs ?? 30_000);
  }
};

/** Reads a bulk operation's current state (undefined when Shopify no longer knows the id). */
export const readBulkOperation = async (
  client: ShopifyAdminClient,
  id: string,
): Promise<BulkOperation | undefined> =>
  (await client.request(BULK_OPERATION, { id }, PollSchema)).node ?? undefined;

/**
 * Polls a bulk operation until it finishes (CREATED → RUNNING → COMPLETED), backing off between polls. Returns the
 * completed operation; a failed, cancelled or expired one is an error naming Shopify's error code.
 */
export const awaitBulkOperation = async (
  client: ShopifyAdminClient,
  id: string,
  options: BulkOptions,
): Promise<BulkOperation> => {
  let pause = options.pollMs ?? 1_000;
  for (;;) {
    const operation = await readBulkOperation(client, id);
    if (!operation) throw new AdminApiRequestError('shopify', `bulk operation ${id} is unknown to Shopify`);
    if (FINISHED.has(operation.status)) {
      if (operation.status === 'COMPLETED') return operation;
      throw new AdminApiUnavailableError(
        'shopify',
        `bulk operation ${id} ended ${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ''}`,
      );
    }
    await options.onPoll?.();
    await options.sleep(pause);
    pause = Math.min(pause * 2, options.maxPollMs ?? 30_000);
  }
};

/**
 * Downloads a completed operation's JSONL result and yields its roots with their children, streaming. A completed
 * operation that matched nothing has no URL: nothing is yielded.
 */
export async function* bulkResults(
  fetch: Fetch,
  operation: BulkOperation,
  stats: BulkReadStats,
): AsyncGenerator<BulkRoot> {
  if (!operation.url) return;
  const response = await fetch(operation.url).catch((error: unknown) => {
    throw new AdminApiUnavailableError('shopify', 'bulk result download failed', { cause: error });
  });
  if (!response.ok || !response.body) {
    throw new AdminApiUnavailableError('shopify', `bulk result download answered HTTP ${response.status}`);
  }
  yield* groupBulkLines(textLines(response.body), stats);
}
