import type { PersonRef } from '../../canonical/common.js';
import type { CanonicalEventDraft } from '../../canonical/events.js';
import type { PersonUpdate } from '../../canonical/person.js';
import type { WebhookEnvelope } from '../../ingest/envelope.js';
import { normalized, parsePayload, type Signal, type TopicNormalizer } from '../../normalize/normalizer.js';
import { acquisitionOf } from '../../people/acquisition.js';
import { orderTouch } from '../../people/acquisition-signal.js';
import { shippingMethodOf } from '../shipping-method.js';
import {
  isoTime,
  orderIdentityLink,
  orderPerson,
  orderPersonAttributes,
  toLineItem,
} from './shopify-mappers.js';
import { type ShopifyOrder, ShopifyOrderSchema } from './shopify-schemas.js';

/** The one Order Completed per shop and order, whichever topic or source reports it first. */
export const orderCompletedKey = (shop: string, orderId: string): string =>
  `order-completed#${shop}#${orderId}`;

/** The one Order Cancelled per shop and order (an order can be cancelled once). */
const orderCancelledKey = (shop: string, orderId: string): string => `order-cancelled#${shop}#${orderId}`;

/** The one Order Fulfilled per shop and order (orders/fulfilled fires when the last item ships). */
const orderFulfilledKey = (shop: string, orderId: string): string => `order-fulfilled#${shop}#${orderId}`;

/** Canonical order properties from a Shopify order. */
const orderProperties = (order: ShopifyOrder) => {
  const products = order.line_items.map(toLineItem);
  const codes = (order.discount_codes ?? []).map((d) => d.code);
  return {
    order_id: order.id,
    order_number:
      order.name ??
      (order.order_number === null || order.order_number === undefined ? null : String(order.order_number)),
    checkout_id: order.checkout_token ?? null,
    cart_id: order.cart_token ?? null,
    total: order.total_price,
    subtotal: order.subtotal_price,
    tax: order.total_tax,
    shipping: order.total_shipping_price_set?.shop_money.amount ?? 0,
    shipping_method: shippingMethodOf(order.shipping_lines),
    discount: order.total_discounts,
    currency: order.currency,
    presentment_currency: order.presentment_currency ?? null,
    presentment_total: order.total_price_set?.presentment_money?.amount ?? null,
    discount_codes: codes,
    coupon: codes[0] ?? null,
    products,
    item_count: products.reduce((sum, p) => sum + p.quantity, 0),
    financial_status: order.financial_status ?? null,
    is_test: order.test ?? false,
  };
};

const hasIdentity = (person: PersonRef): boolean =>
  person.customer_id !== undefined || person.email !== undefined;

/**
 * The buyer's attributes as the order states them. Dated by when the order was placed, not its `updated_at`: an
 * order edited weeks later (a shipment, a tag) still states the address and phone given at checkout, and must not
 * win over a newer change to the customer.
 */
const orderIdentify = (
  order: ShopifyOrder,
  envelope: WebhookEnvelope,
  dedupeKey: string,
  person: PersonRef,
): PersonUpdate[] => {
  if (!hasIdentity(person)) return [];
  return [
    {
      dedupe_key: dedupeKey,
      source: 'shopify',
      shop: envelope.shop,
      occurred_at: isoTime(order.processed_at ?? order.created_at),
      person,
      attributes: orderPersonAttributes(order, person),
    },
  ];
};

const linkSignals = (order: ShopifyOrder, person: PersonRef): Signal[] => {
  const link = orderIdentityLink(order, person);
  return Object.keys(link.identifiers).length > 0 ? [link] : [];
};

const parseOrder = (payload: unknown, envelope: WebhookEnvelope): ShopifyOrder =>
  parsePayload(ShopifyOrderSchema, payload, `shopify ${envelope.topic}`);

/**
 * Where the buyer came from, as the order states it: a first-touch candidate (test orders are not one). A web
 * order with no landing page states nothing; another channel (`pos`, a draft order) is its own source.
 */
const touchSignals = (order: ShopifyOrder, person: PersonRef): Signal[] => {
  if (order.test) return [];
  if (!hasIdentity(person)) return [];
  const channel = order.source_name && order.source_name !== 'web' ? order.source_name : undefined;
  const attributes = acquisitionOf(order.landing_site, order.referring_site, channel);
  return attributes
    ? [orderTouch(order.id, person, attributes, isoTime(order.processed_at ?? order.created_at))]
    : [];
};

