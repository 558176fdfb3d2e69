import { LOCAL_DEFAULTS, LOCAL_PLATFORM_SECRETS } from '../../local/local-config.js';
import { postShopifyWebhook } from '../../local/post-shopify-webhook.js';
import { signJudgemeBody } from '../../shared/signatures/judgeme-signature.js';
import { readSample } from './fixtures.js';

/** A shopper of the journey scenarios: a Shopify customer with an email and no phone unless one is given. */
export interface Shopper {
  readonly customerId: string;
  readonly email: string;
}

/** A product of the scenarios' coffee shop. */
export interface Product {
  readonly productId: string;
  readonly variantId: string;
  readonly title: string;
  readonly category: string;
  readonly price: number;
}

/** One line of a cart, checkout or order. */
export interface Line {
  readonly product: Product;
  readonly quantity: number;
}

type Json = Record<string, unknown>;

const sample = (file: string): Json => JSON.parse(readSample(file)) as Json;
const money = (n: number): string => n.toFixed(2);
const total = (lines: readonly Line[]): number => lines.reduce((s, l) => s + l.product.price * l.quantity, 0);
const iso = (at: Date): string => at.toISOString();

/** A customer object without phones, so no two scenario people share an identifier. */
const customer = (shopper: Shopper): Json => {
  const base = sample('shopify/orders-create.json').customer as Json;
  return {
    ...base,
    id: shopper.customerId,
    email: shopper.email,
    phone: null,
    default_address: { ...(base.default_address as Json), customer_id: shopper.customerId, phone: null },
  };
};

const address = (): Json => ({
  ...(sample('shopify/orders-create.json').shipping_address as Json),
  phone: null,
});

const orderLine = (line: Line, index: number): Json => {
  const base = (sample('shopify/orders-create.json').line_items as Json[])[0] ?? {};
  const price = money(line.product.price);
  return {
    ...base,
    id: `${line.product.variantId}${index}`,
    product_id: line.product.productId,
    variant_id: line.product.variantId,
    title: line.product.title,
    name: line.product.title,
    sku: `SKU-${line.product.productId}`,
    product_type: line.product.category,
    vendor: 'Journeys Coffee',
    price,
    price_set: { shop_money: { amount: price, currency_code: 'USD' } },
    quantity: line.quantity,
    total_discount: '0.00',
    discount_allocations: [],
  };
};

/** What an order of the scenarios states. */
export interface OrderSpec {
  readonly id: string;
  readonly shopper: Shopper;
  readonly at: Date;
  readonly lines: readonly Line[];
  readonly test?: boolean;
  readonly cartToken?: string;
  readonly checkoutToken?: string;
  readonly discountCodes?: readonly string[];
}

/** A Shopify order (orders/create, orders/fulfilled, orders/cancelled) built on the published sample. */
export const orderBody = (spec: OrderSpec): Json => {
  const amount = money(total(spec.lines));
  const set = {
    shop_money: { amount, currency_code: 'USD' },
    presentment_money: { amount, currency_code: 'USD' },
  };
  return {
    ...sample('shopify/orders-create.json'),
    id: spec.id,
    name: `#${spec.id.slice(-4)}`,
    order_number: Number(spec.id.slice(-4)),
    email: spec.shopper.email,
    contact_email: spec.shopper.email,
    phone: null,
    customer: customer(spec.shopper),
    shipping_address: address(),
    billing_address: address(),
    created_at: iso(spec.at),
    processed_at: iso(spec.at),
    updated_at: iso(spec.at),
    test: spec.test ?? false,
    financial_status: 'paid',
    cart_token: spec.cartToken ?? null,
    checkout_token: spec.checkoutToken ?? null,
    discount_codes: (spec.discountCodes ?? []).map((code) => ({ code, amount: '0.00', type: 'percentage' })),
    line_items: spec.lines.map(orderLine),
    total_price: amount,
    subtotal_price: amount,
    total_line_items_price: amount,
    total_tax: '0.00',
    total_discounts: '0.00',
    total_price_set: set,
    total_shipping_price_set: { shop_money: { amount: '0.00', currency_code: 'USD' } },
    fulfillments: [],
    refunds: [],
  };
};

