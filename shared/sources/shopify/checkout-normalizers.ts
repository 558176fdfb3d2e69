import * as z from 'zod';
import type { PersonRef } from '../../canonical/common.js';
import type { CanonicalEventDraft } from '../../canonical/events.js';
import {
  type CheckoutCompletedSignal,
  type CheckoutDeletedSignal,
  cartActivity,
  checkoutCartKey,
} from '../../cart/cart-signal.js';
import { identityLink } from '../../identity/identity-signal.js';
import { toE164 } from '../../identity/phone.js';
import type { WebhookEnvelope } from '../../ingest/envelope.js';
import {
  ignored,
  normalized,
  parsePayload,
  type Signal,
  type TopicNormalizer,
} from '../../normalize/normalizer.js';
import { activityTime } from './cart-normalizers.js';
import { addressField, checkoutIdentify } from './checkout-identify.js';
import { cleanEmail, toLineItem } from './shopify-mappers.js';
import {
  MoneyStringSchema,
  OptionalMoneySchema,
  ShopifyConsentSchema,
  ShopifyEmbeddedCustomerSchema,
  ShopifyIdSchema,
  ShopifyLineItemSchema,
} from './shopify-schemas.js';

/** A checkout's customer; API versions that embed consent state it with its own timestamp. */
const CheckoutCustomerSchema = ShopifyEmbeddedCustomerSchema.extend({
  email_marketing_consent: ShopifyConsentSchema.nullish(),
  sms_marketing_consent: ShopifyConsentSchema.nullish(),
});

