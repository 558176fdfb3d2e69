import { describe, expect, it } from 'vitest';
import { ActivityEntrySchema } from '../../../shared/activity/activity-entry.js';
import { activityItem, itemBytes } from '../../../shared/activity/activity-item.js';
import { subjectOf } from '../../../shared/activity/activity-subject.js';
import { deliveryRecord } from '../../../shared/activity/delivery-entry.js';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { parseJsonLossless } from '../../../shared/json/lossless-json.js';
import type { Normalized } from '../../../shared/normalize/normalizer.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { readSample, shopifyEnvelope } from '../../helpers/shopify-delivery.js';
import { pixelEnvelope, pixelSample } from '../sources/pixel/pixel-samples.js';

const normalize = (envelope: WebhookEnvelope): Normalized => {
  const normalizer = normalizerRegistry[envelope.source]?.[envelope.topic];
  if (!normalizer) throw new Error(`no normalizer for ${envelope.topic}`);
  const result = normalizer(parseJsonLossless(envelope.body), envelope);
  if (result.kind !== 'normalized') throw new Error('expected output');
  return result;
};

const ORDER = readSample('shopify/orders-create.json');
const order = JSON.parse(ORDER) as Record<string, unknown> & {
  email: string;
  customer: { first_name: string; last_name: string };
  shipping_address: { address1: string; phone: string };
};

describe('deliveryRecord', () => {
  it('files an order under its customer with event ids, verdicts and a summary, and no personal data', () => {
    // Prepare
    const envelope = shopifyEnvelope('orders/create', ORDER);
    const output = normalize(envelope);
    const [event] = output.events;
    const [identify] = output.people;
    if (!event || !identify) throw new Error('expected an event and an identify');
    const emits = new Map([
      [event.dedupe_key, 'done' as const],
      [identify.dedupe_key, 'duplicate' as const],
    ]);

    // Act
    const record = deliveryRecord({ envelope, verdict: 'processed', output, emits });

    // Assess
    expect(record?.subject).toBe('customer:115310627314723954');
    expect(record?.orderId).toBe('820982911946154508');
    const entry = ActivityEntrySchema.parse(record?.entry);
    if (entry.kind !== 'delivery') throw new Error('expected a delivery entry');
    expect(entry).toMatchObject({
      source: 'shopify',
      topic: 'orders/create',
      signed: true,
      verdict: 'processed',
    });
    expect(entry.events[0]).toMatchObject({
      name: 'Order Completed',
      id: eventIdFor(event.dedupe_key),
      verdict: 'queued',
    });
    expect(entry.events[0]?.summary).toContain('order 820982911946154508');
    expect(entry.events[0]?.summary).toContain('404.95 USD');
    expect(entry.updates[0]).toMatchObject({ kind: 'profile', verdict: 'duplicate' });
    expect(entry.updates[0]?.attributes).toContain('email');
    const stored = JSON.stringify(record?.entry);
    for (const personal of [
      order.email,
      order.customer.first_name,
      order.customer.last_name,
      order.shipping_address.address1,
    ]) {
      expect(stored).not.toContain(personal);
    }
  });

  it('files a guest by the hash of the email, never the email itself', () => {
    const guest = JSON.stringify({ ...order, customer: null, email: 'Guest.Buyer@Example.com' });
    const envelope = shopifyEnvelope('orders/create', guest);
    const record = deliveryRecord({ envelope, verdict: 'processed', output: normalize(envelope) });
    expect(record?.subject).toBe(subjectOf('email', 'guest.buyer@example.com'));
    expect(record?.subject).toMatch(/^email:[0-9a-f]{32}$/);
    expect(JSON.stringify(record)).not.toMatch(/guest\.buyer/i);
  });

  it('files a storefront beacon under its browser, marks it unsigned and records the cart it names', () => {
    const raw = pixelSample('web-pixel-cart-viewed.json');
    const envelope = pixelEnvelope('cart_viewed', raw, raw.id);
    const output = normalize(envelope);
    const record = deliveryRecord({ envelope, verdict: 'processed', output });
    expect(record?.subject).toBe(subjectOf('anon', raw.clientId));
    const entry = ActivityEntrySchema.parse(record?.entry);
    if (entry.kind !== 'delivery') throw new Error('expected a delivery entry');
    expect(entry.signed).toBe(false);
    expect(entry.links.anonymousIds).toEqual([raw.clientId]);
    expect(entry.links.carts?.length).toBe(1);
    // The verdicts come from what process emitted: an event it did not hand on shows as unidentified.
    expect(entry.events[0]?.verdict).toBe('unidentified');
    if (!record) throw new Error('expected a record');
    expect(itemBytes(activityItem(record, 30, new Date()))).toBeLessThan(1024);
  });

  it('keeps a duplicate apart from its first copy and files it under the subject it is given', () => {
    const envelope = shopifyEnvelope('orders/create', ORDER);
    const first = deliveryRecord({ envelope, verdict: 'processed', output: normalize(envelope) });
    const again = deliveryRecord(
      { envelope: { ...envelope, receivedAt: '2026-11-28T10:05:00.000Z' }, verdict: 'duplicate_delivery' },
      'customer:115310627314723954',
    );
    expect(again?.subject).toBe(first?.subject);
    expect(again?.uniqueness).not.toBe(first?.uniqueness);
    expect(ActivityEntrySchema.parse(again?.entry)).toMatchObject({
      verdict: 'duplicate_delivery',
      events: [],
    });
  });

  it('records nothing for a delivery that names nobody', () => {
    const envelope = shopifyEnvelope('orders/create', ORDER);
    expect(deliveryRecord({ envelope, verdict: 'ignored', note: 'nothing to emit' })).toBeUndefined();
  });
});
