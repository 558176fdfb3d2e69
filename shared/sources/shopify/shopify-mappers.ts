import type { LineItem, PersonRef } from '../../canonical/common.js';
import { roundMoney } from '../../canonical/common.js';
import type { PersonAttributes } from '../../canonical/person.js';
import type { MarketingConsentSignal } from '../../cart/cart-signal.js';
import { type IdentityLinkSignal, identityLink } from '../../identity/identity-signal.js';
import { toE164 } from '../../identity/phone.js';
import type { WebhookEnvelope } from '../../ingest/envelope.js';
import type { AttributeName } from '../../people/attribute-scope.js';
import { isoString } from '../../time/iso-time.js';
import { isRepresentable, representableIsoTime } from '../source-time.js';
import type { ShopifyConsent, ShopifyLineItem, ShopifyOrder } from './shopify-schemas.js';

/** Maps a Shopify line item to the canonical line item. */
export const toLineItem = (item: ShopifyLineItem): LineItem => {
  const allocated = (item.discount_allocations ?? []).reduce((sum, d) => sum + d.amount, 0);
  return {
    product_id: item.product_id ?? null,
    variant_id: item.variant_id ?? null,
    sku: item.sku ? item.sku : null,
    name: item.title ?? item.name ?? '',
    variant_name: item.variant_title ? item.variant_title : null,
    brand: item.vendor ? item.vendor : null,
    category: item.product_type ? item.product_type : null,
    quantity: item.quantity,
    price: item.price,
    discount: roundMoney(Math.max(item.total_discount ?? 0, allocated)),
    url: null,
    image_url: null,
  };
};

/** Converts a Shopify timestamp (with offset) to ISO 8601 UTC; one past the year 9999 is `unsupported_value`. */
export const isoTime = (value: string): string => representableIsoTime(Date.parse(value));

/** Lower-cased, trimmed email or undefined. */
export const cleanEmail = (value: string | null | undefined): string | undefined => {
  const email = value?.trim().toLowerCase();
  return email ? email : undefined;
};

/** The person an order belongs to, as Shopify (a signed source) states it. */
export const orderPerson = (order: ShopifyOrder, fallbackCountry?: string): PersonRef => {
  const email =
    cleanEmail(order.email) ?? cleanEmail(order.contact_email) ?? cleanEmail(order.customer?.email);
  const country =
    order.shipping_address?.country_code ?? order.customer?.default_address?.country_code ?? fallbackCountry;
  const phone = toE164(order.phone ?? order.customer?.phone, country);
  return {
    ...(order.customer ? { customer_id: order.customer.id } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
  };
};

/** Person attributes an order reveals. */
export const orderPersonAttributes = (order: ShopifyOrder, person: PersonRef): PersonAttributes => {
  const c = order.customer;
  const address = order.shipping_address ?? c?.default_address;
  const attributes: PersonAttributes = {
    email: person.email,
    phone: person.phone,
    first_name: c?.first_name ?? undefined,
    last_name: c?.last_name ?? undefined,
    shopify_customer_id: c?.id,
    city: address?.city ?? undefined,
    country_code: address?.country_code ?? undefined,
    locale: order.customer_locale ?? undefined,
    created_at: unixTime(c?.created_at),
  };
  return compactAttributes(attributes);
};

/** Drops unknown (undefined or empty) attributes: an identify never blanks a value Customer.io already has. */
export const compactAttributes = (attributes: PersonAttributes): PersonAttributes => {
  const compact: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== '') compact[key] = value;
  }
  return compact as PersonAttributes;
};

/** The trusted identity link an order states: its buyer and the cart and checkout it came from. */
export const orderIdentityLink = (order: ShopifyOrder, person: PersonRef): IdentityLinkSignal =>
  identityLink(
    true,
    {
      customer_id: person.customer_id,
      email: person.email,
      phone: person.phone,
      cart_token: order.cart_token ?? undefined,
      checkout_token: order.checkout_token ?? undefined,
    },
    isoTime(order.updated_at ?? order.created_at),
  );

