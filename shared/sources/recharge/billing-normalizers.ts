import { roundMoney } from '../../canonical/common.js';
import type { CanonicalEventDraft } from '../../canonical/events.js';
import type { WebhookEnvelope } from '../../ingest/envelope.js';
import {
  ignored,
  type NormalizeResult,
  normalized,
  parsePayload,
  type TopicNormalizer,
} from '../../normalize/normalizer.js';
import { shippingMethodOf } from '../shipping-method.js';
import { orderCompletedKey } from '../shopify/order-normalizers.js';
import {
  billingPerson,
  blankToNull,
  currencyOrNull,
  lowerStatus,
  platformId,
  rechargeIdentityLinks,
  rechargeTime,
  toRechargeLineItem,
} from './recharge-mappers.js';
import {
  ChargePayloadSchema,
  OrderPayloadSchema,
  type RechargeCharge,
  type RechargeOrder,
} from './recharge-schemas.js';

/** The Shopify order a charge or order produced (2021-11 `external_order_id.ecommerce`, 2021-01 `shopify_order_id`). */
const shopifyOrderId = (document: RechargeCharge | RechargeOrder): string | null =>
  platformId(document.external_order_id, document.shopify_order_id);

const discountCodes = (document: RechargeCharge | RechargeOrder): string[] => [
  ...(document.discount_codes ?? []).map((d) => d.code),
  ...(document.discounts ?? []).flatMap((d) => (d.code ? [d.code] : [])),
];

const orderProperties = (
  document: RechargeCharge | RechargeOrder,
  orderId: string,
  orderNumber: string | null,
  currency: string,
) => {
  const products = document.line_items.map(toRechargeLineItem);
  const codes = discountCodes(document);
  return {
    order_id: orderId,
    order_number: orderNumber,
    checkout_id: null,
    cart_id: null,
    total: document.total_price,
    subtotal: document.subtotal_price,
    tax: document.total_tax,
    shipping: roundMoney((document.shipping_lines ?? []).reduce((sum, line) => sum + line.price, 0)),
    shipping_method: shippingMethodOf(document.shipping_lines),
    discount: document.total_discounts,
    currency,
    presentment_currency: null,
    presentment_total: null,
    discount_codes: codes,
    coupon: codes[0] ?? null,
    products,
    item_count: products.reduce((sum, p) => sum + p.quantity, 0),
    financial_status: 'paid',
    is_test: false,
  };
};

const purchaseTime = (document: RechargeCharge | RechargeOrder): string =>
  rechargeTime(
    document.processed_at ?? document.created_at,
    document.processed_at ? 'processed_at' : 'created_at',
  );

/** Identity links alone, or an ignore with the reason when the delivery names no identifier pair. */
const linksOnly = (document: RechargeCharge | RechargeOrder, reason: string): NormalizeResult => {
  const links = rechargeIdentityLinks(
    billingPerson(document),
    rechargeTime(
      document.updated_at ?? document.created_at,
      document.updated_at ? 'updated_at' : 'created_at',
    ),
  );
  return links.length > 0 ? normalized([], [], links) : ignored(reason);
};

const orderCompleted = (
  document: RechargeCharge | RechargeOrder,
  envelope: WebhookEnvelope,
  key: string,
  orderId: string,
  orderNumber: string | null,
  currency: string,
): NormalizeResult => {
  const event: CanonicalEventDraft = {
    name: 'Order Completed',
    dedupe_key: key,
    source: 'recharge',
    shop: envelope.shop,
    occurred_at: purchaseTime(document),
    person: billingPerson(document),
    properties: orderProperties(document, orderId, orderNumber, currency),
  };
  return normalized([event], [], rechargeIdentityLinks(event.person, event.occurred_at));
};

/**
 * charge/paid: Order Completed under Shopify's key for the Shopify order the charge produced, so it dedupes with
 * Shopify's orders/create and Recharge's order/created. A charge with no Shopify order yet is not emitted
 * (order/created reports that purchase with its order id); neither is a 2021-01 charge, which states no currency.
 */
