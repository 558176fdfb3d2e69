import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import { deliverOutboxRecords } from '../../../shared/delivery/deliver-batch.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { DependencyError } from '../../../shared/errors.js';
import { orderProperties } from '../../helpers/canonical-fixtures.js';
import { testTelemetry } from '../../helpers/fakes.js';
import { outboxRecord, useTrackCapture } from '../../helpers/track-capture.js';

const orderEvent = (orderId: string): OutboxMessage => {
  const dedupeKey = `order-completed#demo.myshopify.com#${orderId}`;
  return {
    type: 'event',
    identifiers: { id: '42' },
    event: {
      id: eventIdFor(dedupeKey),
      name: 'Order Completed',
      dedupe_key: dedupeKey,
      source: 'shopify',
      shop: 'demo.myshopify.com',
      occurred_at: '2026-11-28T10:00:00.000Z',
      person: { customer_id: '42' },
      properties: orderProperties(orderId, 10, { currency: 'EUR', orderNumber: '#1001' }),
    },
  };
};

const identify: OutboxMessage = {
  type: 'identify',
  identifiers: { email: 'ada@example.com' },
  update: {
    dedupe_key: 'identify#demo#1',
    source: 'shopify',
    shop: 'demo.myshopify.com',
    occurred_at: '2026-11-28T09:00:00.000Z',
    person: { email: 'ada@example.com' },
    attributes: { email: 'ada@example.com', first_name: 'Ada' },
  },
};

describe('deliverOutboxRecords → Customer.io Track v2 (local HTTP server on 127.0.0.1)', () => {
  const harness = useTrackCapture();

  it('sends one batch with Basic auth, deterministic ids, Unix timestamps and renamed events', async () => {
    const failed = await deliverOutboxRecords(
      [outboxRecord('m1', identify), outboxRecord('m2', orderEvent('1001'))],
      {
        track: harness.track,
        eventNames: { 'Order Completed': 'Order Placed' },
        telemetry: testTelemetry(),
      },
    );
    expect(failed).toEqual([]);
    expect(harness.capture.requests).toHaveLength(1);
    expect(harness.capture.requests[0]?.path).toBe('/api/v2/batch');
    expect(harness.capture.requests[0]?.authorization).toBe(
      `Basic ${Buffer.from('site:key').toString('base64')}`,
    );
    expect(harness.capture.operations()).toEqual([
      {
        type: 'person',
        identifiers: { email: 'ada@example.com' },
        action: 'identify',
        timestamp: 1_795_856_400, // 2026-11-28T09:00:00Z
        attributes: { email: 'ada@example.com', first_name: 'Ada' },
      },
      expect.objectContaining({
        type: 'person',
        identifiers: { id: '42' },
        action: 'event',
        name: 'Order Placed',
        id: eventIdFor('order-completed#demo.myshopify.com#1001'),
        timestamp: 1_795_860_000, // 2026-11-28T10:00:00Z
        attributes: expect.objectContaining({
          order_id: '1001',
          total: 10,
          currency: 'EUR',
          source: 'shopify',
        }),
      }),
    ]);
  });

  it('maps a profile merge to the v2 merge action, and refuses one that names an anonymous browser', async () => {
    const merge: OutboxMessage = {
      type: 'merge',
      primary: { id: '555' },
      secondary: { email: 'guest@example.com' },
      shop: 'demo.myshopify.com',
      dedupe_key: 'merge-profiles#demo#email:guest@example.com#customer_id:555',
    };
    const failed = await deliverOutboxRecords(
      [
        outboxRecord('merge-1', merge),
        outboxRecord('merge-anon', { ...merge, secondary: { anonymous_id: 'browser-1' } }),
      ],
      { track: harness.track, eventNames: {}, telemetry: testTelemetry() },
    );
    expect(failed).toEqual(['merge-anon']);
    expect(harness.capture.operations()).toEqual([
      { type: 'person', action: 'merge', primary: { id: '555' }, secondary: { email: 'guest@example.com' } },
    ]);
  });

  it('fails only the items a 207 rejects, and records that are not outbox messages', async () => {
    harness.capture.respondWith(() => ({
      status: 207,
      body: { errors: [{ batch_index: 1, reason: 'invalid', field: 'name', message: 'too long' }] },
    }));
    const failed = await deliverOutboxRecords(
      [
        outboxRecord('ok-1', orderEvent('1')),
        outboxRecord('bad-1', orderEvent('2')),
        outboxRecord('junk', '{"type":"nope"}'),
        outboxRecord('ok-2', orderEvent('3')),
      ],
      { track: harness.track, eventNames: {}, telemetry: testTelemetry() },
    );
    expect(failed.sort()).toEqual(['bad-1', 'junk']);
    expect(harness.capture.operations()).toHaveLength(3);
  });

  it('throws a DependencyError on 429, 5xx and 401 so the whole batch is retried', async () => {
    for (const status of [429, 503, 401]) {
      harness.capture.respondWith(() => ({ status, body: {} }));
      await expect(
        deliverOutboxRecords([outboxRecord('m', orderEvent('9'))], {
          track: harness.track,
          eventNames: {},
          telemetry: testTelemetry(),
        }),
      ).rejects.toBeInstanceOf(DependencyError);
    }
  });

  it('isolates the item that spoils a whole request (400/413) by sending the items one by one', async () => {
    harness.capture.respondWith((request) => {
      const batch = (request.body as { batch: { id?: string }[] }).batch;
      const spoiled = batch.some((op) => op.id === eventIdFor('order-completed#demo.myshopify.com#bad'));
      return spoiled ? { status: 400, body: { errors: [] } } : { status: 200, body: {} };
    });
    const failed = await deliverOutboxRecords(
      [
        outboxRecord('ok-a', orderEvent('a')),
        outboxRecord('bad', orderEvent('bad')),
        outboxRecord('ok-b', orderEvent('b')),
      ],
      { track: harness.track, eventNames: {}, telemetry: testTelemetry() },
    );
    expect(failed).toEqual(['bad']);
    expect(harness.capture.requests).toHaveLength(4);
  });

  it('fails an item larger than Customer.io accepts without sending it, and sends the rest', async () => {
    const huge = orderEvent('huge');
    if (huge.type !== 'event' || huge.event.name !== 'Order Completed') throw new Error('expected an order');
    const line = {
      product_id: '1',
      variant_id: null,
      sku: 'S',
      name: 'x'.repeat(300),
      variant_name: null,
      brand: null,
      category: null,
      quantity: 1,
      price: 1,
      discount: 0,
      url: null,
      image_url: null,
    };
    huge.event.properties.products = Array.from({ length: 150 }, () => line);
    const failed = await deliverOutboxRecords(
      [outboxRecord('huge', huge), outboxRecord('ok', orderEvent('ok'))],
      {
        track: harness.track,
        eventNames: {},
        telemetry: testTelemetry(),
      },
    );
    expect(failed).toEqual(['huge']);
    expect(harness.capture.operations()).toHaveLength(1);
  });

  it('does not follow redirects (credentials never leave Customer.io)', async () => {
    harness.capture.respondWith(() => ({ status: 301, body: {} }));
    const message = orderEvent('301');
    if (message.type !== 'event') throw new Error('expected an event');
    await expect(
      harness.track.batch([
        {
          type: 'person',
          identifiers: message.identifiers,
          action: 'event',
          name: 'Order Completed',
          id: message.event.id,
          timestamp: 1,
          attributes: {},
        },
      ]),
    ).rejects.toThrow('HTTP 301');
    expect(harness.capture.requests).toHaveLength(1);
  });
});
