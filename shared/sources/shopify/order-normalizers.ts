import type { CanonicalEventDraft } from '../../canonical/events.js';
import type { WebhookEnvelope } from '../../ingest/envelope.js';
import { normalized, parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import { isoTime, orderPerson, orderPersonAttributes, toLineItem } from './shopify-mappers.js';
import { type ShopifyOrder, ShopifyOrderSchema } from './shopify-schemas.js';

/** The one Order Completed per shop and order, whichever topic or source reports it first. */
export const orderCompletedKey = (shop: string, orderId: string): string =>
  `order-completed#${shop}#${orderId}`;

/** Canonical order properties from a Shopify order. */
export const orderProperties = (order: ShopifyOrder) => {
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

const orderCompleted = (order: ShopifyOrder, envelope: WebhookEnvelope): CanonicalEventDraft => ({
  name: 'Order Completed',
  dedupe_key: orderCompletedKey(envelope.shop, order.id),
  source: 'shopify',
  shop: envelope.shop,
  occurred_at: isoTime(order.processed_at ?? order.created_at),
  person: orderPerson(order),
  properties: orderProperties(order),
});

/** orders/create (and orders/paid): one Order Completed plus an identify of the buyer. */
export const normalizeOrderCreated: TopicNormalizer = (payload, envelope) => {
  const order = parsePayload(ShopifyOrderSchema, payload, `shopify ${envelope.topic}`);
  const event = orderCompleted(order, envelope);
  const hasIdentity = event.person.customer_id !== undefined || event.person.email !== undefined;
  const people = hasIdentity
    ? [
        {
          dedupe_key: `identify#${envelope.shop}#order#${order.id}`,
          source: 'shopify' as const,
          shop: envelope.shop,
          occurred_at: isoTime(order.updated_at ?? order.created_at),
          person: event.person,
          attributes: orderPersonAttributes(order, event.person),
        },
      ]
    : [];
  return normalized([event], people);
};
