import type {
  GqlAbandonedCheckout,
  GqlCustomer,
  GqlLineItem,
  GqlOrder,
} from '../../shared/admin-api/shopify/graphql-schemas.js';

/*
 * Builders of the objects the fake shop serves, in the GraphQL Admin API shape (API 2026-07) and Recharge's and
 * Judge.me's API shapes. Used by the local demo's seed and by the tests.
 */

const money = (amount: number, currencyCode = 'USD') => ({
  shopMoney: { amount: amount.toFixed(2), currencyCode },
  presentmentMoney: { amount: amount.toFixed(2), currencyCode },
});

/** A customer with email (and optionally phone) consent. */
export const fakeCustomer = (fields: {
  id: number;
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  emailState?: string;
  smsState?: string;
  createdAt?: string;
  updatedAt: string;
  country?: string;
}): GqlCustomer => ({
  id: `gid://shopify/Customer/${fields.id}`,
  firstName: fields.firstName ?? null,
  lastName: fields.lastName ?? null,
  locale: 'en',
  createdAt: fields.createdAt ?? fields.updatedAt,
  updatedAt: fields.updatedAt,
  defaultEmailAddress: {
    emailAddress: fields.email,
    marketingState: fields.emailState ?? 'SUBSCRIBED',
    marketingOptInLevel: 'SINGLE_OPT_IN',
    marketingUpdatedAt: fields.createdAt ?? fields.updatedAt,
  },
  defaultPhoneNumber: fields.phone
    ? {
        phoneNumber: fields.phone,
        marketingState: fields.smsState ?? 'NOT_SUBSCRIBED',
        marketingOptInLevel: null,
        marketingUpdatedAt: null,
      }
    : null,
  defaultAddress: { city: 'Ottawa', countryCodeV2: fields.country ?? 'CA' },
});

/** A line item of `quantity` × `price` in product type `category`. */
export const fakeLine = (id: number, price: number, quantity = 1, category = 'Coffee'): GqlLineItem => ({
  id: `gid://shopify/LineItem/${id}`,
  sku: `SKU-${id}`,
  name: `${category} ${id}`,
  title: `${category} ${id}`,
  variantTitle: null,
  vendor: 'Demo Roasters',
  quantity,
  product: { id: `gid://shopify/Product/${1000 + (id % 7)}`, productType: category },
  variant: { id: `gid://shopify/ProductVariant/${2000 + (id % 7)}` },
  originalUnitPriceSet: money(price),
  totalDiscountSet: money(0),
});

/** An order served by the fake shop: the GraphQL order and its line items. */
export interface FakeOrder {
  readonly order: GqlOrder;
  readonly lines: readonly GqlLineItem[];
}

/** An order of `customer` with `lines`, optionally cancelled or refunded. */
export const fakeOrder = (fields: {
  id: number;
  customer: GqlCustomer;
  lines: readonly GqlLineItem[];
  createdAt: string;
  updatedAt?: string;
  cancelledAt?: string;
  refunds?: readonly { id: number; amount: number; createdAt: string }[];
  test?: boolean;
}): FakeOrder => {
  const total = fields.lines.reduce(
    (sum, line) => sum + Number(line.originalUnitPriceSet.shopMoney.amount) * line.quantity,
    0,
  );
  return {
    order: {
      id: `gid://shopify/Order/${fields.id}`,
      name: `#${fields.id}`,
      email: fields.customer.defaultEmailAddress?.emailAddress ?? null,
      phone: null,
      createdAt: fields.createdAt,
      processedAt: fields.createdAt,
      updatedAt:
        fields.updatedAt ?? fields.cancelledAt ?? fields.refunds?.at(-1)?.createdAt ?? fields.createdAt,
      cancelledAt: fields.cancelledAt ?? null,
      cancelReason: fields.cancelledAt ? 'CUSTOMER' : null,
      currencyCode: 'USD',
      presentmentCurrencyCode: 'USD',
      totalPriceSet: money(total),
      subtotalPriceSet: money(total),
      totalTaxSet: money(0),
      totalDiscountsSet: money(0),
      totalShippingPriceSet: money(0),
      discountCodes: [],
      displayFinancialStatus: fields.refunds?.length ? 'PARTIALLY_REFUNDED' : 'PAID',
      displayFulfillmentStatus: 'UNFULFILLED',
      test: fields.test ?? false,
      sourceName: 'web',
      customerLocale: 'en',
      cartToken: `cart${fields.id}`,
      checkoutToken: `checkout${fields.id}`,
      customerJourneySummary: null,
      shippingLine: { title: 'Standard', code: 'standard' },
      shippingAddress: { city: 'Ottawa', countryCodeV2: 'CA' },
      customer: fields.customer,
      refunds: (fields.refunds ?? []).map((r) => ({
        id: `gid://shopify/Refund/${r.id}`,
        createdAt: r.createdAt,
        note: null,
        totalRefundedSet: money(r.amount),
      })),
      fulfillments: [],
    },
    lines: fields.lines,
  };
};

