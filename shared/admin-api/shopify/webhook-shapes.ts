import { numericId } from './gid.js';
import type { GqlCheckoutWithLines, GqlCustomer, GqlLineItem, GqlOrderWithLines } from './graphql-schemas.js';

/*
 * GraphQL Admin API objects rewritten in the REST shape Shopify's webhooks deliver, so backfilled and reconciled
 * records go through the very normalizers live webhooks do and get the same business keys. Ids become the numeric
 * ids webhooks carry (gid://shopify/Order/123 → "123"); enums become the lower-case words webhooks send.
 */

/** A GraphQL object that cannot be written as a webhook body (an id that is not a Shopify id of its type). */
export class UnmappableRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnmappableRecordError';
  }
}

const idOf = (gid: string, type: string): string => {
  const id = numericId(gid, type);
  if (id === undefined) throw new UnmappableRecordError(`not a ${type} id: ${gid.slice(0, 80)}`);
  return id;
};

const optionalId = (gid: string | null | undefined, type: string): string | null =>
  gid ? (numericId(gid, type) ?? null) : null;

const lower = (value: string | null | undefined): string | null => (value ? value.toLowerCase() : null);

type Money = { amount: string; currencyCode: string };
type Bag = { shopMoney: Money; presentmentMoney?: Money | null } | null | undefined;

const amount = (bag: Bag): string | null => bag?.shopMoney.amount ?? null;

const moneySet = (bag: Bag) =>
  bag
    ? {
        shop_money: { amount: bag.shopMoney.amount, currency_code: bag.shopMoney.currencyCode },
        ...(bag.presentmentMoney
          ? {
              presentment_money: {
                amount: bag.presentmentMoney.amount,
                currency_code: bag.presentmentMoney.currencyCode,
              },
            }
          : {}),
      }
    : null;

const address = (value: { city?: string | null; countryCodeV2?: string | null } | null | undefined) =>
  value ? { city: value.city ?? null, country_code: value.countryCodeV2 ?? null } : null;

/** A line item as orders/create and checkouts/* carry it (with the product type, which webhooks omit). */
const lineItem = (line: GqlLineItem) => ({
  id: numericId(line.id, 'LineItem') ?? numericId(line.id, 'AbandonedCheckoutLineItem') ?? null,
  product_id: optionalId(line.product?.id, 'Product'),
  variant_id: optionalId(line.variant?.id, 'ProductVariant'),
  sku: line.sku ?? null,
  title: line.title ?? line.name ?? null,
  name: line.name ?? null,
  variant_title: line.variantTitle ?? null,
  vendor: line.vendor ?? null,
  product_type: line.product?.productType ?? null,
  quantity: line.quantity,
  price: line.originalUnitPriceSet.shopMoney.amount,
  total_discount: amount(line.totalDiscountSet) ?? '0.00',
});

/** The customer object orders and checkouts embed. */
const embeddedCustomer = (customer: GqlCustomer) => ({
  id: idOf(customer.id, 'Customer'),
  email: customer.defaultEmailAddress?.emailAddress ?? null,
  first_name: customer.firstName ?? null,
  last_name: customer.lastName ?? null,
  phone: customer.defaultPhoneNumber?.phoneNumber ?? null,
  created_at: customer.createdAt ?? null,
  default_address: address(customer.defaultAddress),
});

/** Webhooks say `fulfilled`, `partial` or null where GraphQL says FULFILLED, PARTIALLY_FULFILLED, UNFULFILLED. */
const fulfillmentStatus = (status: string | null | undefined): string | null => {
  if (!status || status === 'UNFULFILLED') return null;
  if (status === 'PARTIALLY_FULFILLED') return 'partial';
  return status.toLowerCase();
};

/** An order as orders/create, orders/cancelled and orders/fulfilled deliver it. */
export const orderWebhookBody = (order: GqlOrderWithLines) => ({
  id: idOf(order.id, 'Order'),
  name: order.name ?? null,
  email: order.email ?? null,
  phone: order.phone ?? null,
  customer: order.customer ? embeddedCustomer(order.customer) : null,
  cart_token: order.cartToken ?? null,
  checkout_token: order.checkoutToken ?? null,
  currency: order.currencyCode,
  presentment_currency: order.presentmentCurrencyCode ?? null,
  total_price: order.totalPriceSet.shopMoney.amount,
  subtotal_price: amount(order.subtotalPriceSet),
  total_tax: amount(order.totalTaxSet),
  total_discounts: amount(order.totalDiscountsSet),
  total_price_set: moneySet(order.totalPriceSet),
  total_shipping_price_set: moneySet(order.totalShippingPriceSet),
  shipping_lines: order.shippingLine
    ? [{ title: order.shippingLine.title ?? null, code: order.shippingLine.code ?? null }]
    : [],
  discount_codes: (order.discountCodes ?? []).map((code) => ({ code })),
  line_items: order.lineItems.map(lineItem),
  financial_status: lower(order.displayFinancialStatus),
  test: order.test ?? false,
  landing_site: order.customerJourneySummary?.firstVisit?.landingPage ?? null,
  referring_site: order.customerJourneySummary?.firstVisit?.referrerUrl ?? null,
  source_name: order.sourceName ?? null,
  customer_locale: order.customerLocale ?? null,
  created_at: order.createdAt,
  processed_at: order.processedAt ?? null,
  updated_at: order.updatedAt ?? null,
  cancelled_at: order.cancelledAt ?? null,
  cancel_reason: lower(order.cancelReason),
  fulfillment_status: fulfillmentStatus(order.displayFulfillmentStatus),
  fulfillments: (order.fulfillments ?? []).map((f) => ({
    id: idOf(f.id, 'Fulfillment'),
    status: lower(f.status),
    created_at: f.createdAt ?? null,
    tracking_company: f.trackingInfo?.[0]?.company ?? null,
    tracking_numbers: (f.trackingInfo ?? []).flatMap((t) => (t.number ? [t.number] : [])),
    tracking_urls: (f.trackingInfo ?? []).flatMap((t) => (t.url ? [t.url] : [])),
  })),
  shipping_address: address(order.shippingAddress),
});