/** Unix seconds of a Shopify timestamp (Customer.io's `created_at` format). */
export const unixTime = (value: string | null | undefined): number | undefined =>
  value ? Math.floor(Date.parse(value) / 1000) : undefined;

/**
 * Person attributes of a consent object. Absent or stateless consent yields nothing, so a payload without consent
 * (API 2025-01+ customer webhooks) never overwrites what the consent topics set. Only an explicit email
 * `unsubscribed` sets Customer.io's reserved `unsubscribed`, and never back to false.
 */
export const consentAttributes = (
  channel: 'email' | 'sms',
  consent: ShopifyConsent | null | undefined,
): PersonAttributes => {
  const state = consent?.state?.trim().toLowerCase();
  if (!state) return {};
  const level = consent?.opt_in_level ?? undefined;
  if (channel === 'sms') {
    return compactAttributes({
      accepts_sms_marketing: state === 'subscribed',
      sms_marketing_state: state,
      sms_marketing_opt_in_level: level,
    });
  }
  return compactAttributes({
    accepts_email_marketing: state === 'subscribed',
    email_marketing_state: state,
    email_marketing_opt_in_level: level,
    ...(state === 'unsubscribed' ? { unsubscribed: true as const } : {}),
  });
};

/** Attributes of one consent channel: they are ordered together, by the consent's own timestamp. */
const CONSENT_GROUPS = {
  email: ['accepts_email_marketing', 'email_marketing_state', 'email_marketing_opt_in_level', 'unsubscribed'],
  sms: ['accepts_sms_marketing', 'sms_marketing_state', 'sms_marketing_opt_in_level'],
} as const satisfies Record<'email' | 'sms', readonly AttributeName[]>;

/**
 * What a consent object states beyond the attributes it sets, for per-attribute ordering: its channel's attributes
 * are dated by `consent_updated_at` (not the customer's `updated_at`); an absent opt-in level is cleared; an email
 * state other than `unsubscribed` covers `unsubscribed`, so an older unsubscribe cannot land after it.
 */
export const consentScope = (
  channel: 'email' | 'sms',
  consent: ShopifyConsent | null | undefined,
): { cleared: AttributeName[]; covered: AttributeName[]; times: Partial<Record<AttributeName, string>> } => {
  const state = consent?.state?.trim().toLowerCase();
  if (!state) return { cleared: [], covered: [], times: {} };
  const group = CONSENT_GROUPS[channel];
  const at = consent?.consent_updated_at ? isoTime(consent.consent_updated_at) : undefined;
  return {
    cleared: consent?.opt_in_level ? [] : [`${channel}_marketing_opt_in_level`],
    covered: channel === 'email' && state !== 'unsubscribed' ? ['unsubscribed'] : [],
    times: at === undefined ? {} : Object.fromEntries(group.map((name) => [name, at])),
  };
};

/**
 * The cart-recovery consent signal of an email consent state: an explicit `unsubscribed` stops recovery messages,
 * `subscribed` allows them again; any other state (not_subscribed, pending...) says nothing, so guest checkouts
 * that never opted in are not silenced.
 */
export const emailConsentSignal = (
  shop: string,
  person: PersonRef,
  consent: ShopifyConsent | null | undefined,
  observedAt: string,
): MarketingConsentSignal[] => {
  const state = consent?.state?.trim().toLowerCase();
  if (state !== 'unsubscribed' && state !== 'subscribed') return [];
  if (!person.customer_id && !person.email) return [];
  return [
    {
      type: 'marketing_consent',
      shop,
      person,
      unsubscribed: state === 'unsubscribed',
      observed_at: observedAt,
    },
  ];
};

/** ISO 8601 time a delivery was triggered (header), or received when the header is missing or unreadable. */
export const deliveryTime = (envelope: WebhookEnvelope): string => {
  const triggered = envelope.triggeredAt ? Date.parse(envelope.triggeredAt) : Number.NaN;
  // The header is not signed: one that is no time, or none a canonical timestamp holds, counts as unread.
  return isRepresentable(triggered) ? isoString(triggered) : isoTime(envelope.receivedAt);
};