/** orders/create (and orders/paid): one Order Completed plus an identify of the buyer. */
export const normalizeOrderCreated: TopicNormalizer = (payload, envelope, context = {}) => {
  const order = parseOrder(payload, envelope);
  // Phone parsing is the costliest step of the mapping: read the person once per delivery.
  const person = orderPerson(order, context.phoneCountry);
  const event: CanonicalEventDraft = {
    name: 'Order Completed',
    dedupe_key: orderCompletedKey(envelope.shop, order.id),
    source: 'shopify',
    shop: envelope.shop,
    occurred_at: isoTime(order.processed_at ?? order.created_at),
    person,
    properties: orderProperties(order),
  };
  const people = orderIdentify(order, envelope, `identify#${envelope.shop}#order#${order.id}`, person);
  return normalized([event], people, [...linkSignals(order, person), ...touchSignals(order, person)]);
};

/**
 * orders/updated: no event, only an identify of the buyer and an identity link. The topic fires for every edit
 * (tags, notes, payment capture, each fulfillment, refunds, the creation itself) and a stateless normalizer cannot
 * tell which field changed, so an `Order Updated` event would mostly be noise; the changes a marketer acts on have
 * their own topics and events. The identify is keyed on updated_at: a retry is a duplicate, a new edit is not.
 */
export const normalizeOrderUpdated: TopicNormalizer = (payload, envelope, context = {}) => {
  const order = parseOrder(payload, envelope);
  const person = orderPerson(order, context.phoneCountry);
  const version = isoTime(order.updated_at ?? order.created_at);
  const people = orderIdentify(
    order,
    envelope,
    `identify#${envelope.shop}#order#${order.id}#${version}`,
    person,
  );
  return normalized([], people, linkSignals(order, person));
};

/** orders/cancelled: one Order Cancelled with Shopify's cancel reason. */
export const normalizeOrderCancelled: TopicNormalizer = (payload, envelope, context = {}) => {
  const order = parseOrder(payload, envelope);
  const person = orderPerson(order, context.phoneCountry);
  const cancelledAt = order.cancelled_at ? isoTime(order.cancelled_at) : null;
  const event: CanonicalEventDraft = {
    name: 'Order Cancelled',
    dedupe_key: orderCancelledKey(envelope.shop, order.id),
    source: 'shopify',
    shop: envelope.shop,
    occurred_at: cancelledAt ?? isoTime(order.updated_at ?? order.created_at),
    person,
    properties: {
      ...orderProperties(order),
      cancel_reason: order.cancel_reason ?? null,
      cancelled_at: cancelledAt,
    },
  };
  return normalized([event], [], linkSignals(order, person));
};

const unique = (values: readonly (string | null | undefined)[]): string[] => [
  ...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0)),
];

/** orders/fulfilled: one Order Fulfilled with every shipment's tracking numbers and links. */
export const normalizeOrderFulfilled: TopicNormalizer = (payload, envelope, context = {}) => {
  const order = parseOrder(payload, envelope);
  const person = orderPerson(order, context.phoneCountry);
  const fulfillments = (order.fulfillments ?? []).filter((f) => f.status !== 'cancelled');
  const shipments = fulfillments.map((f) => ({
    fulfillment_id: f.id,
    status: f.status ?? null,
    tracking_company: f.tracking_company ?? null,
    tracking_numbers: unique([...(f.tracking_numbers ?? []), f.tracking_number]),
    tracking_urls: unique([...(f.tracking_urls ?? []), f.tracking_url]),
  }));
  const shippedAt = fulfillments
    .map((f) => f.created_at)
    .filter((t): t is string => typeof t === 'string')
    .map(isoTime)
    .sort()
    .at(-1);
  const event: CanonicalEventDraft = {
    name: 'Order Fulfilled',
    dedupe_key: orderFulfilledKey(envelope.shop, order.id),
    source: 'shopify',
    shop: envelope.shop,
    occurred_at: shippedAt ?? isoTime(order.updated_at ?? order.created_at),
    person,
    properties: {
      ...orderProperties(order),
      fulfillment_status: order.fulfillment_status ?? null,
      tracking_numbers: unique(shipments.flatMap((s) => s.tracking_numbers)),
      tracking_urls: unique(shipments.flatMap((s) => s.tracking_urls)),
      shipments,
    },
  };
  return normalized([event], [], linkSignals(order, person));
};
