import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CustomerIoCapture, startCustomerIoCapture } from '../../../local/customerio-capture.js';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import { HttpCustomerIoTrack } from '../../../shared/delivery/customerio-client.js';
import { deliverOutboxRecords, type OutboxRecord } from '../../../shared/delivery/deliver-batch.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { DependencyError } from '../../../shared/errors.js';
import { orderProperties } from '../../helpers/canonical-fixtures.js';
import { testTelemetry } from '../../helpers/fakes.js';

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

const record = (id: string, message: OutboxMessage | string): OutboxRecord => ({
  messageId: id,
  body: typeof message === 'string' ? message : JSON.stringify(message),
});

describe('deliverOutboxRecords → Customer.io Track v2 (local HTTP server on 127.0.0.1)', () => {
  let capture: CustomerIoCapture;
  let track: HttpCustomerIoTrack;
  beforeAll(async () => {
    capture = await startCustomerIoCapture();
    track = new HttpCustomerIoTrack({
      baseUrl: capture.url,
      siteId: 'site',
      apiKey: 'key',
      timeoutMs: 2_000,
    });
  });
  afterAll(async () => capture.close());
  beforeEach(() => {
    capture.requests.length = 0;
    capture.respondWith(undefined);
  });

  it('sends one batch with Basic auth, deterministic ids, Unix timestamps and renamed events', async () => {
    const failed = await deliverOutboxRecords([record('m1', identify), record('m2', orderEvent('1001'))], {
      track,
      eventNames: { 'Order Completed': 'Order Placed' },
      telemetry: testTelemetry(),
    });
    expect(failed).toEqual([]);
    expect(capture.requests).toHaveLength(1);
    expect(capture.requests[0]?.path).toBe('/api/v2/batch');
    expect(capture.requests[0]?.authorization).toBe(`Basic ${Buffer.from('site:key').toString('base64')}`);
    expect(capture.operations()).toEqual([
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
        record('merge-1', merge),
        record('merge-anon', { ...merge, secondary: { anonymous_id: 'browser-1' } }),
      ],
      { track, eventNames: {}, telemetry: testTelemetry() },
    );
    expect(failed).toEqual(['merge-anon']);
    expect(capture.operations()).toEqual([
      { type: 'person', action: 'merge', primary: { id: '555' }, secondary: { email: 'guest@example.com' } },
    ]);
  });

  it('fails only the items a 207 rejects, and records that are not outbox messages', async () => {
    capture.respondWith(() => ({
      status: 207,
      body: { errors: [{ batch_index: 1, reason: 'invalid', field: 'name', message: 'too long' }] },
    }));
    const failed = await deliverOutboxRecords(
      [
        record('ok-1', orderEvent('1')),
        record('bad-1', orderEvent('2')),
        record('junk', '{"type":"nope"}'),
        record('ok-2', orderEvent('3')),
      ],
      { track, eventNames: {}, telemetry: testTelemetry() },
    );
    expect(failed.sort()).toEqual(['bad-1', 'junk']);
    expect(capture.operations()).toHaveLength(3);
  });

  it('throws a DependencyError on 429, 5xx and 401 so the whole batch is retried', async () => {
    for (const status of [429, 503, 401]) {
      capture.respondWith(() => ({ status, body: {} }));
      await expect(
        deliverOutboxRecords([record('m', orderEvent('9'))], {
          track,
          eventNames: {},
          telemetry: testTelemetry(),
        }),
      ).rejects.toBeInstanceOf(DependencyError);
    }
  });

  it('isolates the item that spoils a whole request (400/413) by sending the items one by one', async () => {
    capture.respondWith((request) => {
      const batch = (request.body as { batch: { id?: string }[] }).batch;
      const spoiled = batch.some((op) => op.id === eventIdFor('order-completed#demo.myshopify.com#bad'));
      return spoiled ? { status: 400, body: { errors: [] } } : { status: 200, body: {} };
    });
    const failed = await deliverOutboxRecords(
      [record('ok-a', orderEvent('a')), record('bad', orderEvent('bad')), record('ok-b', orderEvent('b'))],
      { track, eventNames: {}, telemetry: testTelemetry() },
    );
    expect(failed).toEqual(['bad']);
    expect(capture.requests).toHaveLength(4);
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
    const failed = await deliverOutboxRecords([record('huge', huge), record('ok', orderEvent('ok'))], {
      track,
      eventNames: {},
      telemetry: testTelemetry(),
    });
    expect(failed).toEqual(['huge']);
    expect(capture.operations()).toHaveLength(1);
  });

  it('does not follow redirects (credentials never leave Customer.io)', async () => {
    capture.respondWith(() => ({ status: 301, body: {} }));
    const message = orderEvent('301');
    if (message.type !== 'event') throw new Error('expected an event');
    await expect(
      track.batch([
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
    expect(capture.requests).toHaveLength(1);
  });
});
