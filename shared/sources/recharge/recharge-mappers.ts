import type { LineItem, PersonRef } from '../../canonical/common.js';
import { PayloadValidationError } from '../../errors.js';
import { identityLink } from '../../identity/identity-signal.js';
import type { Signal } from '../../normalize/normalizer.js';
import { utcIsoTime } from '../source-time.js';
import type {
  RechargeCharge,
  RechargeLineItem,
  RechargeOrder,
  RechargeSubscription,
} from './recharge-schemas.js';

/**
 * Converts a Recharge timestamp to ISO 8601 UTC. 2021-11 sends offsets; 2021-01 sends none, and those are taken as
 * UTC (a bare `new Date()` would read them in the Lambda's local zone). A value that is not a time fails naming
 * `field`, never the value (messages reach logs and DLQ reasons).
 */
export const rechargeTime = (value: string, field: string): string => {
  const time = utcIsoTime(value);
  if (time === undefined) {
    throw new PayloadValidationError('recharge timestamp is not a date', `${field}: not a timestamp`);
  }
  return time;
};

/** Empty strings become null (2021-01 captures send "" for absent values). */
export const blankToNull = (value: string | null | undefined): string | null =>
  value === null || value === undefined || value.trim() === '' ? null : value;

/** Lower-cased, trimmed email or undefined. */
export const cleanEmail = (value: string | null | undefined): string | undefined => {
  const email = value?.trim().toLowerCase();
  return email ? email : undefined;
};

/** An ISO 4217 code (upper-cased) or null when absent or not a code. */
export const currencyOrNull = (value: string | null | undefined): string | null => {
  const code = value?.trim().toUpperCase();
  return code && /^[A-Z]{3}$/.test(code) ? code : null;
};

/** The platform id of a 2021-11 `{ecommerce}` wrapper, else the 2021-01 `shopify_*` field. */
export const platformId = (
  wrapped: { ecommerce?: string | null | undefined } | null | undefined,
  legacy: string | null | undefined,
): string | null => wrapped?.ecommerce ?? legacy ?? null;

/** Maps a charge or order line to the canonical line item (Recharge discounts are charge-level, so 0 here). */
export const toRechargeLineItem = (item: RechargeLineItem): LineItem => ({
  product_id: platformId(item.external_product_id, item.shopify_product_id),
  variant_id: platformId(item.external_variant_id, item.shopify_variant_id),
  sku: blankToNull(item.sku),
  name: item.title ?? '',
  variant_name: blankToNull(item.variant_title),
  brand: blankToNull(item.vendor),
  category: null,
  quantity: item.quantity,
  price: item.unit_price ?? item.price ?? 0,
  discount: 0,
  url: null,
  image_url: item.images?.original ?? item.images?.large ?? null,
});

/** The subscribed product as a canonical line item. */
export const subscriptionLineItem = (subscription: RechargeSubscription): LineItem => ({
  product_id: platformId(subscription.external_product_id, subscription.shopify_product_id),
  variant_id: platformId(subscription.external_variant_id, subscription.shopify_variant_id),
  sku: blankToNull(subscription.sku),
  name: subscription.product_title ?? '',
  variant_name: blankToNull(subscription.variant_title),
  brand: null,
  category: null,
  quantity: subscription.quantity,
  price: subscription.price,
  discount: 0,
  url: null,
  image_url: null,
});

/** Builds a PersonRef, leaving out what is unknown. */
const personRef = (
  rechargeCustomerId: string | null | undefined,
  shopifyCustomerId: string | null | undefined,
  email: string | null | undefined,
): PersonRef => {
  const cleaned = cleanEmail(email);
  return {
    ...(shopifyCustomerId ? { customer_id: shopifyCustomerId } : {}),
    ...(cleaned ? { email: cleaned } : {}),
    ...(rechargeCustomerId ? { recharge_customer_id: rechargeCustomerId } : {}),
  };
};

/**
 * The person behind a subscription. 2021-11 subscriptions carry only the Recharge customer id (no email, rarely
 * the Shopify id), so the identity stage has to resolve them from links seen on customers and charges.
 */
export const subscriptionPerson = (subscription: RechargeSubscription): PersonRef =>
  personRef(
    subscription.customer_id,
    platformId(subscription.external_customer_id, subscription.shopify_customer_id),
    subscription.email,
  );

/** The person behind a charge or order: 2021-11 embeds `customer{}`, 2021-01 has top-level fields. */
export const billingPerson = (document: RechargeCharge | RechargeOrder): PersonRef =>
  personRef(
    document.customer?.id ?? document.customer_id,
    platformId(document.customer?.external_customer_id, document.shopify_customer_id),
    document.customer?.email ?? document.email,
  );

/** A trusted identity link when the delivery names at least two identifiers of one person, else nothing. */
export const rechargeIdentityLinks = (person: PersonRef, observedAt: string): Signal[] => {
  const identifiers = {
    recharge_customer_id: person.recharge_customer_id,
    customer_id: person.customer_id,
    email: person.email,
  };
  const known = Object.values(identifiers).filter((value) => value !== undefined).length;
  return known >= 2 ? [identityLink(true, identifiers, observedAt)] : [];
};

/** Recharge statuses arrive upper-case (2021-01) or lower-case (2021-11); the canonical form is lower-case. */
export const lowerStatus = (value: string | null | undefined): string | null =>
  blankToNull(value)?.toLowerCase() ?? null;
