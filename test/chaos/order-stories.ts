import { readSample } from '../helpers/fixtures.js';
import { cancelledBody, fulfilledBody, type OrderSpec, orderBody } from '../helpers/journey-deliveries.js';
import { drawTiming, rechargeDelivery, shopifyDelivery } from './planned-deliveries.js';
import type { Random } from './random.js';
import type { ExpectedEvent, PlannedDelivery, Story } from './scenario-types.js';
import type { World } from './world.js';

/** What every story builder draws from. */
export interface StoryContext {
  readonly random: Random;
  readonly world: World;
  /** Epoch ms the run's sending starts at: payload times are set around it. */
  readonly start: number;
  /** Share of deliveries a platform sends more than once. */
  readonly duplicateRate: number;
}

type Json = Record<string, unknown>;

const byOrder =
  (orderId: string) =>
  (attributes: Readonly<Record<string, unknown>>): boolean =>
    attributes.order_id === orderId;

/** The order body as Shopify writes it: the order id a bare number (18 digits: past 2^53). */
const orderText = (body: Json, orderId: string): string =>
  JSON.stringify(body).replace(`"id":"${orderId}"`, `"id":${orderId}`);

/** Recharge's charge/paid for the same purchase (API 2021-11 shape, with the Shopify order and currency). */
const chargePaid = (spec: OrderSpec, chargeId: string, total: string): string => {
  const sample = JSON.parse(readSample('recharge/charge-paid.legacy.json')) as Json;
  return JSON.stringify({
    charge: {
      ...sample,
      id: Number(chargeId),
      customer_id: Number(spec.shopper.customerId.slice(-8)),
      shopify_customer_id: spec.shopper.customerId,
      email: spec.shopper.email,
      shopify_order_id: spec.id,
      currency: 'USD',
      status: 'success',
      total_price: total,
      processed_at: spec.at.toISOString(),
      created_at: spec.at.toISOString(),
      updated_at: spec.at.toISOString(),
    },
  });
};

/** Shopify's refunds/create for an order, built on the published sample. */
const refundBody = (orderId: string, refundId: string, at: Date): string => {
  const sample = JSON.parse(readSample('shopify/refunds-create.json')) as Json;
  const transactions = (sample.transactions as Json[]).map((t) => ({ ...t, order_id: orderId }));
  return JSON.stringify({
    ...sample,
    id: refundId,
    order_id: orderId,
    created_at: at.toISOString(),
    processed_at: at.toISOString(),
    transactions,
  }).replace(`"order_id":"${orderId}"`, `"order_id":${orderId}`);
};

/**
 * One purchase and what may follow it: Shopify's orders/create, now and then orders/paid for the same order under
 * another webhook id and Recharge's charge/paid for it (one Order Completed whichever says it, in any order), then
 * maybe a fulfilment, a cancellation and a refund (a refund may arrive before its order: it waits for it).
 */
export const orderStory = (ctx: StoryContext, options: { readonly test?: boolean } = {}): Story => {
  const { random, world } = ctx;
  const shopper = random.pick(world.shoppers);
  const id = world.nextNumericId();
  const at = new Date(ctx.start + random.int(0, 2_000));
  const spec: OrderSpec = { id, shopper, at, lines: world.lines(random), test: options.test ?? false };
  const body = orderBody(spec);
  const order = orderText(body, id);
  const timing = (offset: number) => drawTiming(random, offset, ctx.duplicateRate);
  const deliveries: PlannedDelivery[] = [
    shopifyDelivery('orders/create', order, world.nextId('wh'), timing(random.int(0, 1_500))),
  ];
  if (random.chance(0.3)) {
    deliveries.push(shopifyDelivery('orders/paid', order, world.nextId('wh'), timing(random.int(0, 2_500))));
  }
  if (random.chance(0.35)) {
    const charge = chargePaid(spec, world.nextShortId(), String(body.total_price));
    deliveries.push(rechargeDelivery('charge/paid', charge, timing(random.int(0, 2_500))));
  }
  const purchase = deliveries.map((d) => d.deliveryId);
  const expected: ExpectedEvent[] = [
    {
      key: `Order Completed order=${id}`,
      name: 'Order Completed',
      matches: byOrder(id),
      deliveries: purchase,
    },
  ];
  const followUp = (topic: string, name: string, text: string, key: string) => {
    const delivery = shopifyDelivery(topic, text, world.nextId('wh'), timing(random.int(300, 3_000)));
    deliveries.push(delivery);
    expected.push({
      key,
      name,
      matches: byOrder(id),
      // A follow-up of an order the connector never saw (parked) waits for that order.
      deliveries: [delivery.deliveryId, ...purchase],
    });
  };
  const later = new Date(at.getTime() + 60_000);
  if (random.chance(0.25)) {
    followUp(
      'orders/fulfilled',
      'Order Fulfilled',
      orderText(fulfilledBody(spec, later), id),
      `Order Fulfilled order=${id}`,
    );
  }
  if (random.chance(0.15)) {
    followUp(
      'orders/cancelled',
      'Order Cancelled',
      orderText(cancelledBody(spec, later), id),
      `Order Cancelled order=${id}`,
    );
  }
  if (random.chance(0.2)) {
    const refundId = world.nextNumericId();
    const delivery = shopifyDelivery(
      'refunds/create',
      refundBody(id, refundId, later),
      world.nextId('wh'),
      timing(random.int(0, 3_000)),
    );
    deliveries.push(delivery);
    expected.push({
      key: `Order Refunded refund=${refundId}`,
      name: 'Order Refunded',
      matches: (attributes) => attributes.refund_id === refundId,
      deliveries: [delivery.deliveryId, ...purchase],
    });
  }
  return { kind: options.test ? 'test-order' : 'order', deliveries, expected };
};
