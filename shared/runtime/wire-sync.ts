import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Fetch, Sleep } from '../admin-api/http.js';
import { JudgemeClient } from '../admin-api/judgeme/judgeme-client.js';
import { RechargeClient } from '../admin-api/recharge/recharge-client.js';
import { ShopifyAdminClient } from '../admin-api/shopify/admin-graphql-client.js';
import { DynamoRunStateStore } from '../backfill/dynamo-run-state-store.js';
import { DynamoSeenRecords } from '../backfill/dynamo-seen-records.js';
import type { FeedDeps } from '../backfill/feeder.js';
import { RechargeDirectory } from '../backfill/recharge-directory.js';
import type { RunStateStore } from '../backfill/run-state-store.js';
import type { StreamSources } from '../backfill/streams.js';
import type { ShopAdminSecrets } from '../config/admin-secrets.js';
import { normalizerRegistry } from '../normalize/registry.js';
import type { Clock } from '../ports/clock.js';
import type { MessageQueue } from '../ports/message-queue.js';

/** Everything a backfill or reconciliation of one shop is built from. */
export interface SyncWiring {
  readonly shop: string;
  /** The shop's Admin API credentials (the Admin API secret); a platform without them is not read. */
  readonly secrets: ShopAdminSecrets;
  readonly shopifyApiVersion: string;
  readonly rechargeApiVersion: string;
  /** API origins other than the platforms' own (the local fake shop). */
  readonly urls?: { readonly shopify?: string; readonly recharge?: string; readonly judgeme?: string };
  readonly inbox: MessageQueue;
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly fetch?: Fetch;
  readonly sleep?: Sleep;
  readonly now?: () => number;
}

/** The API clients, the feeder's ports and the run-state store of one shop's sync. */
export const wireSync = (
  wiring: SyncWiring,
): { sources: StreamSources; feed: FeedDeps; state: RunStateStore } => {
  const http = {
    ...(wiring.fetch ? { fetch: wiring.fetch } : {}),
    ...(wiring.sleep ? { sleep: wiring.sleep } : {}),
    ...(wiring.now ? { now: wiring.now } : {}),
  };
  const { shopify, recharge, judgeme } = wiring.secrets;
  const rechargeClient = recharge
    ? new RechargeClient({
        apiToken: recharge.apiToken,
        apiVersion: wiring.rechargeApiVersion,
        ...(wiring.urls?.recharge ? { baseUrl: wiring.urls.recharge } : {}),
        ...http,
      })
    : undefined;
  const sources: StreamSources = {
    shop: wiring.shop,
    ...(shopify
      ? {
          shopify: new ShopifyAdminClient({
            shop: wiring.shop,
            accessToken: shopify.adminAccessToken,
            apiVersion: wiring.shopifyApiVersion,
            ...(wiring.urls?.shopify ? { baseUrl: wiring.urls.shopify } : {}),
            ...http,
          }),
        }
      : {}),
    ...(rechargeClient ? { recharge: rechargeClient, directory: new RechargeDirectory(rechargeClient) } : {}),
    ...(judgeme
      ? {
          judgeme: new JudgemeClient({
            shop: wiring.shop,
            apiToken: judgeme.apiToken,
            ...(wiring.urls?.judgeme ? { baseUrl: wiring.urls.judgeme } : {}),
            ...http,
          }),
        }
      : {}),
    fetch: wiring.fetch ?? ((url, init) => fetch(url, init)),
    sleep: wiring.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  const feed: FeedDeps = {
    inbox: wiring.inbox,
    seen: new DynamoSeenRecords(wiring.dynamo, wiring.tableName),
    normalizers: normalizerRegistry,
    clock: wiring.clock,
    apiVersion: (record) =>
      record.source === 'shopify'
        ? wiring.shopifyApiVersion
        : record.source === 'recharge'
          ? wiring.rechargeApiVersion
          : undefined,
  };
  return { sources, feed, state: new DynamoRunStateStore(wiring.dynamo, wiring.tableName) };
};