/** The Checkout resource of checkouts/create and checkouts/update (only the fields the connector reads). */
const ShopifyCheckoutSchema = z.object({
  token: z.string().min(1),
  cart_token: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  sms_marketing_phone: z.string().nullish(),
  customer: CheckoutCustomerSchema.nullish(),
  customer_locale: z.string().nullish(),
  line_items: z.array(ShopifyLineItemSchema),
  abandoned_checkout_url: z.string().nullish(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  total_price: MoneyStringSchema,
  subtotal_price: OptionalMoneySchema,
  total_tax: OptionalMoneySchema,
  total_discounts: OptionalMoneySchema,
  discount_codes: z.array(z.object({ code: z.string() })).nullish(),
  presentment_currency: z.string().nullish(),
  completed_at: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  // Real captures send [] instead of an object when there is no address.
  shipping_address: z.unknown().optional(),
  billing_address: z.unknown().optional(),
});
/** A Shopify checkout payload. */
export type ShopifyCheckout = z.infer<typeof ShopifyCheckoutSchema>;

/** The checkouts/delete payload: a numeric id and the cart token, no checkout token. */
const ShopifyCheckoutDeleteSchema = z.object({
  id: ShopifyIdSchema,
  cart_token: z.string().nullish(),
});

const countryOf = (address: unknown): string | undefined => addressField(address, 'country_code');

/** The codes applied to a checkout, in order. */
const discountCodesOf = (checkout: ShopifyCheckout): string[] =>
  (checkout.discount_codes ?? []).map((d) => d.code);

/** An ISO 4217 code, or null for anything else (the presentment currency is informative, never required). */
const currencyCode = (value: string | null | undefined): string | null =>
  value && /^[A-Z]{3}$/.test(value) ? value : null;

/** The person a checkout belongs to, as Shopify (a signed source) states it. */
const checkoutPerson = (checkout: ShopifyCheckout, fallbackCountry?: string): PersonRef => {
  const email = cleanEmail(checkout.email) ?? cleanEmail(checkout.customer?.email);
  const country =
    countryOf(checkout.shipping_address) ??
    countryOf(checkout.billing_address) ??
    checkout.customer?.default_address?.country_code ??
    fallbackCountry;
  const phone = toE164(checkout.phone ?? checkout.sms_marketing_phone ?? checkout.customer?.phone, country);
  return {
    ...(checkout.customer ? { customer_id: checkout.customer.id } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
  };
};

const checkoutSignals = (
  checkout: ShopifyCheckout,
  envelope: WebhookEnvelope,
  person: PersonRef,
): Signal[] => {
  const occurredAt = activityTime([checkout.updated_at, checkout.created_at], envelope);
  const link = identityLink(
    envelope.signed,
    {
      cart_token: checkout.cart_token ?? undefined,
      checkout_token: checkout.token,
      email: person.email,
      customer_id: person.customer_id,
      phone: person.phone,
    },
    occurredAt,
  );
  // A completed checkout is a purchase: close the cart now rather than wait for orders/create, which may be late.
  if (checkout.completed_at) {
    const completed: CheckoutCompletedSignal = {
      type: 'checkout_completed',
      shop: envelope.shop,
      cart_token: checkoutCartKey(checkout.cart_token, checkout.token),
      checkout_token: checkout.token,
      person,
      observed_at: activityTime([checkout.completed_at], envelope),
    };
    return [link, completed];
  }
  const activity = cartActivity({
    origin: 'checkout',
    shop: envelope.shop,
    cart_token: checkoutCartKey(checkout.cart_token, checkout.token),
    checkout_token: checkout.token,
    person,
    line_items: checkout.line_items.map(toLineItem),
    total: checkout.total_price,
    currency: checkout.currency,
    ...(checkout.abandoned_checkout_url ? { recovery_url: checkout.abandoned_checkout_url } : {}),
    checkout: {
      discount_codes: discountCodesOf(checkout),
      subtotal: checkout.subtotal_price,
      tax: checkout.total_tax,
      discount: checkout.total_discounts,
      presentment_currency: currencyCode(checkout.presentment_currency),
    },
    occurred_at: occurredAt,
  });
  return [link, activity];
};

/** The one Checkout Started per shop and checkout token. */
const checkoutStartedKey = (shop: string, checkoutToken: string): string =>
  `checkout-started#${shop}#${checkoutToken}`;

const checkoutStarted = (
  checkout: ShopifyCheckout,
  envelope: WebhookEnvelope,
  person: PersonRef,
): CanonicalEventDraft => {
  const products = checkout.line_items.map(toLineItem);
  const codes = discountCodesOf(checkout);
  return {
    name: 'Checkout Started',
    dedupe_key: checkoutStartedKey(envelope.shop, checkout.token),
    source: 'shopify',
    shop: envelope.shop,
    occurred_at: activityTime([checkout.created_at, checkout.updated_at], envelope),
    person,
    properties: {
      checkout_id: checkout.token,
      cart_id: checkout.cart_token ?? null,
      total: checkout.total_price,
      subtotal: checkout.subtotal_price,
      tax: checkout.total_tax,
      discount: checkout.total_discounts,
      currency: checkout.currency,
      discount_codes: codes,
      products,
      item_count: products.reduce((sum, p) => sum + p.quantity, 0),
      recovery_url: checkout.abandoned_checkout_url ?? null,
    },
  };
};

/**
 * checkouts/create: one Checkout Started, an identify of the shopper (see {@link checkoutIdentify}), an identity
 * link and the cart activity.
 */
export const normalizeCheckoutCreated: TopicNormalizer = (payload, envelope, context = {}) => {
  const checkout = parsePayload(ShopifyCheckoutSchema, payload, `shopify ${envelope.topic}`);
  // Phone parsing is the costliest step of the mapping: read the person once per delivery.
  const person = checkoutPerson(checkout, context.phoneCountry);
  const identify = checkoutIdentify(
    checkout,
    person,
    envelope,
    activityTime([checkout.updated_at, checkout.created_at], envelope),
  );
  return normalized([checkoutStarted(checkout, envelope, person)], identify.people, [
    ...checkoutSignals(checkout, envelope, person),
    ...identify.signals,
  ]);
};

/**
 * checkouts/update: no event; an identify (the shopper may have typed an email or a name), an identity link and
 * the cart activity.
 */
export const normalizeCheckoutUpdated: TopicNormalizer = (payload, envelope, context = {}) => {
  const checkout = parsePayload(ShopifyCheckoutSchema, payload, `shopify ${envelope.topic}`);
  const person = checkoutPerson(checkout, context.phoneCountry);
  const identify = checkoutIdentify(
    checkout,
    person,
    envelope,
    activityTime([checkout.updated_at, checkout.created_at], envelope),
  );
  return normalized([], identify.people, [
    ...checkoutSignals(checkout, envelope, person),
    ...identify.signals,
  ]);
};

/** checkouts/delete: no event; tells cart recovery the checkout's recovery URL is gone. */
export const normalizeCheckoutDeleted: TopicNormalizer = (payload, envelope) => {
  const deleted = parsePayload(ShopifyCheckoutDeleteSchema, payload, `shopify ${envelope.topic}`);
  if (!deleted.cart_token) return ignored('deleted checkout has no cart token');
  const signal: CheckoutDeletedSignal = {
    type: 'checkout_deleted',
    shop: envelope.shop,
    cart_token: deleted.cart_token,
    observed_at: envelope.receivedAt,
  };
  return normalized([], [], [signal]);
};