/** An abandoned checkout served by the fake shop. */
export interface FakeCheckout {
  readonly checkout: GqlAbandonedCheckout;
  readonly lines: readonly GqlLineItem[];
}

/** An abandoned (not completed) checkout of `customer` whose recovery URL names `cartToken`. */
export const fakeCheckout = (fields: {
  id: number;
  shop: string;
  cartToken: string;
  customer: GqlCustomer;
  lines: readonly GqlLineItem[];
  updatedAt: string;
}): FakeCheckout => {
  const total = fields.lines.reduce(
    (sum, line) => sum + Number(line.originalUnitPriceSet.shopMoney.amount) * line.quantity,
    0,
  );
  return {
    checkout: {
      id: `gid://shopify/AbandonedCheckout/${fields.id}`,
      createdAt: fields.updatedAt,
      updatedAt: fields.updatedAt,
      completedAt: null,
      abandonedCheckoutUrl: `https://${fields.shop}/1/checkouts/ac/${fields.cartToken}/recover?key=demo`,
      discountCodes: [],
      customer: fields.customer,
      totalPriceSet: money(total),
      subtotalPriceSet: money(total),
      totalTaxSet: money(0),
      totalDiscountSet: money(0),
      shippingAddress: null,
      billingAddress: null,
    },
    lines: fields.lines,
  };
};

/** A Recharge (2021-11) customer linked to a Shopify customer. */
export const fakeRechargeCustomer = (fields: {
  id: number;
  shopifyId: number;
  email: string;
  updatedAt: string;
}) => ({
  id: fields.id,
  email: fields.email,
  first_name: 'Sub',
  last_name: 'Scriber',
  external_customer_id: { ecommerce: String(fields.shopifyId) },
  created_at: fields.updatedAt,
  updated_at: fields.updatedAt,
});

/** A Recharge (2021-11) subscription: as its list returns it, naming only the Recharge customer. */
export const fakeSubscription = (fields: {
  id: number;
  customerId: number;
  createdAt: string;
  updatedAt?: string;
  cancelledAt?: string;
}) => ({
  id: fields.id,
  customer_id: fields.customerId,
  address_id: 1,
  status: fields.cancelledAt ? 'cancelled' : 'active',
  product_title: 'Coffee subscription',
  variant_title: '1 kg',
  sku: 'SUB-1',
  price: '25.00',
  quantity: 1,
  presentment_currency: 'USD',
  external_product_id: { ecommerce: '1001' },
  external_variant_id: { ecommerce: '2001' },
  order_interval_frequency: 1,
  order_interval_unit: 'month',
  charge_interval_frequency: 1,
  next_charge_scheduled_at: null,
  cancelled_at: fields.cancelledAt ?? null,
  cancellation_reason: fields.cancelledAt ? 'too much coffee' : null,
  created_at: fields.createdAt,
  updated_at: fields.updatedAt ?? fields.cancelledAt ?? fields.createdAt,
});

/** A successful Recharge (2021-11) charge that produced Shopify order `shopifyOrderId`. */
export const fakeCharge = (fields: {
  id: number;
  customer: { id: number; email: string; shopifyId: number };
  shopifyOrderId: number;
  total: number;
  processedAt: string;
}) => ({
  id: fields.id,
  status: 'success',
  customer: {
    id: fields.customer.id,
    email: fields.customer.email,
    external_customer_id: { ecommerce: String(fields.customer.shopifyId) },
  },
  external_order_id: { ecommerce: String(fields.shopifyOrderId) },
  external_order_name: { ecommerce: `#${fields.shopifyOrderId}` },
  currency: 'USD',
  total_price: fields.total.toFixed(2),
  subtotal_price: fields.total.toFixed(2),
  total_tax: '0.00',
  total_discounts: '0.00',
  line_items: [
    { purchase_item_id: 1, title: 'Coffee subscription', quantity: 1, unit_price: fields.total.toFixed(2) },
  ],
  created_at: fields.processedAt,
  processed_at: fields.processedAt,
  updated_at: fields.processedAt,
});

/** A Judge.me review by `email`. */
export const fakeReview = (fields: {
  id: number;
  email: string;
  rating: number;
  createdAt: string;
  productId?: number;
}) => ({
  id: fields.id,
  title: 'Great coffee',
  body: 'Would buy again',
  rating: fields.rating,
  product_external_id: fields.productId ?? 1001,
  product_title: 'Coffee',
  reviewer: { email: fields.email, name: 'A reviewer' },
  verified: 'buyer',
  published: true,
  hidden: false,
  created_at: fields.createdAt,
});
