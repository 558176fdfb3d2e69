import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import { HttpCustomerIoTrack } from '../../../shared/delivery/customerio-client.js';
import { CustomerIoError, parseRetryAfter } from '../../../shared/delivery/customerio-errors.js';
import {
  type DeliverDeps,
  deliverOutboxRecords,
  outboxCorrelation,
} from '../../../shared/delivery/deliver-batch.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { orderProperties } from '../../helpers/canonical-fixtures.js';
import { testTelemetry } from '../../helpers/fakes.js';
import { outboxRecord, useTrackCapture } from '../../helpers/track-capture.js';

const NOW = new Date('2026-11-28T10:00:05.000Z');

const orderEvent = (orderId: string, trace = true): OutboxMessage => {
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
    ...(trace ? { trace: { delivery_id: `wh-${orderId}`, received_at: '2026-11-28T10:00:00.000Z' } } : {}),
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
  const deps = (overrides: Partial<DeliverDeps> = {}) => {
    const telemetry = testTelemetry();
    return {
      telemetry,
      deps: { track: harness.track, eventNames: {}, telemetry, clock: () => NOW, ...overrides },
    };
  };

  it('sends one batch with Basic auth, deterministic ids, Unix timestamps and renamed events', async () => {
    const { deps: d } = deps({ eventNames: { 'Order Completed': 'Order Placed' } });
    const failed = await deliverOutboxRecords(
      [outboxRecord('m1', identify), outboxRecord('m2', orderEvent('1001'))],
      d,
    );
    expect([...failed.keys()]).toEqual([]);
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

  it('counts accepted items and one DeliveryLag sample per accepted item that carries a trace', async () => {
    const { deps: d, telemetry } = deps();
    await deliverOutboxRecords(
      [
        outboxRecord('a', orderEvent('1')),
        outboxRecord('b', orderEvent('2', false)),
        outboxRecord('c', identify),
      ],
      d,
    );
    expect(telemetry.counters.get('CustomerIoAccepted')).toBe(3);
    expect(telemetry.counters.get('DeliveredOperations')).toBe(3);
    expect(telemetry.counters.timings.get('DeliveryLag')).toEqual([5_000]);
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
      deps().deps,
    );
    expect([...failed.keys()]).toEqual(['merge-anon']);
    expect(classifyFailure(failed.get('merge-anon'))).toMatchObject({
      class: 'permanent',
      code: 'envelope_invalid',
    });
    expect(harness.capture.operations()).toEqual([
      { type: 'person', action: 'merge', primary: { id: '555' }, secondary: { email: 'guest@example.com' } },
    ]);
  });

  it('parks what a 207 rejects with reason and field only (never the echoed value), and records that are no outbox messages', async () => {
    harness.capture.respondWith(() => ({
      status: 207,
      body: {
        errors: [
          { batch_index: 1, reason: 'invalid', field: 'name', message: 'value "ada@example.com" too long' },
        ],
      },
    }));
    const { deps: d, telemetry } = deps();
    const failed = await deliverOutboxRecords(
      [
        outboxRecord('ok-1', orderEvent('1')),
        outboxRecord('bad-1', orderEvent('2')),
        outboxRecord('junk', '{"type":"nope"}'),
        outboxRecord('ok-2', orderEvent('3')),
      ],
      d,
    );
    expect([...failed.keys()].sort()).toEqual(['bad-1', 'junk']);
    const rejected = classifyFailure(failed.get('bad-1'));
    expect(rejected).toMatchObject({ class: 'permanent', code: 'destination_rejected' });
    expect(rejected.reason).toBe('Customer.io rejected the item: invalid: name');
    expect(classifyFailure(failed.get('junk'))).toMatchObject({
      class: 'permanent',
      code: 'envelope_invalid',
    });
    expect(harness.capture.operations()).toHaveLength(3);
    expect(telemetry.counters.get('CustomerIoRejected')).toBe(1);
    expect(telemetry.counters.get('CustomerIoAccepted')).toBe(2);
  });

  it.each([
    [401, 'auth', 'CustomerIoAuthFailed', 'destination_auth'],
    [403, 'auth', 'CustomerIoAuthFailed', 'destination_auth'],
    [500, 'server_error', 'CustomerIoServerError', 'destination_unavailable'],
    [503, 'server_error', 'CustomerIoServerError', 'destination_unavailable'],
    [301, 'server_error', 'CustomerIoServerError', 'destination_unavailable'],
    [408, 'timeout', 'CustomerIoTimeout', 'destination_timeout'],
  ])(
    'fails every item of a call answered %i as a transient %s, counted once per call',
    async (status, kind, metric, code) => {
      harness.capture.respondWith(() => ({ status, body: {} }));
      const { deps: d, telemetry } = deps();
      const failed = await deliverOutboxRecords(
        [outboxRecord('a', orderEvent('1')), outboxRecord('b', identify)],
        d,
      );
      expect([...failed.keys()]).toEqual(['a', 'b']);
      const error = failed.get('a');
      expect(error).toBeInstanceOf(CustomerIoError);
      expect(error instanceof CustomerIoError && error.kind).toBe(kind);
      expect(classifyFailure(error)).toMatchObject({ class: 'transient', code });
      expect(telemetry.counters.get(metric)).toBe(1);
      expect(harness.capture.requests).toHaveLength(1); // a redirect is never followed
    },
  );

  it('says the credentials are wrong, and parks as destination_auth once out of attempts', async () => {
    harness.capture.respondWith(() => ({ status: 401, body: {} }));
    const failed = await deliverOutboxRecords([outboxRecord('a', identify)], deps().deps);
    const failure = classifyFailure(failed.get('a'));
    expect(failure.reason).toMatch(/credentials/);
    expect(failure.class === 'transient' && failure.exhaustedCode).toBe('destination_auth');
  });

  it('honours a 429 Retry-After in seconds or as an HTTP date', async () => {
    for (const retryAfter of ['17', new Date(NOW.getTime() + 90_000).toUTCString()]) {
      harness.capture.respondWith(() => ({ status: 429, body: {}, headers: { 'retry-after': retryAfter } }));
      const { deps: d, telemetry } = deps({
        track: new HttpCustomerIoTrack({
          baseUrl: harness.capture.url,
          siteId: 's',
          apiKey: 'k',
          timeoutMs: 2_000,
          clock: () => NOW,
        }),
      });
      const failed = await deliverOutboxRecords([outboxRecord('a', orderEvent('1'))], d);
      expect(classifyFailure(failed.get('a'))).toMatchObject({
        class: 'transient',
        code: 'destination_rate_limited',
        retryAfterSeconds: retryAfter === '17' ? 17 : 90,
      });
      expect(telemetry.counters.get('CustomerIoRateLimited')).toBe(1);
    }
  });

  it('fails the items of a call that times out as destination_timeout', async () => {
    harness.capture.respondWith(() => ({ status: 200, body: {}, delayMs: 1_000 }));
    const { deps: d, telemetry } = deps({
      track: new HttpCustomerIoTrack({
        baseUrl: harness.capture.url,
        siteId: 's',
        apiKey: 'k',
        timeoutMs: 100,
      }),
    });
    const failed = await deliverOutboxRecords([outboxRecord('a', orderEvent('1'))], d);
    expect(classifyFailure(failed.get('a'))).toMatchObject({
      class: 'transient',
      code: 'destination_timeout',
    });
    expect(telemetry.counters.get('CustomerIoTimeout')).toBe(1);
  });

  it('fails the items of a call that cannot connect as destination_timeout (network)', async () => {
    const closed = createServer();
    const port = await new Promise<number>((resolve) =>
      closed.listen(0, '127.0.0.1', () => {
        const address = closed.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      }),
    );
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { deps: d, telemetry } = deps({
      track: new HttpCustomerIoTrack({
        baseUrl: `http://127.0.0.1:${port}`,
        siteId: 's',
        apiKey: 'k',
        timeoutMs: 2_000,
      }),
    });
    const failed = await deliverOutboxRecords([outboxRecord('a', identify)], d);
    expect(classifyFailure(failed.get('a'))).toMatchObject({
      class: 'transient',
      code: 'destination_timeout',
    });
    expect(telemetry.counters.get('CustomerIoTimeout')).toBe(1);
  });

  it('treats a 207 it cannot read as a server error: the items are retried, not dropped', async () => {
    harness.capture.respondWith(() => ({ status: 207, body: 'not json' }));
    const failed = await deliverOutboxRecords([outboxRecord('a', identify)], deps().deps);
    expect(classifyFailure(failed.get('a'))).toMatchObject({
      class: 'transient',
      code: 'destination_unavailable',
    });
  });

  it('isolates the item that spoils a whole request (400/413) by sending the items one by one', async () => {
    harness.capture.respondWith((request) => {
      const batch = (request.body as { batch: { id?: string }[] }).batch;
      const spoiled = batch.some((op) => op.id === eventIdFor('order-completed#demo.myshopify.com#bad'));
      return spoiled
        ? { status: 400, body: { errors: [{ reason: 'required', field: 'timestamp', message: 'echo' }] } }
        : { status: 200, body: {} };
    });
    const failed = await deliverOutboxRecords(
      [
        outboxRecord('ok-a', orderEvent('a')),
        outboxRecord('bad', orderEvent('bad')),
        outboxRecord('ok-b', orderEvent('b')),
      ],
      deps().deps,
    );
    expect([...failed.keys()]).toEqual(['bad']);
    expect(classifyFailure(failed.get('bad'))).toMatchObject({
      code: 'destination_rejected',
      reason: 'Customer.io rejected the item: required: timestamp',
    });
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
      deps().deps,
    );
    expect([...failed.keys()]).toEqual(['huge']);
    expect(classifyFailure(failed.get('huge'))).toMatchObject({ class: 'permanent', code: 'item_too_large' });
    expect(harness.capture.operations()).toHaveLength(1);
  });
});

describe('outboxCorrelation', () => {
  it('reads the delivery id and event id, and nothing from what is not a message', () => {
    const message = orderEvent('7');
    expect(outboxCorrelation(JSON.stringify(message))).toEqual({
      delivery_id: 'wh-7',
      event_id: eventIdFor('order-completed#demo.myshopify.com#7'),
    });
    expect(outboxCorrelation('nope')).toEqual({});
    expect(outboxCorrelation('null')).toEqual({});
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120);
    expect(parseRetryAfter(new Date(NOW.getTime() - 5_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});
