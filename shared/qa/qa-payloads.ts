/**
 * Payloads of the QA scenarios, shaped like the platforms' own (the fields the connector reads), for marked test
 * people: `qa+<run>-<scenario>@example.com`, customer ids from the run, every Shopify order `test: true`, so real
 * journeys and revenue rollups (which leave test orders out) are not touched.
 */

type Json = Record<string, unknown>;

/** A QA shopper: a Shopify customer with a marked email. */
export interface QaShopper {
  readonly customerId: string;
  readonly email: string;
  readonly firstName: string;
}

/** A product the scenarios sell. */
export interface QaProduct {
  readonly productId: string;
  readonly variantId: string;
  readonly title: string;
  readonly price: number;
}

/** The one product of the QA shop (its name may be anything a merchant types, markup included). */
export const qaProduct = (title = 'QA mug'): QaProduct => ({
  productId: '7000000000001',
  variantId: '47000000000001',
  title,
  price: 25,
});

const money = (n: number): string => n.toFixed(2);
const iso = (at: Date): string => at.toISOString();

const customer = (shopper: QaShopper, at: Date): Json => ({
  id: shopper.customerId,
  email: shopper.email,
  first_name: shopper.firstName,
  last_name: 'QA',
  phone: null,
  created_at: iso(at),
  updated_at: iso(at),
  default_address: { city: 'Testville', country_code: 'US' },
});

const line = (product: QaProduct, quantity: number, id: string): Json => ({
  id,
  product_id: product.productId,
  variant_id: product.variantId,
  sku: `QA-${product.productId}`,
  title: product.title,
  name: product.title,
  vendor: 'QA',
  product_type: 'QA',
  quantity,
  price: money(product.price),
  total_discount: '0.00',
  discount_allocations: [],
});

/** Shopify customers/create. */
export const customerCreated = (shopper: QaShopper, at: Date): Json => ({
  ...customer(shopper, at),
  locale: 'en',
  email_marketing_consent: {
    state: 'not_subscribed',
    opt_in_level: 'single_opt_in',
    consent_updated_at: null,
  },
});

/** What an order of a scenario states. */
export interface QaOrder {
  readonly id: string;
  readonly shopper: QaShopper;
  readonly product: QaProduct;
  readonly quantity: number;
  readonly at: Date;
  readonly cartToken?: string;
  readonly checkoutToken?: string;
}

/** Shopify orders/create, always a test order. */
export const orderCreated = (order: QaOrder): Json => {
  const total = money(order.product.price * order.quantity);
  return {
    id: order.id,
    name: `#QA${order.id.slice(-4)}`,
    order_number: Number(order.id.slice(-4)),
    email: order.shopper.email,
    contact_email: order.shopper.email,
    phone: null,
    customer: customer(order.shopper, order.at),
    cart_token: order.cartToken ?? null,
    checkout_token: order.checkoutToken ?? null,
    currency: 'USD',
    total_price: total,
    subtotal_price: total,
    total_tax: '0.00',
    total_discounts: '0.00',
    total_price_set: { shop_money: { amount: total, currency_code: 'USD' } },
    line_items: [line(order.product, order.quantity, `${order.id}1`)],
    financial_status: 'paid',
    test: true,
    source_name: 'web',
    created_at: iso(order.at),
    processed_at: iso(order.at),
    updated_at: iso(order.at),
    shipping_address: { city: 'Testville', country_code: 'US' },
  };
};

/** Shopify orders/cancelled for an order. */
export const orderCancelled = (order: QaOrder, at: Date): Json => ({
  ...orderCreated(order),
  cancelled_at: iso(at),
  cancel_reason: 'customer',
  financial_status: 'voided',
  updated_at: iso(at),
});

/** Shopify refunds/create: the whole order refunded. */
export const refundCreated = (order: QaOrder, refundId: string, at: Date): Json => {
  const amount = money(order.product.price * order.quantity);
  return {
    id: refundId,
    order_id: order.id,
    created_at: iso(at),
    processed_at: iso(at),
    note: 'QA refund',
    restock: true,
    refund_line_items: [
      {
        id: `${refundId}1`,
        line_item_id: `${order.id}1`,
        quantity: order.quantity,
        subtotal_set: { shop_money: { amount, currency_code: 'USD' } },
        line_item: line(order.product, order.quantity, `${order.id}1`),
      },
    ],
    transactions: [{ id: `${refundId}2`, kind: 'refund', status: 'success', amount, currency: 'USD' }],
  };
};

