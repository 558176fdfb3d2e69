import { LOCAL_DEFAULTS, LOCAL_PLATFORM_SECRETS } from '../../local/local-config.js';
import { readSample } from '../helpers/fixtures.js';
import type { Shopper } from '../helpers/journey-deliveries.js';
import { OKENDO_REVIEW_CREATE } from '../helpers/reviews-envelope.js';
import type { StoryContext } from './order-stories.js';
import {
  drawTiming,
  judgemeDelivery,
  okendoDelivery,
  rechargeDelivery,
  shopifyDelivery,
  stampedDelivery,
  yotpoDelivery,
} from './planned-deliveries.js';
import type { PlannedDelivery, Story } from './scenario-types.js';

type Json = Record<string, unknown>;
const sample = (file: string): Json => JSON.parse(readSample(file)) as Json;

/** The Recharge customer id the chaos run gives a shopper. */
const rechargeIdOf = (shopper: Shopper): string => `4${shopper.customerId.slice(-8)}`;

const REVIEW_PLATFORMS = ['judgeme', 'okendo', 'stamped', 'yotpo'] as const;

/** A review of one platform by a shopper's email, with the body that platform sends. */
const reviewDelivery = (
  ctx: StoryContext,
  platform: (typeof REVIEW_PLATFORMS)[number],
  reviewId: string,
  shopper: Shopper,
  at: Date,
): PlannedDelivery => {
  const product = ctx.random.pick(ctx.world.products);
  const rating = ctx.random.int(1, 5);
  const timing = drawTiming(ctx.random, ctx.random.int(0, 2_000), ctx.duplicateRate);
  if (platform === 'judgeme') {
    const base = sample('judgeme/review-created.json');
    const review = base.review as Json;
    return judgemeDelivery(
      JSON.stringify({
        ...base,
        shop_domain: LOCAL_DEFAULTS.shop,
        review: {
          ...review,
          id: Number(reviewId),
          rating,
          title: product.title,
          product_external_id: Number(product.productId),
          product_title: product.title,
          reviewer: { ...(review.reviewer as Json), email: shopper.email, phone: null },
          created_at: at.toISOString(),
          updated_at: at.toISOString(),
        },
      }),
      timing,
    );
  }
  if (platform === 'okendo') {
    const base = JSON.parse(OKENDO_REVIEW_CREATE) as Json;
    const resource = base.resource as Json;
    return okendoDelivery(
      JSON.stringify({
        ...base,
        resource: {
          ...resource,
          subscriberId: LOCAL_PLATFORM_SECRETS.okendo.subscriberId,
          reviewId,
          rating,
          productName: product.title,
          dateCreated: at.toISOString(),
          reviewer: { ...(resource.reviewer as Json), email: shopper.email },
        },
      }),
      `msg_${reviewId}`,
      timing,
    );
  }
  if (platform === 'stamped') {
    return stampedDelivery(
      JSON.stringify({
        ...sample('stamped/review-created.json'),
        id: Number(reviewId),
        customerEmail: shopper.email,
        reviewRating: rating,
        productName: product.title,
        dateCreated: at.toISOString().slice(0, 23),
      }),
      timing,
    );
  }
  const base = sample('yotpo/review-create.json');
  return yotpoDelivery(
    JSON.stringify({
      ...base,
      data: {
        ...(base.data as Json),
        id: reviewId,
        score: String(rating),
        app_key: LOCAL_PLATFORM_SECRETS.yotpo.appKey,
        customer_email: shopper.email,
        created_at: `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`,
      },
    }),
    timing,
  );
};

