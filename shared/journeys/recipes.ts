import {
  type AttributeName,
  allOf,
  anyOf,
  attribute,
  type Campaign,
  type CampaignMessage,
  type Condition,
  contains,
  doesNotExist,
  isEqualTo,
  isGreaterThan,
  notPerformed,
  onEvent,
  performed,
  span,
  timestampBeforeDaysAgo,
  where,
  whereAtLeastOne,
} from './conditions.js';

/** A field a message template reads: `event.<path>` (the trigger event's data) or `customer.<attribute>`. */
export interface LiquidField {
  /** `[]` marks a list entry, read inside a `{% for %}` loop (e.g. `event.products[].name`). */
  readonly path: `event.${string}` | `customer.${AttributeName}`;
  readonly use: string;
  /** What the template prints when the person has no value (Liquid `default`): the data does not always have it. */
  readonly fallback?: string;
}

/** What a recipe builds in Customer.io. */
type Audience =
  | { readonly kind: 'segment'; readonly condition: Condition }
  | { readonly kind: 'campaign'; readonly campaign: Campaign };

/** One seed example, built in Customer.io on the connector's data. */
export interface Recipe {
  /** The anchor in docs/journeys.md and the key of its scenario. */
  readonly id: string;
  readonly title: string;
  /** The seed example it answers, in the seed's words. */
  readonly seed: string;
  readonly audience: Audience;
  readonly liquid: readonly LiquidField[];
  /** How late the data may arrive before the recipe misfires; time-sensitive recipes only. */
  readonly latency?: string;
}

/** The example products and thresholds the recipes use (a coffee shop); replace them with your own. */
export const EXAMPLE = {
  /** A product bought again and again: the replenishment recipe reminds 30 days after the last purchase. */
  replenishProductId: '9000000000001',
  replenishDays: 30,
  affinityCategory: 'Equipment',
  highAov: 150,
  winbackDays: 90,
  vipOrders: 2,
  vipAov: 100,
} as const;

/** Customer.io's channel consent from Shopify: an email goes only to people whose consent is `subscribed`. */
const EMAIL_CONSENT = attribute('accepts_email_marketing', isEqualTo(true));
/** SMS consent from Shopify's SMS consent topic. */
const SMS_CONSENT = attribute('accepts_sms_marketing', isEqualTo(true));

const email = (after = span(0, 'minutes')): CampaignMessage => ({
  channel: 'email',
  after,
  sendIf: EMAIL_CONSENT,
});
const sms = (after = span(0, 'minutes')): CampaignMessage => ({ channel: 'sms', after, sendIf: SMS_CONSENT });

/** No kept order in the past day, without Customer.io's "has not performed" profile-age rule. */
const noOrderInPastDay = anyOf(
  attribute('last_order_at', doesNotExist()),
  attribute('last_order_at', timestampBeforeDaysAgo(1)),
);

const realOrder = where('is_test', isEqualTo(false));