/**
 * Each refund of an order as refunds/create delivers it. Only the amount Shopify reports refunded is carried, as one
 * successful refund transaction: rollups need the money, not the refunded lines (the event lists no products).
 */
export const refundWebhookBodies = (order: GqlOrderWithLines) =>
  (order.refunds ?? []).map((refund) => ({
    id: idOf(refund.id, 'Refund'),
    order_id: idOf(order.id, 'Order'),
    created_at: refund.createdAt,
    processed_at: refund.createdAt,
    note: refund.note ?? null,
    restock: false,
    refund_line_items: [],
    transactions: [
      {
        id: idOf(refund.id, 'Refund'),
        kind: 'refund',
        status: 'success',
        amount: refund.totalRefundedSet.shopMoney.amount,
        currency: refund.totalRefundedSet.shopMoney.currencyCode,
      },
    ],
  }));

const consent = (
  value:
    | {
        marketingState?: string | null;
        marketingOptInLevel?: string | null;
        marketingUpdatedAt?: string | null;
      }
    | null
    | undefined,
) =>
  value?.marketingState
    ? {
        state: value.marketingState.toLowerCase(),
        opt_in_level: lower(value.marketingOptInLevel),
        consent_updated_at: value.marketingUpdatedAt ?? null,
      }
    : undefined;

/** A customer as customers/update delivers it, with its email and SMS marketing consent (API 2025-04+ fields). */
export const customerWebhookBody = (customer: GqlCustomer) => ({
  id: idOf(customer.id, 'Customer'),
  email: customer.defaultEmailAddress?.emailAddress ?? null,
  phone: customer.defaultPhoneNumber?.phoneNumber ?? null,
  first_name: customer.firstName ?? null,
  last_name: customer.lastName ?? null,
  locale: customer.locale ?? null,
  created_at: customer.createdAt ?? null,
  updated_at: customer.updatedAt ?? null,
  default_address: address(customer.defaultAddress),
  email_marketing_consent: consent(customer.defaultEmailAddress),
  sms_marketing_consent: consent(customer.defaultPhoneNumber),
});

/**
 * The cart token in an abandoned checkout's recovery URL (`…/checkouts/ac/<cart token>/recover?key=…`), as captured
 * checkouts/* webhooks show it. Undefined for a URL of another form.
 */
export const cartTokenOfRecoveryUrl = (url: string): string | undefined => {
  if (!URL.canParse(url)) return undefined;
  const segments = new URL(url).pathname.split('/');
  const at = segments.indexOf('ac');
  const token = at > 0 && segments[at - 1] === 'checkouts' ? segments[at + 1] : undefined;
  return token && /^[A-Za-z0-9_-]{8,200}$/.test(token) ? token : undefined;
};

/**
 * An abandoned checkout as checkouts/update delivers it. GraphQL does not expose the checkout token, so the token is
 * `ac-<checkout id>` (stable per checkout) and the cart is named by the token in the recovery URL, the key cart
 * recovery files the checkout's cart under. Undefined when the URL names no cart.
 */
export const checkoutWebhookBody = (checkout: GqlCheckoutWithLines) => {
  const cartToken = cartTokenOfRecoveryUrl(checkout.abandonedCheckoutUrl);
  if (cartToken === undefined) return undefined;
  return {
    id: idOf(checkout.id, 'AbandonedCheckout'),
    token: `ac-${idOf(checkout.id, 'AbandonedCheckout')}`,
    cart_token: cartToken,
    email: checkout.customer?.defaultEmailAddress?.emailAddress ?? null,
    phone: checkout.customer?.defaultPhoneNumber?.phoneNumber ?? null,
    customer: checkout.customer ? embeddedCustomer(checkout.customer) : null,
    line_items: checkout.lineItems.map(lineItem),
    abandoned_checkout_url: checkout.abandonedCheckoutUrl,
    currency: checkout.totalPriceSet.shopMoney.currencyCode,
    total_price: checkout.totalPriceSet.shopMoney.amount,
    subtotal_price: amount(checkout.subtotalPriceSet),
    total_tax: amount(checkout.totalTaxSet),
    total_discounts: amount(checkout.totalDiscountSet),
    discount_codes: (checkout.discountCodes ?? []).map((code) => ({ code })),
    completed_at: checkout.completedAt ?? null,
    created_at: checkout.createdAt,
    updated_at: checkout.updatedAt ?? null,
    shipping_address: address(checkout.shippingAddress),
    billing_address: address(checkout.billingAddress),
  };
};
