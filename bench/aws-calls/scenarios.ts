import { randomUUID } from 'node:crypto';
import { readSample } from '../../test/helpers/fixtures.js';
import { topicOfSample } from '../cpu/workloads.js';
import type { AwsCallHarness, PathCalls } from './harness.js';
import {
  beaconRequest,
  judgemeRequest,
  rechargeRequest,
  shopifyRequest,
  stampedRequest,
  yotpoRequest,
} from './signed-requests.js';

/** One measured step: a webhook, a beacon or a fired cart check, run to quiescence on the shared table. */
export interface Scenario {
  /** Rows are grouped by this (Shopify, Recharge, reviews, beacons, cart check). */
  readonly group: string;
  readonly label: string;
  /** The headline rows the targets are checked on. */
  readonly target?: 'orders-create' | 'beacon';
  run(harness: AwsCallHarness): Promise<PathCalls>;
}

const shopify = (file: string, options: { label?: string; topic?: string; webhookId?: string } = {}) => {
  const topic = options.topic ?? topicOfSample(file);
  return {
    group: 'Shopify',
    label: options.label ?? `${topic} (${file.replace(/\.json$/, '')})`,
    run: (h: AwsCallHarness) =>
      h.post(shopifyRequest(topic, readSample(`shopify/${file}`), options.webhookId ?? randomUUID())),
  };
};

const recharge = (file: string) => {
  const topic = file.replace(/(\.legacy|\.boxesapp)?\.json$/, '').replace(/-(?=[^-]+$)/, '/');
  return {
    group: 'Recharge',
    label: `${topic} (${file.replace(/\.json$/, '')})`,
    run: (h: AwsCallHarness) => h.post(rechargeRequest(topic, readSample(`recharge/${file}`))),
  };
};

let beaconSeq = 0;
/** A captured pixel event as a browser would send it now: a fresh id, this browser, optionally this cart. */
const beacon = (file: string, clientId: string, cartToken?: string) => {
  const { pixelEventLabel: _label, ...event } = JSON.parse(readSample(`shopify/${file}`)) as Record<
    string,
    unknown
  > & { data: Record<string, unknown> };
  const name = String(event.name);
  return {
    group: 'Beacons',
    label: `${name}${cartToken ? ' (cart known)' : ''}`,
    target: 'beacon' as const,
    run: (h: AwsCallHarness) => {
      beaconSeq += 1;
      const data =
        cartToken && event.data.cart
          ? { ...event.data, cart: { ...(event.data.cart as object), id: cartToken } }
          : event.data;
      return h.post(
        beaconRequest({
          ...event,
          id: `bench-beacon-${beaconSeq}`,
          clientId,
          timestamp: new Date().toISOString(),
          data,
        }),
      );
    },
  };
};

/** Runs every cart check the fake Scheduler holds for this step. */
const cartStep = (label: string): Scenario => ({
  group: 'Cart check',
  label,
  run: async (h) => {
    const results = await h.fireScheduledChecks();
    if (results.length === 0) throw new Error('no cart check was scheduled');
    return results.reduce((a, b) => ({
      status: b.status,
      ingest: [],
      process: [...a.process, ...b.process],
      deliver: [...a.deliver, ...b.deliver],
      cartCheck: [...a.cartCheck, ...b.cartCheck],
      customerIoCalls: a.customerIoCalls + b.customerIoCalls,
      customerIoOperations: a.customerIoOperations + b.customerIoOperations,
      failedRecords: a.failedRecords + b.failedRecords,
    }));
  },
});

const ORDER_WEBHOOK_ID = randomUUID();
const CART_TOKEN = 'Z2NwLXVzLWVhc3QxOjAxSkJaTUVRSjgzNUJUN1BTNjEzRFdRUFFQ';

/**
 * The scenarios, in the order they run on one table: a storefront visit, a checkout and the order it becomes (the
 * same order then reported again: a retry, orders/paid, orders/updated), every other Shopify sample, Recharge,
 * reviews, the cart checks of an abandoned checkout, and the privacy topics last (they delete what came before).
 */
export const SCENARIOS: readonly Scenario[] = [
  beacon('web-pixel-page-viewed.json', 'bench-browser-1'),
  beacon('web-pixel-product-viewed.json', 'bench-browser-1'),
  beacon('web-pixel-collection-viewed.json', 'bench-browser-1'),
  beacon('web-pixel-search-submitted.json', 'bench-browser-1'),
  beacon('web-pixel-product-added-to-cart.json', 'bench-browser-1', CART_TOKEN),
  beacon('web-pixel-product-removed-from-cart.json', 'bench-browser-1', CART_TOKEN),
  beacon('web-pixel-cart-viewed.json', 'bench-browser-1', CART_TOKEN),
  beacon('web-pixel-checkout-started.json', 'bench-browser-1'),
  shopify('checkouts-create.rudderstack.json'),
  {
    ...shopify('orders-create.rudderstack.json', { webhookId: ORDER_WEBHOOK_ID }),
    label: 'orders/create (first order of a known checkout)',
    target: 'orders-create',
  },
  shopify('orders-create.rudderstack.json', {
    label: 'orders/create retried (same webhook id)',
    webhookId: ORDER_WEBHOOK_ID,
  }),
  shopify('orders-paid.rudderstack.json', { label: 'orders/paid (same order)' }),
  shopify('orders-updated.rudderstack.json', { label: 'orders/updated (same order)' }),
  beacon('web-pixel-checkout-completed.json', 'bench-browser-1'),
  shopify('orders-create.json', { label: 'orders/create (docs sample: test order, no tokens)' }),
  shopify('orders-cancelled.json'),
  shopify('refunds-create.json'),
  shopify('orders-cancelled.rudderstack.json'),
  shopify('carts-create.json'),
  shopify('carts-update.json'),
  shopify('carts-update.rudderstack.json'),
  shopify('checkouts-create.json'),
  shopify('checkouts-update.json'),
  shopify('checkouts-update.rudderstack.json'),
  cartStep('step 1 of the open checkouts (Checkout Abandoned #1, next step scheduled)'),
  shopify('carts-update.json', { label: 'carts/update again (lazy: no Scheduler call)' }),
  cartStep('step 2 (last step: Abandoned #2, cart finished)'),
  shopify('checkouts-delete.json'),
  shopify('customers-create.json'),
  shopify('customers-update.json'),
  shopify('customers-email-marketing-consent-update.json'),
  shopify('customers-marketing-consent-update.json'),
  recharge('customer-created.json'),
  recharge('address-created.json'),
  recharge('subscription-created.json'),
  recharge('subscription-activated.json'),
  recharge('subscription-cancelled.json'),
  recharge('charge-paid.legacy.json'),
  recharge('charge-failed.legacy.json'),
  { group: 'Reviews', label: 'judge.me review/created', run: (h) => h.post(judgemeRequest()) },
  { group: 'Reviews', label: 'stamped review/created', run: (h) => h.post(stampedRequest()) },
  { group: 'Reviews', label: 'yotpo review_create', run: (h) => h.post(yotpoRequest()) },
  shopify('customers-data-request.json'),
  shopify('app-uninstalled.json'),
  shopify('customers-redact.json'),
  shopify('shop-redact.json'),
];