/** Every recipe of docs/journeys.md, in the order the page lists them. */
export const RECIPES: readonly Recipe[] = [
  {
    id: 'viewed-product-last-day',
    title: 'Viewed product in last 1 day',
    seed: 'Step 7 starter segment "Viewed product in last 1 day"',
    audience: { kind: 'segment', condition: performed('Product Viewed', { within: { days: 1 } }) },
    liquid: [{ path: 'customer.first_name', use: 'greeting', fallback: 'there' }],
  },
  {
    id: 'added-to-cart-no-order-4-hours',
    title: 'Added to cart but no order in 4 hours',
    seed: 'Step 7 starter segment "Added to cart but no order in 4 hours"',
    audience: {
      kind: 'segment',
      condition: allOf(
        anyOf(
          performed('Checkout Abandoned', { within: { days: 1 }, where: [where('step', isEqualTo(1))] }),
          performed('Cart Abandoned', { within: { days: 1 }, where: [where('step', isEqualTo(1))] }),
        ),
        noOrderInPastDay,
      ),
    },
    liquid: [{ path: 'customer.first_name', use: 'greeting', fallback: 'there' }],
    latency:
      'Order Completed must reach the connector before the 4-hour step fires: the step checks for an order of the same cart or person at that moment.',
  },
  {
    id: 'purchased-2-plus',
    title: 'Purchased 2+ times',
    seed: 'Step 7 starter segment "Purchased 2+ times"',
    audience: { kind: 'segment', condition: attribute('orders_count', isGreaterThan(1)) },
    liquid: [
      { path: 'customer.orders_count', use: '"your 3rd order"' },
      { path: 'customer.total_spent', use: 'lifetime value' },
    ],
  },
  {
    id: 'high-aov',
    title: 'High AOV customers',
    seed: 'Step 7 starter segment "High AOV customers"',
    audience: {
      kind: 'segment',
      condition: attribute('average_order_value', isGreaterThan(EXAMPLE.highAov)),
    },
    liquid: [
      { path: 'customer.average_order_value', use: 'tier copy' },
      { path: 'customer.top_categories', use: 'premium picks in their categories' },
    ],
  },
  {
    id: 'winback',
    title: `Winback: no order in ${EXAMPLE.winbackDays} days`,
    seed: 'Use case: winback on the last purchase date',
    audience: {
      kind: 'segment',
      condition: attribute('last_order_at', timestampBeforeDaysAgo(EXAMPLE.winbackDays)),
    },
    liquid: [
      { path: 'customer.last_order_at', use: '`{{ customer.last_order_at | date: "%B %-d" }}`' },
      { path: 'customer.last_order_value', use: 'what they spent last time' },
      { path: 'customer.top_categories', use: 'what to show' },
    ],
  },
  {
    id: 'category-affinity',
    title: 'Category affinity',
    seed: 'Use case: category affinity',
    audience: { kind: 'segment', condition: attribute('top_categories', contains(EXAMPLE.affinityCategory)) },
    liquid: [{ path: 'customer.top_categories', use: 'the categories, most engaged first' }],
  },
  {
    id: 'vip-tier',
    title: 'VIP tier',
    seed: 'Use case: VIP tiers from purchase count, AOV and category mix',
    audience: {
      kind: 'segment',
      condition: allOf(
        attribute('orders_count', isGreaterThan(EXAMPLE.vipOrders)),
        attribute('average_order_value', isGreaterThan(EXAMPLE.vipAov)),
        attribute('top_categories', contains(',')),
      ),
    },
    liquid: [
      { path: 'customer.orders_count', use: 'tier progress' },
      { path: 'customer.total_spent', use: 'lifetime value' },
      { path: 'customer.top_categories', use: 'their mix' },
    ],
  },
  {
    id: 'replenishment',
    title: 'Replenishment (per product)',
    seed: 'Use case: replenishment reminders from the items bought',
    audience: {
      kind: 'segment',
      condition: allOf(
        performed('Order Completed', {
          where: [whereAtLeastOne('products', where('product_id', isEqualTo(EXAMPLE.replenishProductId)))],
        }),
        notPerformed('Order Completed', {
          within: { days: EXAMPLE.replenishDays },
          where: [whereAtLeastOne('products', where('product_id', isEqualTo(EXAMPLE.replenishProductId)))],
        }),
      ),
    },
    liquid: [
      { path: 'customer.first_name', use: 'greeting' },
      { path: 'customer.last_order_at', use: 'when they last ordered anything' },
    ],
  },
  {
    id: 'cart-recovery',
    title: "Cart recovery on the connector's steps",
    seed: 'Step 8: one cart-recovery workflow with clear exit conditions; suppress if Order Completed arrives',
    audience: {
      kind: 'campaign',
      campaign: {
        trigger: onEvent('Checkout Abandoned'),
        goal: onEvent('Order Completed'),
        exit: 'goal',
        messages: [email(), sms()],
      },
    },
    liquid: [
      { path: 'event.recovery_url', use: 'the button: back to their checkout' },
      { path: 'event.products[].name', use: 'line items' },
      { path: 'event.products[].variant_name', use: 'line items' },
      { path: 'event.products[].quantity', use: 'line items' },
      { path: 'event.products[].price', use: 'line items' },
      { path: 'event.products[].image_url', use: 'line items (storefront events only; null from Shopify)' },
      { path: 'event.total', use: 'cart total' },
      { path: 'event.currency', use: 'cart total' },
      { path: 'event.discount_codes', use: '"your code is still applied"' },
      { path: 'event.item_count', use: '"3 items are waiting"' },
      { path: 'event.step', use: 'first or second reminder copy' },
    ],
    latency:
      'Order Completed within minutes, and well before the step delay: a step fires at last activity + its delay and only checks the orders already processed.',
  },
  {
    id: 'cart-recovery-customerio-delays',
    title: "Cart recovery with Customer.io's own delays (alternative)",
    seed: "Step 8 cart recovery, built on Added to Cart and Customer.io delays instead of the connector's steps",
    audience: {
      kind: 'campaign',
      campaign: {
        trigger: onEvent('Added to Cart'),
        filter: noOrderInPastDay,
        goal: onEvent('Order Completed'),
        exit: 'goal-or-filter',
        messages: [email(span(4, 'hours')), sms(span(24, 'hours'))],
      },
    },
    liquid: [
      { path: 'event.product.name', use: 'the product added (the last one only)' },
      { path: 'event.product.image_url', use: 'product image' },
      { path: 'event.product.url', use: 'product page' },
      {
        path: 'event.product.variant_id',
        use: 'cart link `https://{{ event.shop }}/cart/{{ event.product.variant_id }}:1`',
      },
      { path: 'event.value', use: 'price of what was added' },
      { path: 'event.currency', use: 'price of what was added' },
    ],
    latency:
      'Order Completed and the browser merge before the 4-hour delay ends: Customer.io checks the goal and filter when the message is due.',
  },
  {
    id: 'post-purchase-cross-sell',
    title: 'Post-purchase cross-sell',
    seed: 'Step 8: one post-purchase cross-sell workflow with clear exit conditions',
    audience: {
      kind: 'campaign',
      campaign: {
        trigger: onEvent('Order Completed', realOrder),
        goal: onEvent('Order Completed', realOrder),
        exit: 'goal',
        messages: [email(span(14, 'days'))],
      },
    },
    liquid: [
      { path: 'event.order_number', use: '"your order #1017"' },
      { path: 'event.products[].name', use: 'what they bought' },
      { path: 'event.products[].category', use: 'pick complementary categories' },
      { path: 'event.products[].product_id', use: 'exclude what they already have' },
      { path: 'event.discount_codes', use: 'skip the offer if they already used a code' },
      { path: 'event.total', use: 'order value' },
      { path: 'customer.top_categories', use: 'their categories' },
    ],
  },
  {
    id: 'review-request',
    title: 'Review request after fulfilment',
    seed: 'Review request after fulfilment (Order Fulfilled), suppressed if a review was already submitted',
    audience: {
      kind: 'campaign',
      campaign: {
        trigger: onEvent('Order Fulfilled', realOrder),
        filter: anyOf(
          attribute('last_review_rating', doesNotExist()),
          notPerformed('Review Submitted', { within: { days: 30 } }),
        ),
        goal: onEvent('Review Submitted'),
        exit: 'goal-or-filter',
        messages: [email(span(7, 'days'))],
      },
    },
    liquid: [
      { path: 'event.order_number', use: 'which order' },
      { path: 'event.products[].name', use: 'one review link per product' },
      { path: 'event.products[].product_id', use: 'the review-platform link per product' },
      { path: 'event.tracking_urls', use: '"arrived?" check' },
    ],
  },
];
