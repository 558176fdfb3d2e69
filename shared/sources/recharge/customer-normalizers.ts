import type { PersonAttributes, PersonUpdate } from '../../canonical/person.js';
import { normalized, parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import {
  blankToNull,
  cleanEmail,
  platformId,
  rechargeIdentityLinks,
  rechargeTime,
} from './recharge-mappers.js';
import { CustomerPayloadSchema } from './recharge-schemas.js';

/**
 * customer/created and customer/updated: an identify carrying the Recharge customer id, the Shopify customer id
 * (2021-11 `external_customer_id.ecommerce`, 2021-01 `shopify_customer_id`) and the email, ordered by
 * `updated_at`, plus a trusted identity link between them. Each change is its own update.
 */
export const normalizeCustomer: TopicNormalizer = (payload, envelope) => {
  const customer = parsePayload(CustomerPayloadSchema, payload, `recharge ${envelope.topic}`).customer;
  const shopifyId = platformId(customer.external_customer_id, customer.shopify_customer_id);
  const email = cleanEmail(customer.email);
  const at = rechargeTime(
    customer.updated_at ?? customer.created_at,
    customer.updated_at ? 'customer.updated_at' : 'customer.created_at',
  );
  const person = {
    ...(shopifyId ? { customer_id: shopifyId } : {}),
    ...(email ? { email } : {}),
    recharge_customer_id: customer.id,
  };
  const attributes: PersonAttributes = Object.fromEntries(
    Object.entries({
      email,
      first_name: blankToNull(customer.first_name) ?? undefined,
      last_name: blankToNull(customer.last_name) ?? undefined,
      shopify_customer_id: shopifyId ?? undefined,
      recharge_customer_id: customer.id,
      created_at: Math.floor(Date.parse(rechargeTime(customer.created_at, 'customer.created_at')) / 1000),
    }).filter(([, value]) => value !== undefined),
  );
  const update: PersonUpdate = {
    dedupe_key: `identify#${envelope.shop}#recharge-customer#${customer.id}#${at}`,
    source: 'recharge',
    shop: envelope.shop,
    occurred_at: at,
    person,
    attributes,
  };
  return normalized([], [update], rechargeIdentityLinks(person, at));
};
