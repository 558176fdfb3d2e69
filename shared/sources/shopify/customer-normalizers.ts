import type { PersonRef } from '../../canonical/common.js';
import type { PersonAttributes, PersonUpdate } from '../../canonical/person.js';
import { identityLink } from '../../identity/identity-signal.js';
import { toE164 } from '../../identity/phone.js';
import type { WebhookEnvelope } from '../../ingest/envelope.js';
import { ignored, normalized, parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import { type AttributeName, attributeScope } from '../../people/attribute-scope.js';
import {
  cleanEmail,
  compactAttributes,
  consentAttributes,
  consentScope,
  deliveryTime,
  emailConsentSignal,
  isoTime,
  unixTime,
} from './shopify-mappers.js';
import {
  type ShopifyConsent,
  type ShopifyCustomer,
  ShopifyCustomerSchema,
  ShopifyEmailConsentUpdateSchema,
  ShopifySmsConsentUpdateSchema,
} from './shopify-schemas.js';

const personOf = (customerId: string, email: string | undefined, phone: string | undefined): PersonRef => ({
  customer_id: customerId,
  ...(email ? { email } : {}),
  ...(phone ? { phone } : {}),
});

const identify = (
  envelope: WebhookEnvelope,
  dedupeKey: string,
  occurredAt: string,
  person: PersonRef,
  attributes: PersonAttributes,
): PersonUpdate => ({
  dedupe_key: dedupeKey,
  source: 'shopify',
  shop: envelope.shop,
  occurred_at: occurredAt,
  person,
  attributes: compactAttributes(attributes),
});

const link = (person: PersonRef, observedAt: string) =>
  identityLink(
    true,
    { customer_id: person.customer_id, email: person.email, phone: person.phone },
    observedAt,
  );

/** Sent by the source, and empty: `null` or blank (absent means "not reported", which clears nothing). */
const reportedEmpty = (value: string | null | undefined): boolean =>
  value === null || (typeof value === 'string' && value.trim() === '');

/**
 * The profile fields a customer record reports empty: the customer resource is the reference for them, so a name,
 * phone or address removed in Shopify is removed in Customer.io (an email never is: it identifies the person).
 */
const clearedProfile = (customer: ShopifyCustomer): AttributeName[] => {
  const address = customer.default_address;
  return [
    ...(reportedEmpty(customer.first_name) ? ['first_name' as const] : []),
    ...(reportedEmpty(customer.last_name) ? ['last_name' as const] : []),
    ...(reportedEmpty(customer.phone) ? ['phone' as const] : []),
    ...(address === null || reportedEmpty(address?.city) ? ['city' as const] : []),
    ...(address === null || reportedEmpty(address?.country_code) ? ['country_code' as const] : []),
  ];
};

/**
 * customers/create and customers/update: an identify keyed on the customer's updated_at (a retry is a duplicate,
 * a later edit is not). Consent is mapped only when the payload carries it (API versions before 2025-01), dated by
 * its own consent timestamp. Fields the record reports empty are cleared (see {@link clearedProfile}).
 */
export const normalizeCustomer: TopicNormalizer = (payload, envelope, context = {}) => {
  const customer = parsePayload(ShopifyCustomerSchema, payload, `shopify ${envelope.topic}`);
  const country = customer.default_address?.country_code ?? undefined;
  const phone = toE164(customer.phone, country ?? context.phoneCountry);
  const person = personOf(customer.id, cleanEmail(customer.email), phone);
  const version = customer.updated_at ?? customer.created_at;
  const occurredAt = version ? isoTime(version) : deliveryTime(envelope);
  const key = `identify#${envelope.shop}#customer#${customer.id}#${occurredAt}`;
  const update = identify(envelope, key, occurredAt, person, {
    email: person.email,
    phone: person.phone,
    first_name: customer.first_name ?? undefined,
    last_name: customer.last_name ?? undefined,
    shopify_customer_id: customer.id,
    city: customer.default_address?.city ?? undefined,
    country_code: country,
    locale: customer.locale ?? undefined,
    created_at: unixTime(customer.created_at),
    ...consentAttributes('email', customer.email_marketing_consent),
    ...consentAttributes('sms', customer.sms_marketing_consent),
  });
  const email = consentScope('email', customer.email_marketing_consent);
  const sms = consentScope('sms', customer.sms_marketing_consent);
  const scope = attributeScope(key, {
    cleared: [...clearedProfile(customer), ...email.cleared, ...sms.cleared],
    covered: [...email.covered, ...sms.covered],
    times: { ...email.times, ...sms.times },
  });
  const consentAt = email.times.accepts_email_marketing ?? occurredAt;
  const consent = emailConsentSignal(envelope.shop, person, customer.email_marketing_consent, consentAt);
  return normalized([], [update], [link(person, occurredAt), scope, ...consent]);
};

const consentVersion = (consent: ShopifyConsent, envelope: WebhookEnvelope): string =>
  consent.consent_updated_at
    ? isoTime(consent.consent_updated_at)
    : (envelope.eventId ?? envelope.deliveryId);

/** customers_email_marketing_consent/update: an identify with the new email consent. */
export const normalizeEmailConsentUpdate: TopicNormalizer = (payload, envelope) => {
  const update = parsePayload(ShopifyEmailConsentUpdateSchema, payload, `shopify ${envelope.topic}`);
  const consent = update.email_marketing_consent;
  const attributes = consentAttributes('email', consent);
  if (Object.keys(attributes).length === 0) return ignored('email consent update carries no consent state');
  const person = personOf(update.customer_id, cleanEmail(update.email_address), undefined);
  const occurredAt = consent.consent_updated_at
    ? isoTime(consent.consent_updated_at)
    : deliveryTime(envelope);
  const key = `identify#${envelope.shop}#email-consent#${update.customer_id}#${consentVersion(consent, envelope)}`;
  const people = [
    identify(envelope, key, occurredAt, person, {
      email: person.email,
      shopify_customer_id: update.customer_id,
      ...attributes,
    }),
  ];
  return normalized([], people, [
    link(person, occurredAt),
    attributeScope(key, consentScope('email', consent)),
    ...emailConsentSignal(envelope.shop, person, consent, occurredAt),
  ]);
};

/**
 * customers_marketing_consent/update (SMS): an identify with the new SMS consent. The payload has no address, so
 * only a phone already written in international form becomes E.164.
 */
export const normalizeSmsConsentUpdate: TopicNormalizer = (payload, envelope, context = {}) => {
  const update = parsePayload(ShopifySmsConsentUpdateSchema, payload, `shopify ${envelope.topic}`);
  const consent = update.sms_marketing_consent;
  const attributes = consentAttributes('sms', consent);
  if (Object.keys(attributes).length === 0) return ignored('sms consent update carries no consent state');
  const person = personOf(update.id, undefined, toE164(update.phone, context.phoneCountry));
  const occurredAt = consent.consent_updated_at
    ? isoTime(consent.consent_updated_at)
    : deliveryTime(envelope);
  const key = `identify#${envelope.shop}#sms-consent#${update.id}#${consentVersion(consent, envelope)}`;
  const people = [
    identify(envelope, key, occurredAt, person, {
      phone: person.phone,
      shopify_customer_id: update.id,
      ...attributes,
    }),
  ];
  return normalized([], people, [
    link(person, occurredAt),
    attributeScope(key, consentScope('sms', consent)),
  ]);
};