export const normalizeChargePaid: TopicNormalizer = (payload, envelope) => {
  const charge = parsePayload(ChargePayloadSchema, payload, `recharge ${envelope.topic}`).charge;
  const orderId = shopifyOrderId(charge);
  if (!orderId)
    return linksOnly(charge, 'charge has no Shopify order yet; order/created reports the purchase');
  const currency = currencyOrNull(charge.currency);
  if (!currency) return linksOnly(charge, 'charge states no currency (API 2021-01)');
  return orderCompleted(
    charge,
    envelope,
    orderCompletedKey(envelope.shop, orderId),
    orderId,
    blankToNull(charge.external_order_name?.ecommerce),
    currency,
  );
};

/**
 * order/created: Order Completed for a processed order, keyed on its Shopify order id so it dedupes with Shopify's
 * orders/create and with charge/paid. An order without a Shopify order id is not emitted: the Shopify order may not
 * exist yet, and a Recharge-keyed event would count the purchase twice once Shopify reports it. Queued orders
 * (future shipments of a prepaid subscription) are not purchases and are not emitted either.
 */
export const normalizeOrderCreated: TopicNormalizer = (payload, envelope) => {
  const order = parsePayload(OrderPayloadSchema, payload, `recharge ${envelope.topic}`).order;
  const status = lowerStatus(order.status);
  if (status !== 'success') return linksOnly(order, `order status ${status ?? 'none'} is not a purchase`);
  const shopifyId = shopifyOrderId(order);
  if (!shopifyId) return linksOnly(order, 'order has no Shopify order yet; Shopify orders/create reports it');
  const currency = currencyOrNull(order.currency);
  if (!currency) return linksOnly(order, 'order states no currency (API 2021-01)');
  const orderNumber =
    blankToNull(order.external_order_name?.ecommerce) ??
    (order.shopify_order_number === null || order.shopify_order_number === undefined
      ? null
      : String(order.shopify_order_number));
  return orderCompleted(
    order,
    envelope,
    orderCompletedKey(envelope.shop, shopifyId),
    shopifyId,
    orderNumber,
    currency,
  );
};

const chargeFailed = (
  charge: RechargeCharge,
  envelope: WebhookEnvelope,
  final: boolean,
): CanonicalEventDraft => {
  const at = rechargeTime(
    charge.updated_at ?? charge.processed_at ?? charge.created_at,
    charge.updated_at ? 'updated_at' : charge.processed_at ? 'processed_at' : 'created_at',
  );
  const subscriptionIds = [
    ...new Set(
      charge.line_items.flatMap((item) => {
        const id = item.purchase_item_id ?? item.subscription_id;
        return id ? [id] : [];
      }),
    ),
  ];
  return {
    name: 'Subscription Charge Failed',
    // One event per failed attempt (each moves updated_at) and one for the final give-up.
    dedupe_key: `subscription-charge-failed#${envelope.shop}#${charge.id}#${final ? 'max-retries' : at}`,
    source: 'recharge',
    shop: envelope.shop,
    occurred_at: at,
    person: billingPerson(charge),
    properties: {
      charge_id: charge.id,
      subscription_ids: subscriptionIds,
      status: lowerStatus(charge.status),
      error: blankToNull(charge.error),
      error_type: blankToNull(charge.error_type),
      retry_date: final ? null : blankToNull(charge.retry_date),
      max_retries_reached: final,
      total: charge.total_price,
      currency: currencyOrNull(charge.currency),
      products: charge.line_items.map(toRechargeLineItem),
    },
  };
};

const failedNormalizer =
  (final: boolean): TopicNormalizer =>
  (payload, envelope) => {
    const charge = parsePayload(ChargePayloadSchema, payload, `recharge ${envelope.topic}`).charge;
    const event = chargeFailed(charge, envelope, final);
    return normalized([event], [], rechargeIdentityLinks(event.person, event.occurred_at));
  };

/** charge/failed: Subscription Charge Failed for one failed attempt, with the next retry date. */
export const normalizeChargeFailed: TopicNormalizer = failedNormalizer(false);

/** charge/max_retries_reached: Subscription Charge Failed marking that Recharge stopped retrying. */
export const normalizeChargeMaxRetries: TopicNormalizer = failedNormalizer(true);