/** Shopify checkouts/create with its recovery URL. */
export const checkoutCreated = (spec: {
  readonly token: string;
  readonly cartToken: string;
  readonly shopper: QaShopper;
  readonly product: QaProduct;
  readonly shop: string;
  readonly at: Date;
}): Json => ({
  token: spec.token,
  cart_token: spec.cartToken,
  email: spec.shopper.email,
  customer: customer(spec.shopper, spec.at),
  currency: 'USD',
  total_price: money(spec.product.price),
  subtotal_price: money(spec.product.price),
  created_at: iso(spec.at),
  updated_at: iso(spec.at),
  completed_at: null,
  abandoned_checkout_url: `https://${spec.shop}/checkouts/${spec.token}/recover?key=qa`,
  line_items: [line(spec.product, 1, `${spec.token}-1`)],
});

/** Recharge subscription/created or subscription/cancelled (2021-11 shape) for a Shopify customer. */
export const rechargeSubscription = (spec: {
  readonly id: string;
  readonly rechargeCustomerId: string;
  readonly shopper: QaShopper;
  readonly product: QaProduct;
  readonly at: Date;
  readonly cancelled?: boolean;
}): Json => ({
  subscription: {
    id: Number(spec.id),
    address_id: Number(spec.id) + 1,
    customer_id: Number(spec.rechargeCustomerId),
    email: spec.shopper.email,
    external_customer_id: { ecommerce: spec.shopper.customerId },
    external_product_id: { ecommerce: spec.product.productId },
    external_variant_id: { ecommerce: spec.product.variantId },
    cancellation_reason: spec.cancelled ? 'QA' : null,
    cancelled_at: spec.cancelled ? iso(spec.at) : null,
    charge_interval_frequency: 30,
    order_interval_frequency: 30,
    order_interval_unit: 'day',
    created_at: iso(spec.at),
    updated_at: iso(spec.at),
    next_charge_scheduled_at: spec.cancelled
      ? null
      : iso(new Date(spec.at.getTime() + 30 * 86_400_000)).slice(0, 10),
    presentment_currency: 'USD',
    price: money(spec.product.price),
    product_title: spec.product.title,
    quantity: 1,
    sku: null,
    status: spec.cancelled ? 'cancelled' : 'active',
    variant_title: 'QA',
  },
});

/** Judge.me review/created by a shopper for the product. */
export const judgemeReview = (spec: {
  readonly id: string;
  readonly shopper: QaShopper;
  readonly product: QaProduct;
  readonly shop: string;
  readonly at: Date;
}): Json => ({
  review: {
    id: Number(spec.id),
    title: 'QA review',
    body: 'Written by the QA kit',
    rating: 5,
    product_external_id: Number(spec.product.productId),
    reviewer: {
      id: Number(spec.id) + 1,
      external_id: Number(spec.shopper.customerId),
      email: spec.shopper.email,
      name: `${spec.shopper.firstName} QA`,
      phone: null,
      accepts_marketing: false,
    },
    source: 'web',
    curated: 'ok',
    published: true,
    hidden: false,
    verified: 'buyer',
    created_at: iso(spec.at),
    updated_at: iso(spec.at),
    product_title: spec.product.title,
    product_handle: 'qa-mug',
  },
  event: 'review/created',
  shop_domain: spec.shop,
  platform: 'shopify',
});

/** The `data` of Web Pixel standard events the scenarios send. */
export const pixelData = {
  productViewed: (product: QaProduct): Json => ({ productVariant: variant(product) }),
  addedToCart: (product: QaProduct): Json => ({ cartLine: cartLine(product) }),
  cartViewed: (cartToken: string, product: QaProduct): Json => ({
    cart: {
      id: `gid://shopify/Cart/${cartToken}?key=qa-${cartToken}`,
      totalQuantity: 1,
      cost: { totalAmount: { amount: product.price, currencyCode: 'USD' } },
      lines: [cartLine(product)],
    },
  }),
  checkoutStarted: (checkoutToken: string): Json => ({ checkout: { token: checkoutToken, lineItems: [] } }),
};

function variant(product: QaProduct): Json {
  return {
    id: product.variantId,
    title: 'Default Title',
    sku: `QA-${product.productId}`,
    price: { amount: product.price, currencyCode: 'USD' },
    product: {
      id: product.productId,
      title: product.title,
      vendor: 'QA',
      type: 'QA',
      url: '/products/qa-mug',
    },
  };
}

function cartLine(product: QaProduct): Json {
  return {
    quantity: 1,
    cost: { totalAmount: { amount: product.price, currencyCode: 'USD' } },
    merchandise: variant(product),
  };
}