/** The same order once its last item shipped (orders/fulfilled). */
export const fulfilledBody = (spec: OrderSpec, shippedAt: Date): Json => ({
  ...orderBody(spec),
  fulfillment_status: 'fulfilled',
  updated_at: iso(shippedAt),
  fulfillments: [
    {
      id: `${spec.id}1`,
      status: 'success',
      created_at: iso(shippedAt),
      tracking_company: 'UPS',
      tracking_number: `1Z${spec.id}`,
      tracking_url: `https://track.example/1Z${spec.id}`,
    },
  ],
});

/** The same order cancelled by the customer (orders/cancelled). */
export const cancelledBody = (spec: OrderSpec, cancelledAt: Date): Json => ({
  ...orderBody(spec),
  cancelled_at: iso(cancelledAt),
  cancel_reason: 'customer',
  updated_at: iso(cancelledAt),
});

/** A checkout (checkouts/create) with its recovery URL. */
export const checkoutBody = (spec: {
  readonly token: string;
  readonly cartToken: string;
  readonly shopper: Shopper;
  readonly at: Date;
  readonly lines: readonly Line[];
  /** Email consent the checkout's customer states, with its own time (newer API versions embed it). */
  readonly emailConsent?: { readonly state: string; readonly at: Date };
}): Json => {
  const base = sample('shopify/checkouts-create.json');
  const line = (base.line_items as Json[])[0] ?? {};
  const amount = money(total(spec.lines));
  return {
    ...base,
    token: spec.token,
    cart_token: spec.cartToken,
    email: spec.shopper.email,
    phone: null,
    sms_marketing_phone: null,
    customer: {
      ...customer(spec.shopper),
      ...(spec.emailConsent
        ? {
            email_marketing_consent: {
              state: spec.emailConsent.state,
              opt_in_level: 'single_opt_in',
              consent_updated_at: iso(spec.emailConsent.at),
            },
          }
        : {}),
    },
    shipping_address: address(),
    billing_address: address(),
    created_at: iso(spec.at),
    updated_at: iso(spec.at),
    completed_at: null,
    abandoned_checkout_url: `https://${LOCAL_DEFAULTS.shop}/checkouts/${spec.token}/recover?key=k-${spec.token}`,
    line_items: spec.lines.map((l) => ({
      ...line,
      product_id: l.product.productId,
      variant_id: l.product.variantId,
      title: l.product.title,
      presentment_title: l.product.title,
      sku: `SKU-${l.product.productId}`,
      product_type: l.product.category,
      vendor: 'Journeys Coffee',
      price: money(l.product.price),
      line_price: money(l.product.price * l.quantity),
      quantity: l.quantity,
    })),
    total_price: amount,
    subtotal_price: amount,
    total_line_items_price: amount,
    total_tax: '0.00',
    total_discounts: '0.00',
  };
};

/** Shopify's email consent topic (customers_email_marketing_consent/update). */
export const emailConsentBody = (shopper: Shopper, state: string, at: Date): Json => ({
  customer_id: shopper.customerId,
  email_address: shopper.email,
  email_marketing_consent: { state, opt_in_level: 'single_opt_in', consent_updated_at: iso(at) },
});

/** Shopify's SMS consent topic (customers_marketing_consent/update). */
export const smsConsentBody = (shopper: Shopper, phone: string, state: string, at: Date): Json => ({
  id: shopper.customerId,
  phone,
  sms_marketing_consent: {
    state,
    opt_in_level: 'single_opt_in',
    consent_updated_at: iso(at),
    consent_collected_from: 'OTHER',
  },
});

let deliveries = 0;

