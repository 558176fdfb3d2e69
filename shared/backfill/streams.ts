import type { Fetch, Sleep } from '../admin-api/http.js';
import type { JudgemeClient } from '../admin-api/judgeme/judgeme-client.js';
import type { RechargeClient, RechargeResource } from '../admin-api/recharge/recharge-client.js';
import type { ShopifyAdminClient } from '../admin-api/shopify/admin-graphql-client.js';
import type { BulkReadStats } from '../admin-api/shopify/bulk-jsonl.js';
import {
  type ReadPosition,
  readShopifyResource,
  type ShopifyResource,
} from '../admin-api/shopify/shopify-reader.js';
import {
  judgemeReviewRecords,
  rechargeChargeRecords,
  rechargeCustomerRecords,
  rechargeSubscriptionRecords,
} from './platform-records.js';
import type { RechargeDirectory } from './recharge-directory.js';
import { shopifyRecords } from './shopify-records.js';
import type { RecordsOf, SourceRecord, UnreadableRecord } from './source-record.js';

/** A sequence of records one run reads, in the order runs read them. */
export type StreamName =
  | 'shopify-customers'
  | 'shopify-orders'
  | 'shopify-checkouts'
  | 'recharge-customers'
  | 'recharge-subscriptions'
  | 'recharge-charges'
  | 'judgeme-reviews';

/** Where a stream stands (kept in a checkpoint). */
type StreamPosition =
  | ReadPosition
  | { readonly mode: 'cursor'; readonly cursor: string | null }
  | { readonly mode: 'page'; readonly page: number };

/** Records read, and where to continue after them. */
export interface StreamBatch {
  readonly records: readonly SourceRecord[];
  readonly unreadable: readonly UnreadableRecord[];
  readonly next: StreamPosition;
}

/** The API clients of a shop (absent: the shop has no credentials for that platform). */
export interface StreamSources {
  readonly shop: string;
  readonly shopify?: ShopifyAdminClient;
  readonly recharge?: RechargeClient;
  readonly judgeme?: JudgemeClient;
  readonly directory?: RechargeDirectory;
  readonly fetch: Fetch;
  readonly sleep: Sleep;
  /** Called between bulk-operation polls (a run keeps its lease alive there). */
  readonly onPoll?: () => Promise<void>;
  readonly bulkStats?: BulkReadStats;
}

/** How a stream is read. */
export interface StreamOptions {
  readonly since: Date;
  /** Shopify: one bulk operation per resource (history) or pages (small ranges). */
  readonly mode: 'bulk' | 'pages';
  readonly from?: StreamPosition;
}

/** The platform a stream reads. */
const platformOf = (name: StreamName): 'shopify' | 'recharge' | 'judgeme' =>
  name.startsWith('shopify') ? 'shopify' : name.startsWith('recharge') ? 'recharge' : 'judgeme';

const split = (results: readonly RecordsOf[]) => ({
  records: results.flatMap((r) => ('records' in r ? r.records : [])),
  unreadable: results.flatMap((r) => ('unreadable' in r ? [r.unreadable] : [])),
});

const SHOPIFY: Readonly<Partial<Record<StreamName, ShopifyResource>>> = {
  'shopify-customers': 'customers',
  'shopify-orders': 'orders',
  'shopify-checkouts': 'abandonedCheckouts',
};

async function* shopifyStream(
  sources: StreamSources,
  client: ShopifyAdminClient,
  resource: ShopifyResource,
  options: StreamOptions,
): AsyncGenerator<StreamBatch> {
  const from = options.from?.mode === 'bulk' || options.from?.mode === 'pages' ? options.from : undefined;
  const batches = readShopifyResource(client, resource, {
    since: options.since,
    // Abandoned checkouts are only ever read for the last hours: pages.
    mode: resource === 'abandonedCheckouts' ? 'pages' : options.mode,
    ...(from ? { from } : {}),
    fetch: sources.fetch,
    sleep: sources.sleep,
    ...(sources.onPoll ? { bulk: { onPoll: sources.onPoll } } : {}),
    ...(sources.bulkStats ? { bulkStats: sources.bulkStats } : {}),
  });
  for await (const batch of batches) {
    yield {
      ...split(batch.nodes.map((node) => shopifyRecords(sources.shop, resource, node))),
      next: batch.next,
    };
  }
}

const RECHARGE: Readonly<Partial<Record<StreamName, RechargeResource>>> = {
  'recharge-customers': 'customers',
  'recharge-subscriptions': 'subscriptions',
  'recharge-charges': 'charges',
};

async function* rechargeStream(
  sources: StreamSources,
  client: RechargeClient,
  resource: RechargeResource,
  options: StreamOptions,
): AsyncGenerator<StreamBatch> {
  let cursor = options.from?.mode === 'cursor' ? options.from.cursor : null;
  // Recharge reads timestamps without an offset as UTC; it takes them without milliseconds.
  const filters = { updated_at_min: options.since.toISOString().replace(/\.\d{3}Z$/, '') };
  for (;;) {
    const page = await client.page(resource, filters, cursor);
    const results: RecordsOf[] = [];
    for (const item of page.items) {
      if (resource === 'customers') {
        sources.directory?.learn([item]);
        results.push(rechargeCustomerRecords(item));
      } else if (resource === 'subscriptions') {
        results.push(
          rechargeSubscriptionRecords(sources.directory ? await sources.directory.enrich(item) : item),
        );
      } else {
        results.push(rechargeChargeRecords(item));
      }
    }
    cursor = page.next;
    yield { ...split(results), next: { mode: 'cursor', cursor } };
    if (!page.next) return;
  }
}

async function* judgemeStream(
  sources: StreamSources,
  client: JudgemeClient,
  options: StreamOptions,
): AsyncGenerator<StreamBatch> {
  let page = options.from?.mode === 'page' ? options.from.page : 1;
  const since = options.since.toISOString();
  for (;;) {
    const { reviews, more } = await client.page(page);
    const results = reviews.map((review) => judgemeReviewRecords(sources.shop, review));
    const { records, unreadable } = split(results);
    page += 1;
    // Judge.me filters nothing by date: older reviews are read and left out here.
    yield { records: records.filter((r) => r.occurredAt >= since), unreadable, next: { mode: 'page', page } };
    if (!more) return;
  }
}

/** Whether the shop has the credentials a stream needs. */
export const canRead = (name: StreamName, sources: StreamSources): boolean => {
  const platform = platformOf(name);
  return platform === 'shopify'
    ? Boolean(sources.shopify)
    : platform === 'recharge'
      ? Boolean(sources.recharge)
      : Boolean(sources.judgeme);
};

/** Opens a stream: its records in batches, each ending with the position to continue after it. */
export const openStream = (
  name: StreamName,
  sources: StreamSources,
  options: StreamOptions,
): AsyncGenerator<StreamBatch> => {
  const shopifyResource = SHOPIFY[name];
  if (shopifyResource && sources.shopify)
    return shopifyStream(sources, sources.shopify, shopifyResource, options);
  const rechargeResource = RECHARGE[name];
  if (rechargeResource && sources.recharge)
    return rechargeStream(sources, sources.recharge, rechargeResource, options);
  if (name === 'judgeme-reviews' && sources.judgeme) return judgemeStream(sources, sources.judgeme, options);
  throw new Error(`no credentials to read ${name} for ${sources.shop}`);
};
