import type { LineItem } from '../../shared/canonical/common.js';
import type { CanonicalEventDraft } from '../../shared/canonical/events.js';

type OrderCompletedDraft = Extract<CanonicalEventDraft, { name: 'Order Completed' }>;

/** The properties of an Order Completed for `total` in `currency`, with the given lines. */
export const orderProperties = (
  orderId: string,
  total: number,
  options: { currency?: string; products?: LineItem[]; orderNumber?: string } = {},
): OrderCompletedDraft['properties'] => {
  const products = options.products ?? [];
  return {
    order_id: orderId,
    order_number: options.orderNumber ?? null,
    checkout_id: null,
    cart_id: null,
    total,
    subtotal: total,
    tax: 0,
    shipping: 0,
    shipping_method: null,
    discount: 0,
    currency: options.currency ?? 'USD',
    presentment_currency: null,
    presentment_total: null,
    discount_codes: [],
    coupon: null,
    products,
    item_count: products.reduce((sum, p) => sum + p.quantity, 0),
    financial_status: 'paid',
    is_test: false,
  };
};

/** An Order Completed draft of the demo shop, as a normalizer would produce it. */
export const orderCompletedDraft = (
  orderId: string,
  total: number,
  person: OrderCompletedDraft['person'],
  overrides: Partial<Omit<OrderCompletedDraft, 'name' | 'properties'>> = {},
): OrderCompletedDraft => ({
  name: 'Order Completed',
  dedupe_key: `order-completed#demo.myshopify.com#${orderId}`,
  source: 'shopify',
  shop: 'demo.myshopify.com',
  occurred_at: '2026-11-01T10:00:00.000Z',
  person,
  properties: orderProperties(orderId, total),
  ...overrides,
});