/** Posts a signed Shopify webhook to the local stack and insists on 200. */
export const sendShopify = async (apiUrl: string, topic: string, body: Json): Promise<void> => {
  deliveries += 1;
  const response = await postShopifyWebhook(apiUrl, JSON.stringify(body), {
    topic,
    webhookId: `journeys-${deliveries}-${topic}`,
  });
  if (response.status !== 200) throw new Error(`${topic} answered ${response.status}`);
};

/** Posts a signed Judge.me review/created for a product, written by the shopper's email. */
export const sendJudgemeReview = async (
  apiUrl: string,
  spec: { readonly id: string; readonly shopper: Shopper; readonly product: Product; readonly at: Date },
): Promise<void> => {
  const base = sample('judgeme/review-created.json');
  const body = JSON.stringify({
    ...base,
    shop_domain: LOCAL_DEFAULTS.shop,
    review: {
      ...(base.review as Json),
      id: spec.id,
      rating: 5,
      product_external_id: spec.product.productId,
      product_title: spec.product.title,
      reviewer: { ...((base.review as Json).reviewer as Json), email: spec.shopper.email, phone: null },
      created_at: iso(spec.at),
      updated_at: iso(spec.at),
    },
  });
  const secret = LOCAL_PLATFORM_SECRETS.judgeme.secrets[0];
  const response = await fetch(`${apiUrl}/webhooks/judgeme`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'judgeme-hmac-sha256': signJudgemeBody(body, secret) },
    body,
  });
  if (response.status !== 200) throw new Error(`judgeme review answered ${response.status}`);
};

const variant = (product: Product) => ({
  id: product.variantId,
  title: 'Default Title',
  sku: `SKU-${product.productId}`,
  price: { amount: product.price, currencyCode: 'USD' },
  image: { src: `https://cdn.example/${product.productId}.jpg` },
  product: {
    id: product.productId,
    title: product.title,
    vendor: 'Journeys Coffee',
    type: product.category,
    url: `/products/${product.productId}`,
  },
});

const cartLine = (line: Line) => ({
  quantity: line.quantity,
  cost: { totalAmount: { amount: line.product.price * line.quantity, currencyCode: 'USD' } },
  merchandise: variant(line.product),
});

/** Web Pixel `data` of the standard events the scenarios send. */
export const pixel = {
  productViewed: (product: Product) => ({ productVariant: variant(product) }),
  addedToCart: (line: Line) => ({ cartLine: cartLine(line) }),
  cartViewed: (cartToken: string, lines: readonly Line[]) => ({
    cart: {
      id: `gid://shopify/Cart/${cartToken}?key=k-${cartToken}`,
      totalQuantity: lines.reduce((s, l) => s + l.quantity, 0),
      cost: { totalAmount: { amount: total(lines), currencyCode: 'USD' } },
      lines: lines.map(cartLine),
    },
  }),
};

let beacons = 0;

/** Posts one storefront beacon of the local shop, as the Web Pixel does, and insists on 202. */
export const sendBeacon = async (
  apiUrl: string,
  spec: { readonly name: string; readonly browser: string; readonly at: Date; readonly data: unknown },
): Promise<void> => {
  beacons += 1;
  const response = await fetch(`${apiUrl}/collect`, {
    method: 'POST',
    headers: { origin: LOCAL_DEFAULTS.storefrontOrigin, 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({
      shop: LOCAL_DEFAULTS.shop,
      key: LOCAL_DEFAULTS.storefrontKey,
      event: {
        id: `journeys-beacon-${beacons}`,
        name: spec.name,
        clientId: spec.browser,
        timestamp: iso(spec.at),
        seq: beacons,
        type: 'standard',
        data: spec.data,
        context: {
          document: {
            location: { href: `${LOCAL_DEFAULTS.storefrontOrigin}/products` },
            referrer: null,
            title: 'Journeys Coffee',
          },
        },
      },
    }),
  });
  if (response.status !== 202) throw new Error(`beacon ${spec.name} answered ${response.status}`);
};
