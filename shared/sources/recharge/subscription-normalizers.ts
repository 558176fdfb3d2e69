import type { CanonicalEventDraft } from '../../canonical/events.js';
import type { WebhookEnvelope } from '../../ingest/envelope.js';
import { ignored, normalized, parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import {
  blankToNull,
  currencyOrNull,
  lowerStatus,
  rechargeIdentityLinks,
  rechargeTime,
  subscriptionLineItem,
  subscriptionPerson,
} from './recharge-mappers.js';
import { type RechargeSubscription, SubscriptionPayloadSchema } from './recharge-schemas.js';

/** Canonical subscription properties from a Recharge subscription (either API version). */
const subscriptionProperties = (subscription: RechargeSubscription) => {
  const line = subscriptionLineItem(subscription);
  return {
    subscription_id: subscription.id,
    status: lowerStatus(subscription.status),
    product_id: line.product_id,
    variant_id: line.variant_id,
    product_name: line.name,
    variant_name: line.variant_name,
    sku: line.sku,
    quantity: subscription.quantity,
    price: subscription.price,
    currency: currencyOrNull(subscription.presentment_currency),
    products: [line],
    order_interval_frequency: subscription.order_interval_frequency ?? null,
    order_interval_unit: blankToNull(subscription.order_interval_unit),
    charge_interval_frequency: subscription.charge_interval_frequency ?? null,
    next_charge_scheduled_at: blankToNull(subscription.next_charge_scheduled_at),
  };
};

const parseSubscription = (payload: unknown, envelope: WebhookEnvelope): RechargeSubscription =>
  parsePayload(SubscriptionPayloadSchema, payload, `recharge ${envelope.topic}`).subscription;

/** When the subscription last changed: the moment of an activation, skip or update. */
const changedAt = (subscription: RechargeSubscription): string =>
  rechargeTime(
    subscription.updated_at ?? subscription.created_at,
    subscription.updated_at ? 'updated_at' : 'created_at',
  );

const base = (subscription: RechargeSubscription, envelope: WebhookEnvelope, occurredAt: string) => ({
  source: 'recharge' as const,
  shop: envelope.shop,
  occurred_at: occurredAt,
  person: subscriptionPerson(subscription),
});

const withLinks = (event: CanonicalEventDraft) =>
  normalized([event], [], rechargeIdentityLinks(event.person, event.occurred_at));

/** subscription/created: Subscription Started, once per subscription. */
export const normalizeSubscriptionCreated: TopicNormalizer = (payload, envelope) => {
  const subscription = parseSubscription(payload, envelope);
  return withLinks({
    name: 'Subscription Started',
    dedupe_key: `subscription-started#${envelope.shop}#${subscription.id}`,
    ...base(subscription, envelope, rechargeTime(subscription.created_at, 'created_at')),
    properties: subscriptionProperties(subscription),
  });
};

/** subscription/activated: Subscription Reactivated, once per activation (a subscription may come back twice). */
export const normalizeSubscriptionActivated: TopicNormalizer = (payload, envelope) => {
  const subscription = parseSubscription(payload, envelope);
  const at = changedAt(subscription);
  return withLinks({
    name: 'Subscription Reactivated',
    dedupe_key: `subscription-reactivated#${envelope.shop}#${subscription.id}#${at}`,
    ...base(subscription, envelope, at),
    properties: subscriptionProperties(subscription),
  });
};

/** subscription/cancelled: Subscription Cancelled with the reason, once per cancellation. */
export const normalizeSubscriptionCancelled: TopicNormalizer = (payload, envelope) => {
  const subscription = parseSubscription(payload, envelope);
  const at = subscription.cancelled_at
    ? rechargeTime(subscription.cancelled_at, 'cancelled_at')
    : changedAt(subscription);
  return withLinks({
    name: 'Subscription Cancelled',
    dedupe_key: `subscription-cancelled#${envelope.shop}#${subscription.id}#${at}`,
    ...base(subscription, envelope, at),
    properties: {
      ...subscriptionProperties(subscription),
      cancellation_reason: blankToNull(subscription.cancellation_reason),
      cancellation_reason_comments: blankToNull(subscription.cancellation_reason_comments),
    },
  });
};

/** subscription/skipped: Subscription Skipped, once per skip (each skip moves `updated_at`). */
export const normalizeSubscriptionSkipped: TopicNormalizer = (payload, envelope) => {
  const subscription = parseSubscription(payload, envelope);
  const at = changedAt(subscription);
  return withLinks({
    name: 'Subscription Skipped',
    dedupe_key: `subscription-skipped#${envelope.shop}#${subscription.id}#${at}`,
    ...base(subscription, envelope, at),
    properties: subscriptionProperties(subscription),
  });
};

/**
 * subscription/updated and subscription/unskipped: no canonical event. `updated` fires on every change (including
 * the next-charge date moving after each charge), so an event would be noise, and there is no "Unskipped" event.
 * The payload is still validated and its identifier pairs are passed on for identity stitching.
 */
export const normalizeSubscriptionIdentityOnly: TopicNormalizer = (payload, envelope) => {
  const subscription = parseSubscription(payload, envelope);
  const links = rechargeIdentityLinks(subscriptionPerson(subscription), changedAt(subscription));
  return links.length > 0
    ? normalized([], [], links)
    : ignored(`${envelope.topic} carries no event and no identifier pair`);
};
