import { LOCAL_DEFAULTS, LOCAL_PLATFORM_SECRETS, localShopifySecret } from '../../local/local-config.js';
import { signJudgemeBody } from '../../shared/signatures/judgeme-signature.js';
import { signShopifyBody } from '../../shared/signatures/shopify-signature.js';
import { readSample } from '../../test/helpers/fixtures.js';

/**
 * The webhooks of a busy shop, by share of all webhooks. No platform publishes a per-topic breakdown: this mix
 * follows what drives the volume in a D2C shop (every cart and checkout edit is a webhook; an order brings
 * create, paid and updated), and the same mix feeds the cost model (Target 5). Storefront beacons come on their
 * own route and are costed separately. Recharge and refunds are left out of the load (they need state built
 * before them: an order to refund, a Shopify customer to resolve); their calls are in Target 2.
 */
export const TOPIC_MIX: readonly { readonly topic: string; readonly share: number }[] = [
  { topic: 'carts/update', share: 28 },
  { topic: 'checkouts/create', share: 10 },
  { topic: 'checkouts/update', share: 15 },
  { topic: 'orders/create', share: 12 },
  { topic: 'orders/paid', share: 8 },
  { topic: 'orders/updated', share: 12 },
  { topic: 'orders/cancelled', share: 2 },
  { topic: 'customers/create', share: 4 },
  { topic: 'customers/update', share: 5 },
  { topic: 'customers_email_marketing_consent/update', share: 2 },
  { topic: 'review/created', share: 2 },
];

/** One webhook ready to post: where, what, and the identifiers its Customer.io operations will carry. */
export interface LoadWebhook {
  readonly topic: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** `id:<customer id>` and `email:<email>`: every operation it causes is addressed by one of these. */
  readonly keys: readonly string[];
}

type Json = Record<string, unknown>;
const sample = (file: string): Json => JSON.parse(readSample(file)) as Json;

const SAMPLES = {
  cart: sample('shopify/carts-update.rudderstack.json'),
  checkout: sample('shopify/checkouts-create.json'),
  order: sample('shopify/orders-create.rudderstack.json'),
  cancelled: sample('shopify/orders-cancelled.json'),
  customer: sample('shopify/customers-create.json'),
  consent: sample('shopify/customers-email-marketing-consent-update.json'),
  review: sample('judgeme/review-created.json'),
};

const shopify = (topic: string, payload: Json, webhookId: string): Omit<LoadWebhook, 'keys'> => {
  const body = JSON.stringify(payload);
  return {
    topic,
    path: '/webhooks/shopify',
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': signShopifyBody(body, localShopifySecret()),
      'x-shopify-shop-domain': LOCAL_DEFAULTS.shop,
      'x-shopify-webhook-id': webhookId,
      'x-shopify-event-id': webhookId,
      'x-shopify-api-version': '2026-07',
      'x-shopify-triggered-at': new Date().toISOString(),
    },
  };
};

/** A fresh buyer for every webhook, so each Customer.io operation tells which webhook caused it. */
const buyer = (n: number) => ({ id: 9_000_000_000 + n, email: `load-${n}@example.com` });

/**
 * Builds the `n`th webhook of a topic: the sample of the topic with fresh ids (order, cart, checkout, customer,
 * email), dated now, signed as its platform signs it.
 */
export const loadWebhook = (topic: string, n: number): LoadWebhook => {
  const person = buyer(n);
  const now = new Date().toISOString();
  const keys = [`id:${person.id}`, `email:${person.email}`];
  const webhookId = `load-${topic.replace(/\W/g, '-')}-${n}`;
  const customer = { ...(SAMPLES.order.customer as Json), id: person.id, email: person.email };
  switch (topic) {
    case 'carts/update':
      return {
        ...shopify(
          topic,
          { ...SAMPLES.cart, id: `load-cart-${n}`, token: `load-cart-${n}`, updated_at: now },
          webhookId,
        ),
        keys: [],
      };
    case 'checkouts/create':
    case 'checkouts/update':
      // A checkout update only moves the cart's activity: nothing goes to Customer.io for it.
      return {
        ...shopify(
          topic,
          {
            ...SAMPLES.checkout,
            token: `load-checkout-${n}`,
            cart_token: `load-cart-${n}`,
            email: person.email,
            customer: { ...(SAMPLES.checkout.customer as Json), id: person.id, email: person.email },
            updated_at: now,
          },
          webhookId,
        ),
        keys: topic === 'checkouts/create' ? keys : [],
      };
    case 'orders/create':
    case 'orders/paid':
    case 'orders/updated':
      return {
        ...shopify(
          topic,
          {
            ...SAMPLES.order,
            id: 5_000_000_000 + n,
            email: person.email,
            contact_email: person.email,
            customer,
            cart_token: `load-cart-${n}`,
            checkout_token: `load-checkout-${n}`,
            processed_at: now,
            updated_at: now,
          },
          webhookId,
        ),
        keys,
      };
    case 'orders/cancelled':
      return {
        ...shopify(
          topic,
          {
            ...SAMPLES.cancelled,
            id: 5_000_000_000 + n,
            test: false,
            email: person.email,
            customer: { ...(SAMPLES.cancelled.customer as Json), id: person.id, email: person.email },
            cancelled_at: now,
          },
          webhookId,
        ),
        keys,
      };
    case 'customers/create':
    case 'customers/update':
      return {
        ...shopify(
          topic,
          { ...SAMPLES.customer, id: person.id, email: person.email, updated_at: now },
          webhookId,
        ),
        keys,
      };
    case 'customers_email_marketing_consent/update':
      return {
        ...shopify(
          topic,
          { ...SAMPLES.consent, customer_id: person.id, email_address: person.email },
          webhookId,
        ),
        keys,
      };
    case 'review/created': {
      const review = SAMPLES.review.review as Json;
      const body = JSON.stringify({
        ...SAMPLES.review,
        shop_domain: LOCAL_DEFAULTS.shop,
        review: {
          ...review,
          id: 7_000_000_000 + n,
          created_at: now,
          reviewer: { ...(review.reviewer as Json), external_id: person.id, email: person.email },
        },
      });
      return {
        topic,
        path: '/webhooks/judgeme',
        body,
        headers: {
          'content-type': 'application/json',
          'judgeme-hmac-sha256': signJudgemeBody(body, LOCAL_PLATFORM_SECRETS.judgeme.secrets[0]),
        },
        keys,
      };
    }
    default:
      throw new Error(`no load generator for ${topic}`);
  }
};

/** Picks a topic by the mix, from a number in [0, 1). */
export const topicAt = (draw: number): string => {
  const total = TOPIC_MIX.reduce((sum, t) => sum + t.share, 0);
  let left = draw * total;
  for (const { topic, share } of TOPIC_MIX) {
    left -= share;
    if (left < 0) return topic;
  }
  return TOPIC_MIX.at(-1)?.topic ?? 'carts/update';
};
