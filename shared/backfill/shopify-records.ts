import * as z from 'zod';
import { numericId } from '../admin-api/shopify/gid.js';
import {
  GqlAbandonedCheckoutSchema,
  GqlCustomerSchema,
  GqlLineItemSchema,
  GqlOrderSchema,
} from '../admin-api/shopify/graphql-schemas.js';
import type { ReadNode, ShopifyResource } from '../admin-api/shopify/shopify-reader.js';
import {
  checkoutWebhookBody,
  customerWebhookBody,
  orderWebhookBody,
  refundWebhookBodies,
} from '../admin-api/shopify/webhook-shapes.js';
import { isoOrUndefined, type RecordsOf, type SourceRecord } from './source-record.js';

const Lines = z.array(GqlLineItemSchema);

const unreadable = (resource: ShopifyResource, node: Record<string, unknown>, reason: string): RecordsOf => ({
  unreadable: {
    source: 'shopify',
    resource,
    ...(typeof node.id === 'string' ? { id: node.id.slice(0, 100) } : {}),
    reason: reason.slice(0, 300),
  },
});

/** The records one order reports: its creation, its cancellation, its fulfilment and each refund. */
const orderRecords = (read: ReadNode): RecordsOf => {
  const order = GqlOrderSchema.safeParse(read.node);
  const lines = Lines.safeParse(read.lines);
  if (!order.success) return unreadable('orders', read.node, z.prettifyError(order.error));
  if (!lines.success) return unreadable('orders', read.node, `line items: ${z.prettifyError(lines.error)}`);
  const full = { ...order.data, lineItems: lines.data };
  const body = orderWebhookBody(full);
  const createdAt = isoOrUndefined(full.processedAt ?? full.createdAt) ?? full.createdAt;
  const records: SourceRecord[] = [
    { source: 'shopify', topic: 'orders/create', id: body.id, occurredAt: createdAt, body },
  ];
  const cancelledAt = isoOrUndefined(full.cancelledAt);
  if (cancelledAt) {
    records.push({
      source: 'shopify',
      topic: 'orders/cancelled',
      id: body.id,
      occurredAt: cancelledAt,
      body,
    });
  }
  if (body.fulfillment_status === 'fulfilled') {
    const shippedAt =
      body.fulfillments
        .map((f) => isoOrUndefined(f.created_at))
        .filter((t): t is string => t !== undefined)
        .sort()
        .at(-1) ?? createdAt;
    records.push({ source: 'shopify', topic: 'orders/fulfilled', id: body.id, occurredAt: shippedAt, body });
  }
  for (const refund of refundWebhookBodies(full)) {
    records.push({
      source: 'shopify',
      topic: 'refunds/create',
      id: refund.id,
      occurredAt: isoOrUndefined(refund.created_at) ?? createdAt,
      body: refund,
    });
  }
  return { records };
};

/** A customer's record: its state now, as customers/update reports it (with its marketing consent). */
const customerRecords = (read: ReadNode): RecordsOf => {
  const customer = GqlCustomerSchema.safeParse(read.node);
  if (!customer.success) return unreadable('customers', read.node, z.prettifyError(customer.error));
  const body = customerWebhookBody(customer.data);
  const version = isoOrUndefined(customer.data.updatedAt ?? customer.data.createdAt);
  return {
    records: [
      {
        source: 'shopify',
        topic: 'customers/update',
        id: body.id,
        ...(version ? { version } : {}),
        occurredAt: version ?? new Date(0).toISOString(),
        body,
      },
    ],
  };
};

/**
 * An abandoned checkout's record (checkouts/update: cart activity for recovery, no Checkout Started, whose key
 * needs the checkout token GraphQL does not expose). Completed checkouts and checkouts without a way to reach the
 * shopper are not carts to recover: no record.
 */
const checkoutRecords = (shop: string, read: ReadNode): RecordsOf => {
  const checkout = GqlAbandonedCheckoutSchema.safeParse(read.node);
  const lines = Lines.safeParse(read.lines);
  if (!checkout.success) return unreadable('abandonedCheckouts', read.node, z.prettifyError(checkout.error));
  if (!lines.success) return unreadable('abandonedCheckouts', read.node, z.prettifyError(lines.error));
  if (checkout.data.completedAt) return { records: [] };
  const body = checkoutWebhookBody({ ...checkout.data, lineItems: lines.data });
  if (!body) return unreadable('abandonedCheckouts', read.node, 'recovery URL names no cart token');
  if (!body.email && !body.phone && !body.customer) return { records: [] };
  const version =
    isoOrUndefined(checkout.data.updatedAt ?? checkout.data.createdAt) ?? checkout.data.createdAt;
  return {
    records: [
      {
        source: 'shopify',
        topic: 'checkouts/update',
        id: numericId(checkout.data.id, 'AbandonedCheckout') ?? body.token,
        version,
        occurredAt: version,
        body,
        seenAs: cartItem(shop, body.cart_token),
      },
    ],
  };
};

/**
 * The cart item cart recovery keeps for a cart token (DynamoCartStore: pk `cart#<shop>#<cart token>`, sk `cart`):
 * its presence means the connector saw the checkout's cart.
 */
const cartItem = (shop: string, cartToken: string) => ({ pk: `cart#${shop}#${cartToken}`, sk: 'cart' });

/** The records a Shopify node reports, by the resource it was read from. */
export const shopifyRecords = (shop: string, resource: ShopifyResource, read: ReadNode): RecordsOf => {
  try {
    if (resource === 'orders') return orderRecords(read);
    if (resource === 'customers') return customerRecords(read);
    return checkoutRecords(shop, read);
  } catch (error) {
    return unreadable(resource, read.node, error instanceof Error ? error.message : String(error));
  }
};
