import type { PersonDeletion } from '../../canonical/person.js';
import { ignored, normalized, parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import { cleanEmail, deliveryTime } from './shopify-mappers.js';
import {
  ShopifyCustomerRedactSchema,
  ShopifyDataRequestSchema,
  ShopifyShopRedactSchema,
} from './shopify-schemas.js';

/** app/uninstalled: acknowledged. Deliveries stop by themselves; shop/redact follows 48 hours later. */
export const normalizeAppUninstalled: TopicNormalizer = () =>
  ignored('app uninstalled: nothing to send to Customer.io; shop/redact follows within 48 hours');

/**
 * customers/data_request: acknowledged. The connector keeps no customer data of its own beyond short-lived dedupe
 * keys and identity links; the person's data lives in the Customer.io workspace, where the merchant exports it.
 */
export const normalizeDataRequest: TopicNormalizer = (payload, envelope) => {
  const request = parsePayload(ShopifyDataRequestSchema, payload, `shopify ${envelope.topic}`);
  const id = request.data_request?.id ?? 'unknown';
  return ignored(
    `customer data request ${id}: the connector holds no customer data to report; export the person from Customer.io`,
  );
};

/**
 * customers/redact: delete the person from Customer.io. One deletion per identifier Shopify names (customer id and
 * email), because the profile may be keyed on either. Dedupe keys carry the request, never the email.
 */
export const normalizeCustomerRedact: TopicNormalizer = (payload, envelope) => {
  const request = parsePayload(ShopifyCustomerRedactSchema, payload, `shopify ${envelope.topic}`);
  const customerId = request.customer.id ?? undefined;
  const email = cleanEmail(request.customer.email);
  const requestKey = `delete#${envelope.shop}#redact#${customerId ?? envelope.eventId ?? envelope.deliveryId}`;
  const occurredAt = deliveryTime(envelope);
  const orderIds = request.orders_to_redact ?? [];
  const deletion = (suffix: string, person: PersonDeletion['person']): PersonDeletion => ({
    dedupe_key: `${requestKey}#${suffix}`,
    source: 'shopify',
    shop: envelope.shop,
    occurred_at: occurredAt,
    person,
    ...(orderIds.length > 0 ? { order_ids: orderIds } : {}),
  });
  const deletions = [
    ...(customerId ? [deletion('id', { customer_id: customerId })] : []),
    ...(email ? [deletion('email', { email })] : []),
  ];
  if (deletions.length === 0) return ignored('customer redact names neither a customer id nor an email');
  return { ...normalized([]), deletions };
};

/**
 * shop/redact: acknowledged and logged. The connector cannot list a shop's people in Customer.io; the operator
 * deletes them there (or the whole workspace) and removes the shop's secrets; connector records expire by TTL.
 */
export const normalizeShopRedact: TopicNormalizer = (payload, envelope) => {
  const request = parsePayload(ShopifyShopRedactSchema, payload, `shopify ${envelope.topic}`);
  return ignored(
    `shop redact for shop ${request.shop_id}: operator must delete this shop's people from Customer.io and remove its configuration`,
  );
};
