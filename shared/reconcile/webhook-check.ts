import * as z from 'zod';
import { AdminApiAuthError, AdminApiRequestError } from '../admin-api/http.js';
import type { RechargeClient } from '../admin-api/recharge/recharge-client.js';
import type { ShopifyAdminClient } from '../admin-api/shopify/admin-graphql-client.js';
import { PageInfoSchema } from '../admin-api/shopify/graphql-schemas.js';
import { CREATE_WEBHOOK_SUBSCRIPTION, WEBHOOK_SUBSCRIPTIONS } from '../admin-api/shopify/queries.js';
import { rechargeNormalizers } from '../sources/recharge/recharge-normalizers.js';
import { shopifyNormalizers } from '../sources/shopify/shopify-normalizers.js';

/** Declared in the app's configuration (shopify.app.toml, the Partner Dashboard), never through the Admin API. */
const COMPLIANCE_TOPICS: ReadonlySet<string> = new Set([
  'customers/data_request',
  'customers/redact',
  'shop/redact',
]);

/** The Shopify topics subscribed through the Admin API: every topic the connector maps but the compliance ones. */
export const SHOPIFY_TOPICS: readonly string[] = Object.keys(shopifyNormalizers).filter(
  (topic) => !COMPLIANCE_TOPICS.has(topic),
);

/** The Recharge topics the connector maps, each a webhook it expects (docs/deploy.md). */
export const RECHARGE_TOPICS: readonly string[] = Object.keys(rechargeNormalizers);

/** What a check does about a missing subscription: nothing (off), report it, or report and re-create it. */
export type WebhookCheckMode = 'off' | 'check' | 'recreate';

/** The outcome of one platform's check. */
export interface WebhookCheckResult {
  /** Topics with no subscription to the connector's URL after the check (re-created ones are not missing). */
  readonly missing: readonly string[];
  readonly recreated: readonly string[];
  /** Why re-creating failed, when it did (a missing scope...). */
  readonly failure?: string;
}

/** `orders/create` → `ORDERS_CREATE`, the WebhookSubscriptionTopic enum value. */
const shopifyTopicEnum = (topic: string): string => topic.toUpperCase().replace(/\//g, '_');

const HooksSchema = z.object({
  webhookSubscriptions: z.object({
    pageInfo: PageInfoSchema,
    nodes: z.array(z.looseObject({ id: z.string(), topic: z.string(), uri: z.string().nullish() })),
  }),
});

const CreatedSchema = z.object({
  webhookSubscriptionCreate: z.object({
    webhookSubscription: z.looseObject({ id: z.string() }).nullish(),
    userErrors: z.array(z.looseObject({ message: z.string() })),
  }),
});

const sameUrl = (a: string | null | undefined, b: string): boolean =>
  typeof a === 'string' && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

const reason = (error: unknown): string =>
  error instanceof AdminApiAuthError || error instanceof AdminApiRequestError
    ? error.message
    : error instanceof Error
      ? error.name
      : 'unknown error';

/**
 * Checks the shop's API-created Shopify subscriptions for every mapped topic at the connector's URL (subscriptions
 * declared in shopify.app.toml are app-scoped and not listed: with those, leave the check off). In `recreate`
 * mode a missing one is created (Shopify asks only for the topic's own read scope).
 */
export const checkShopifySubscriptions = async (
  client: ShopifyAdminClient,
  callbackUrl: string,
  mode: Exclude<WebhookCheckMode, 'off'>,
): Promise<WebhookCheckResult> => {
  const present = new Set<string>();
  let after: string | null | undefined = null;
  for (;;) {
    const page: z.infer<typeof HooksSchema> = await client.request(
      WEBHOOK_SUBSCRIPTIONS,
      { after },
      HooksSchema,
    );
    for (const node of page.webhookSubscriptions.nodes)
      if (sameUrl(node.uri, callbackUrl)) present.add(node.topic);
    if (!page.webhookSubscriptions.pageInfo.hasNextPage) break;
    after = page.webhookSubscriptions.pageInfo.endCursor;
  }
  const absent = SHOPIFY_TOPICS.filter((topic) => !present.has(shopifyTopicEnum(topic)));
  if (mode === 'check' || absent.length === 0) return { missing: absent, recreated: [] };
  const recreated: string[] = [];
  const missing: string[] = [];
  let failure: string | undefined;
  for (const topic of absent) {
    try {
      const { webhookSubscriptionCreate: created } = await client.request(
        CREATE_WEBHOOK_SUBSCRIPTION,
        { topic: shopifyTopicEnum(topic), subscription: { uri: callbackUrl, format: 'JSON' } },
        CreatedSchema,
      );
      if (created.webhookSubscription) recreated.push(topic);
      else {
        missing.push(topic);
        failure ??= created.userErrors
          .map((e) => e.message)
          .join('; ')
          .slice(0, 300);
      }
    } catch (error) {
      missing.push(topic);
      failure ??= reason(error);
    }
  }
  return { missing, recreated, ...(failure ? { failure } : {}) };
};

/**
 * Checks the store's Recharge webhooks for every mapped topic at the connector's URL (Recharge deletes a webhook
 * after 20 failed deliveries). In `recreate` mode a missing one is created with the API token.
 */
export const checkRechargeWebhooks = async (
  client: RechargeClient,
  address: string,
  mode: Exclude<WebhookCheckMode, 'off'>,
): Promise<WebhookCheckResult> => {
  const present = new Set(
    (await client.webhooks()).filter((w) => sameUrl(w.address, address)).map((w) => w.topic),
  );
  const absent = RECHARGE_TOPICS.filter((topic) => !present.has(topic));
  if (mode === 'check' || absent.length === 0) return { missing: absent, recreated: [] };
  const recreated: string[] = [];
  const missing: string[] = [];
  let failure: string | undefined;
  for (const topic of absent) {
    try {
      await client.createWebhook(address, topic);
      recreated.push(topic);
    } catch (error) {
      missing.push(topic);
      failure ??= reason(error);
    }
  }
  return { missing, recreated, ...(failure ? { failure } : {}) };
};
