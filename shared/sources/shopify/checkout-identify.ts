import type { PersonRef } from '../../canonical/common.js';
import type { PersonAttributes, PersonUpdate } from '../../canonical/person.js';
import type { WebhookEnvelope } from '../../ingest/envelope.js';
import type { Signal } from '../../normalize/normalizer.js';
import { attributeScope } from '../../people/attribute-scope.js';
import type { ShopifyCheckout } from './checkout-normalizers.js';
import {
  compactAttributes,
  consentAttributes,
  consentScope,
  emailConsentSignal,
  unixTime,
} from './shopify-mappers.js';
import type { ShopifyConsent } from './shopify-schemas.js';

/** A text field of a checkout address; real captures send `[]` instead of an object when there is none. */
export const addressField = (address: unknown, name: string): string | undefined => {
  if (typeof address !== 'object' || address === null || Array.isArray(address)) return undefined;
  const value = (address as Record<string, unknown>)[name];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
};

/**
 * A consent the checkout states with its own time (`consent_updated_at`), else nothing: a checkout's
 * `buyer_accepts_marketing` has no time and only says whether a box was ticked on that page, so it never decides
 * consent (it could undo a newer unsubscribe).
 */
const datedConsent = (consent: ShopifyConsent | null | undefined): ShopifyConsent | undefined =>
  consent?.state && consent.consent_updated_at ? consent : undefined;

/**
 * The shopper as a checkout states them, as an identify: without it a shopper known only from a checkout has no
 * `email` attribute under the `customer_id` identifier, and Customer.io cannot send the recovery email. The name
 * is the customer's, else the billing address's (the payer; the shipping name may be a gift's recipient). Dated by
 * the checkout's time, so the stale-update stage keeps a newer customer record's values. Consent only as described
 * in {@link datedConsent}. Nothing when the checkout names nobody.
 */
export const checkoutIdentify = (
  checkout: ShopifyCheckout,
  person: PersonRef,
  envelope: WebhookEnvelope,
  occurredAt: string,
): { readonly people: PersonUpdate[]; readonly signals: Signal[] } => {
  if (!envelope.signed || (!person.customer_id && !person.email && !person.phone)) {
    return { people: [], signals: [] };
  }
  const { customer } = checkout;
  const named = customer?.first_name || customer?.last_name;
  const billing = checkout.billing_address;
  const address = addressField(checkout.shipping_address, 'country_code')
    ? checkout.shipping_address
    : customer?.default_address;
  const email = datedConsent(customer?.email_marketing_consent);
  const sms = datedConsent(customer?.sms_marketing_consent);
  const key = `identify#${envelope.shop}#checkout#${checkout.token}#${occurredAt}`;
  const attributes: PersonAttributes = compactAttributes({
    email: person.email,
    phone: person.phone,
    first_name: (named ? customer?.first_name : addressField(billing, 'first_name')) ?? undefined,
    last_name: (named ? customer?.last_name : addressField(billing, 'last_name')) ?? undefined,
    shopify_customer_id: customer?.id,
    city: addressField(address, 'city'),
    country_code: addressField(address, 'country_code'),
    locale: checkout.customer_locale ?? undefined,
    created_at: unixTime(customer?.created_at),
    ...consentAttributes('email', email),
    ...consentAttributes('sms', sms),
  });
  const emailScope = consentScope('email', email);
  const smsScope = consentScope('sms', sms);
  const scopes =
    email || sms
      ? [
          attributeScope(key, {
            cleared: [...emailScope.cleared, ...smsScope.cleared],
            covered: [...emailScope.covered, ...smsScope.covered],
            times: { ...emailScope.times, ...smsScope.times },
          }),
        ]
      : [];
  const update: PersonUpdate = {
    dedupe_key: key,
    source: 'shopify',
    shop: envelope.shop,
    occurred_at: occurredAt,
    person,
    attributes,
  };
  const consentAt = emailScope.times.accepts_email_marketing ?? occurredAt;
  return {
    people: [update],
    signals: [...scopes, ...emailConsentSignal(envelope.shop, person, email, consentAt)],
  };
};
