import { sendCrossDevice } from './cross-device.js';
import type { QaCheck } from './qa-checks.js';
import { type QaContext, qaOrder, qaShopper } from './qa-context.js';
import type { QaPersonRef } from './qa-destination.js';
import {
  checkoutCreated,
  customerCreated,
  judgemeReview,
  orderCancelled,
  orderCreated,
  type QaShopper,
  qaProduct,
  rechargeSubscription,
  refundCreated,
} from './qa-payloads.js';
import type { QaPlatform } from './qa-sender.js';

/** What a scenario left to check. */
interface QaOutcome {
  readonly who: QaPersonRef;
  readonly checks: readonly QaCheck[];
  /** Checks that cannot be decided here, with why (e.g. the first recovery step is unknown). */
  readonly manual?: readonly QaCheck[];
}

/** One scenario of the QA plan. */
export interface QaScenario {
  readonly id: string;
  readonly title: string;
  /** What should be true, in one sentence. */
  readonly shouldBeTrue: string;
  readonly needs: readonly QaPlatform[];
  run(ctx: QaContext): Promise<QaOutcome>;
}

/**
 * A shopper with a Shopify profile first: subscribers and reviewers are customers, and Customer.io finds a person
 * by email only once an identify gave them one.
 */
const knownShopper = async (ctx: QaContext, scenario: string): Promise<QaShopper> => {
  const shopper = qaShopper(ctx, scenario);
  await ctx.sender.shopify('customers/create', customerCreated(shopper, ctx.clock()));
  return shopper;
};

const who = (shopper: QaShopper): QaPersonRef => ({ id: shopper.customerId, email: shopper.email });

/** Margin past a step's due time before its absence counts: the check, the outbox and the delivery take seconds. */
const STEP_MARGIN_MS = 8_000;

const abandonedDue = (ctx: QaContext): number | undefined =>
  ctx.firstStepSeconds === undefined
    ? undefined
    : ctx.clock().getTime() + ctx.firstStepSeconds * 1000 + STEP_MARGIN_MS;

const noAbandon = (ctx: QaContext): { checks: QaCheck[]; manual: QaCheck[] } => {
  const due = abandonedDue(ctx);
  const check: QaCheck = {
    kind: 'no-event',
    name: 'Checkout Abandoned',
    notBefore: due ?? 0,
    says: 'no Checkout Abandoned after the first recovery step',
  };
  return due === undefined ? { checks: [], manual: [check] } : { checks: [check], manual: [] };
};

