import { utcIsoTime } from '../sources/source-time.js';
import type { RecordsOf, SourceRecord } from './source-record.js';

/*
 * Recharge and Judge.me API objects are the objects their webhooks carry (same API version), so a record is the
 * object wrapped as its webhook wraps it: `{customer}`, `{subscription}`, `{charge}`, `{review}`.
 */

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

const timeOf = (value: unknown): string | undefined => {
  const raw = text(value);
  return raw === undefined ? undefined : utcIsoTime(raw);
};

const unreadable = (
  source: 'recharge' | 'judgeme',
  resource: string,
  item: Record<string, unknown>,
  reason: string,
) => ({
  unreadable: { source, resource, ...(text(item.id) ? { id: text(item.id) } : {}), reason },
});

/** A Recharge customer: customer/updated, versioned by updated_at. */
export const rechargeCustomerRecords = (item: Record<string, unknown>): RecordsOf => {
  const id = text(item.id);
  const at = timeOf(item.updated_at) ?? timeOf(item.created_at);
  if (!id || !at) return unreadable('recharge', 'customers', item, 'customer without id or time');
  return {
    records: [
      {
        source: 'recharge',
        topic: 'customer/updated',
        id,
        version: at,
        occurredAt: at,
        body: { customer: item },
      },
    ],
  };
};

/**
 * A Recharge subscription: subscription/created (Subscription Started, once per subscription), and when it is
 * cancelled, subscription/cancelled for that cancellation, so active_subscriptions counts what is active now.
 */
export const rechargeSubscriptionRecords = (item: Record<string, unknown>): RecordsOf => {
  const id = text(item.id);
  const createdAt = timeOf(item.created_at);
  if (!id || !createdAt)
    return unreadable('recharge', 'subscriptions', item, 'subscription without id or time');
  const records: SourceRecord[] = [
    {
      source: 'recharge',
      topic: 'subscription/created',
      id,
      occurredAt: createdAt,
      body: { subscription: item },
    },
  ];
  const status = text(item.status)?.toLowerCase();
  const cancelledAt =
    timeOf(item.cancelled_at) ?? (status === 'cancelled' ? timeOf(item.updated_at) : undefined);
  if (status === 'cancelled' && cancelledAt) {
    records.push({
      source: 'recharge',
      topic: 'subscription/cancelled',
      id,
      version: cancelledAt,
      occurredAt: cancelledAt,
      body: { subscription: item },
    });
  }
  return { records };
};

/** A successful Recharge charge: charge/paid (Order Completed under the Shopify order's key). Others: nothing. */
export const rechargeChargeRecords = (item: Record<string, unknown>): RecordsOf => {
  const id = text(item.id);
  const at = timeOf(item.processed_at) ?? timeOf(item.created_at);
  if (!id || !at) return unreadable('recharge', 'charges', item, 'charge without id or time');
  if (text(item.status)?.toLowerCase() !== 'success') return { records: [] };
  return {
    records: [{ source: 'recharge', topic: 'charge/paid', id, occurredAt: at, body: { charge: item } }],
  };
};

/** A Judge.me review: review/created (Review Submitted, once per review). */
export const judgemeReviewRecords = (shop: string, item: Record<string, unknown>): RecordsOf => {
  const id = text(item.id);
  const at = timeOf(item.created_at);
  if (!id || !at) return unreadable('judgeme', 'reviews', item, 'review without id or time');
  return {
    records: [
      {
        source: 'judgeme',
        topic: 'review/created',
        id,
        occurredAt: at,
        body: { review: item, event: 'review/created', shop_domain: shop, platform: 'shopify' },
      },
    ],
  };
};