/** One review on each of the four platforms, each expected once as Review Submitted. */
export const reviewStory = (ctx: StoryContext): Story => {
  const at = new Date(ctx.start);
  const parts = REVIEW_PLATFORMS.map((platform) => {
    const reviewId = ctx.world.nextShortId();
    const delivery = reviewDelivery(ctx, platform, reviewId, ctx.random.pick(ctx.world.shoppers), at);
    return { platform, reviewId, delivery };
  });
  return {
    kind: 'reviews',
    deliveries: parts.map((p) => p.delivery),
    expected: parts.map(({ platform, reviewId, delivery }) => ({
      key: `Review Submitted ${platform}=${reviewId}`,
      name: 'Review Submitted',
      matches: (attributes) => attributes.review_id === reviewId && attributes.platform === platform,
      deliveries: [delivery.deliveryId],
    })),
  };
};

/**
 * Recharge: the customer (which links the Recharge id to the Shopify customer and email), then a subscription that
 * names only the Recharge id. Expected once as Subscription Started; processed before the link, it waits for it
 * (retried), and only if the link has not come when its attempts run out is it parked `person_unresolved`
 * (docs/identity.md rule 8), which accounts for it.
 */
export const subscriptionStory = (ctx: StoryContext): Story => {
  const { random } = ctx;
  const shopper = random.pick(ctx.world.shoppers);
  const at = new Date(ctx.start).toISOString();
  const rechargeId = rechargeIdOf(shopper);
  const customer = sample('recharge/customer-created.json');
  const customerBody = JSON.stringify({
    customer: {
      ...(customer.customer as Json),
      id: Number(rechargeId),
      email: shopper.email,
      external_customer_id: { ecommerce: shopper.customerId },
      created_at: at,
      updated_at: at,
    },
  });
  const subscriptionId = ctx.world.nextShortId();
  const subscription = sample('recharge/subscription-created.json');
  const subscriptionBody = JSON.stringify({
    subscription: {
      ...(subscription.subscription as Json),
      id: Number(subscriptionId),
      customer_id: Number(rechargeId),
      created_at: at,
      updated_at: at,
    },
  });
  const linked = rechargeDelivery('customer/created', customerBody, drawTiming(random, 0, ctx.duplicateRate));
  const started = rechargeDelivery(
    'subscription/created',
    subscriptionBody,
    drawTiming(random, random.int(300, 2_500), ctx.duplicateRate),
  );
  return {
    kind: 'subscription',
    deliveries: [linked, started],
    expected: [
      {
        key: `Subscription Started subscription=${subscriptionId}`,
        name: 'Subscription Started',
        matches: (attributes) => attributes.subscription_id === subscriptionId,
        deliveries: [started.deliveryId],
      },
    ],
  };
};

/**
 * Three customers/update of one customer, newer each time (names change), sent in a shuffled order: the person
 * must end with the newest names, whatever order they arrive in.
 */
export const customerUpdatesStory = (ctx: StoryContext): Story => {
  const { random } = ctx;
  const shopper = ctx.world.freshShopper();
  const base = sample('shopify/customers-update.json');
  const versions = [1, 2, 3].map((version) => ({
    version,
    first_name: `First${version}-${random.hex(4)}`,
    last_name: `Last${version}-${random.hex(4)}`,
    updated_at: new Date(ctx.start - (4 - version) * 60_000).toISOString(),
  }));
  const deliveries = random.shuffle(versions).map((v, i) =>
    shopifyDelivery(
      'customers/update',
      JSON.stringify({
        ...base,
        id: shopper.customerId,
        email: shopper.email,
        phone: null,
        first_name: v.first_name,
        last_name: v.last_name,
        updated_at: v.updated_at,
        addresses: [],
        default_address: null,
      }).replace(`"id":"${shopper.customerId}"`, `"id":${shopper.customerId}`),
      ctx.world.nextId('wh'),
      drawTiming(random, i * random.int(0, 400), ctx.duplicateRate),
    ),
  );
  const newest = versions[2];
  return {
    kind: 'customer-updates',
    deliveries,
    expected: [],
    people: newest
      ? [
          {
            customerId: shopper.customerId,
            attributes: { first_name: newest.first_name, last_name: newest.last_name },
            deliveries: deliveries.map((d) => d.deliveryId),
          },
        ]
      : [],
  };
};