/** The seed's QA plan, in order. */
export const QA_SCENARIOS: readonly QaScenario[] = [
  {
    id: 'profile',
    title: 'A new test profile',
    shouldBeTrue: 'customers/create identifies the person by customer id, with their email',
    needs: ['shopify'],
    run: async (ctx) => {
      const shopper = qaShopper(ctx, 'profile');
      await ctx.sender.shopify('customers/create', customerCreated(shopper, ctx.clock()));
      return {
        who: who(shopper),
        checks: [
          { kind: 'attribute', name: 'email', value: shopper.email, says: 'email set on the profile' },
          {
            kind: 'attribute',
            name: 'shopify_customer_id',
            value: shopper.customerId,
            says: 'customer id set',
          },
        ],
      };
    },
  },
  {
    id: 'order',
    title: 'A test order',
    shouldBeTrue: 'Order Completed arrives flagged is_test, and the rollups leave it out',
    needs: ['shopify'],
    run: async (ctx) => {
      const shopper = qaShopper(ctx, 'order');
      const placed = qaOrder(ctx, shopper);
      await ctx.sender.shopify('orders/create', orderCreated(placed));
      return {
        who: who(shopper),
        checks: [
          {
            kind: 'event',
            name: 'Order Completed',
            data: { order_id: placed.id, is_test: true },
            says: 'Order Completed, is_test',
          },
          {
            kind: 'attribute',
            name: 'orders_count',
            absent: true,
            says: 'no orders_count from a test order',
          },
        ],
      };
    },
  },
  {
    id: 'refund',
    title: 'A refund',
    shouldBeTrue: 'refunds/create becomes Order Refunded on the buyer, found through the order',
    needs: ['shopify'],
    run: async (ctx) => {
      const shopper = qaShopper(ctx, 'refund');
      const placed = qaOrder(ctx, shopper);
      await ctx.sender.shopify('orders/create', orderCreated(placed));
      await ctx.sender.shopify('refunds/create', refundCreated(placed, ctx.next(), ctx.clock()));
      return {
        who: who(shopper),
        checks: [
          {
            kind: 'event',
            name: 'Order Refunded',
            data: { order_id: placed.id },
            says: 'Order Refunded for the order',
          },
        ],
      };
    },
  },
  {
    id: 'cancel',
    title: 'A cancellation',
    shouldBeTrue: 'orders/cancelled becomes Order Cancelled on the buyer',
    needs: ['shopify'],
    run: async (ctx) => {
      const shopper = qaShopper(ctx, 'cancel');
      const placed = qaOrder(ctx, shopper);
      await ctx.sender.shopify('orders/create', orderCreated(placed));
      await ctx.sender.shopify('orders/cancelled', orderCancelled(placed, ctx.clock()));
      return {
        who: who(shopper),
        checks: [
          {
            kind: 'event',
            name: 'Order Cancelled',
            data: { order_id: placed.id },
            says: 'Order Cancelled for the order',
          },
        ],
      };
    },
  },
  {
    id: 'devices',
    title: 'Two devices, then a checkout (merge)',
    shouldBeTrue:
      'both anonymous browsers merge into the buyer, the order lands on them, no abandoned message',
    needs: ['storefront', 'shopify'],
    run: async (ctx) => {
      const journey = await sendCrossDevice(ctx);
      const { checks, manual } = noAbandon(ctx);
      return {
        who: who(journey.shopper),
        checks: [
          {
            kind: 'merged',
            anonymousId: journey.browsers[0],
            anonymousEvent: 'Added to Cart',
            says: 'phone browser merged',
          },
          {
            kind: 'merged',
            anonymousId: journey.browsers[1],
            anonymousEvent: 'Cart Viewed',
            says: 'desktop browser merged',
          },
          {
            kind: 'event',
            name: 'Order Completed',
            data: { order_id: journey.orderId },
            says: 'Order Completed on the buyer',
          },
          ...checks,
        ],
        manual,
      };
    },
  },
  {
    id: 'abandoned',
    title: 'An abandoned checkout',
    shouldBeTrue:
      'a checkout nobody completes gets Checkout Abandoned (step 1) once its first recovery step is due',
    needs: ['shopify'],
    run: async (ctx) => {
      const shopper = qaShopper(ctx, 'abandoned');
      const token = `qa-${ctx.run}-abandoned`;
      await ctx.sender.shopify(
        'checkouts/create',
        checkoutCreated({
          token,
          cartToken: `${token}-cart`,
          shopper,
          product: qaProduct(),
          shop: ctx.sender.shop,
          at: ctx.clock(),
        }),
      );
      const check: QaCheck = {
        kind: 'event',
        name: 'Checkout Abandoned',
        data: { step: 1 },
        says: 'Checkout Abandoned, step 1',
      };
      return ctx.firstStepSeconds === undefined
        ? { who: who(shopper), checks: [], manual: [check] }
        : { who: who(shopper), checks: [check] };
    },
  },
  {
    id: 'rescued',
    title: 'A checkout that converts',
    shouldBeTrue: 'a checkout followed by its order gets Order Completed and never Checkout Abandoned',
    needs: ['shopify'],
    run: async (ctx) => {
      const shopper = qaShopper(ctx, 'rescued');
      const token = `qa-${ctx.run}-rescued`;
      const product = qaProduct();
      await ctx.sender.shopify(
        'checkouts/create',
        checkoutCreated({
          token,
          cartToken: `${token}-cart`,
          shopper,
          product,
          shop: ctx.sender.shop,
          at: ctx.clock(),
        }),
      );
      const placed = qaOrder(ctx, shopper, { cartToken: `${token}-cart`, checkoutToken: token, product });
      await ctx.sender.shopify('orders/create', orderCreated(placed));
      const { checks, manual } = noAbandon(ctx);
      return {
        who: who(shopper),
        checks: [
          { kind: 'event', name: 'Order Completed', data: { order_id: placed.id }, says: 'Order Completed' },
          ...checks,
        ],
        manual,
      };
    },
  },
  {
    id: 'subscription',
    title: 'A subscription started and cancelled',
    shouldBeTrue: 'Recharge subscription/created and /cancelled become Subscription Started and Cancelled',
    needs: ['shopify', 'recharge'],
    run: async (ctx) => {
      const shopper = await knownShopper(ctx, 'subscription');
      const spec = {
        id: ctx.next().slice(-9),
        rechargeCustomerId: ctx.next().slice(-9),
        shopper,
        product: qaProduct(),
      };
      await ctx.sender.recharge('subscription/created', rechargeSubscription({ ...spec, at: ctx.clock() }));
      await ctx.sender.recharge(
        'subscription/cancelled',
        rechargeSubscription({ ...spec, at: ctx.clock(), cancelled: true }),
      );
      return {
        who: who(shopper),
        checks: [
          { kind: 'event', name: 'Subscription Started', says: 'Subscription Started' },
          { kind: 'event', name: 'Subscription Cancelled', says: 'Subscription Cancelled' },
        ],
      };
    },
  },
  {
    id: 'review',
    title: 'A review',
    shouldBeTrue: 'a Judge.me review becomes Review Submitted with its rating',
    needs: ['shopify', 'judgeme'],
    run: async (ctx) => {
      const shopper = await knownShopper(ctx, 'review');
      await ctx.sender.judgeme(
        judgemeReview({
          id: ctx.next().slice(-9),
          shopper,
          product: qaProduct(),
          shop: ctx.sender.shop,
          at: ctx.clock(),
        }),
      );
      return {
        who: who(shopper),
        checks: [
          {
            kind: 'event',
            name: 'Review Submitted',
            data: { rating: 5 },
            says: 'Review Submitted, rating 5',
          },
        ],
      };
    },
  },
];
