import { shopifySampleObject } from './shopify-envelope.js';

/** Options of a generated order. */
interface BigOrderOptions {
  /** Title of every line (default `Product <n>`). */
  readonly title?: (index: number) => string;
  /** The order id (default: the sample's). */
  readonly orderId?: string;
  /** The buyer's Shopify customer id (default: the sample's). */
  readonly customerId?: string;
}

/** What a generated order must come out as. */
export interface BigOrder {
  readonly body: string;
  readonly total: number;
  readonly itemCount: number;
  readonly lines: number;
}

/**
 * The published orders/create sample with `lines` line items of a realistic shape (title, variant, vendor, type,
 * SKU, discount), a consistent total and `test: false`: a live order of any size.
 */
export const bigShopifyOrder = (lines: number, options: BigOrderOptions = {}): BigOrder => {
  const order = shopifySampleObject('orders-create.json');
  const [template] = order.line_items as Record<string, unknown>[];
  let cents = 0;
  let itemCount = 0;
  const lineItems = Array.from({ length: lines }, (_, i) => {
    const quantity = 1 + (i % 3);
    const priceCents = 1250 + (i % 40) * 25;
    cents += quantity * priceCents;
    itemCount += quantity;
    return {
      ...template,
      id: String(900000000000000000n + BigInt(i)),
      product_id: String(700000000000000000n + BigInt(i % 500)),
      variant_id: String(800000000000000000n + BigInt(i)),
      title: options.title?.(i) ?? `Product ${i} (organic cotton tee)`,
      name: `Product ${i} - Large / Forest green`,
      variant_title: 'Large / Forest green',
      vendor: 'Snowdevil Outfitters',
      product_type: `Category ${i % 7}`,
      sku: `SKU-${String(i).padStart(6, '0')}`,
      quantity,
      price: (priceCents / 100).toFixed(2),
      total_discount: '0.50',
    };
  });
  const total = cents / 100;
  const body = JSON.stringify({
    ...order,
    line_items: lineItems,
    total_price: total.toFixed(2),
    subtotal_price: total.toFixed(2),
    total_tax: '0.00',
    total_discounts: '0.00',
    test: false,
    cancelled_at: null,
    cancel_reason: null,
    ...(options.orderId === undefined ? {} : { id: options.orderId }),
    ...(options.customerId === undefined
      ? {}
      : { customer: { ...(order.customer as Record<string, unknown>), id: options.customerId } }),
  });
  return { body, total, itemCount, lines };
};
