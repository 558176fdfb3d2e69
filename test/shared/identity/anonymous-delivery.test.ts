import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import { CustomerIoError } from '../../../shared/delivery/customerio-errors.js';
import { deliverOutboxRecords } from '../../../shared/delivery/deliver-batch.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { identityConfig, resolveIdentifiers } from '../../../shared/identity/identifiers.js';
import { testTelemetry } from '../../helpers/fakes.js';
import { outboxRecord, useTrackCapture } from '../../helpers/track-capture.js';

const SHOP = 'demo.myshopify.com';

const searched = (anonymousId: string, query: string): OutboxMessage => {
  const dedupeKey = `pixel#${SHOP}#evt-${query}`;
  return {
    type: 'event',
    identifiers: { anonymous_id: anonymousId },
    event: {
      id: eventIdFor(dedupeKey),
      name: 'Products Searched',
      dedupe_key: dedupeKey,
      source: 'pixel',
      shop: SHOP,
      occurred_at: '2026-11-28T10:00:00.000Z',
      person: { anonymous_id: anonymousId },
      properties: { page_url: null, referrer: null, query, products: [], result_count: 0 },
    },
  };
};

const identify: OutboxMessage = {
  type: 'identify',
  identifiers: { id: '42' },
  update: {
    dedupe_key: `merge#${SHOP}#anon-1`,
    source: 'shopify',
    shop: SHOP,
    occurred_at: '2026-11-28T09:00:00.000Z',
    person: { customer_id: '42' },
    attributes: { anonymous_id: 'anon-1' },
  },
};

describe('resolveIdentifiers', () => {
  const config = { strategy: 'customer_id' as const, customerIdPrefix: '' };
  it('falls back to the anonymous id only when no person identifier is known', () => {
    expect(resolveIdentifiers({ anonymous_id: 'a' }, config, SHOP)).toEqual({ anonymous_id: 'a' });
    expect(resolveIdentifiers({ anonymous_id: 'a', email: 'e@x.example' }, config, SHOP)).toEqual({
      email: 'e@x.example',
    });
    expect(resolveIdentifiers({ anonymous_id: 'a', customer_id: '7' }, config, SHOP)).toEqual({ id: '7' });
    expect(resolveIdentifiers({}, config, SHOP)).toBeUndefined();
  });

  it("prefixes customer ids with their shop's prefix, so shops sharing a workspace keep customers apart", () => {
    const shops = identityConfig('customer_id', {
      'uk.myshopify.com': { customerIdPrefix: 'uk-' },
      'us.myshopify.com': { customerIdPrefix: '' },
    });
    expect(resolveIdentifiers({ customer_id: '7' }, shops, 'uk.myshopify.com')).toEqual({ id: 'uk-7' });
    expect(resolveIdentifiers({ customer_id: '7' }, shops, 'us.myshopify.com')).toEqual({ id: '7' });
    expect(resolveIdentifiers({ customer_id: '7' }, shops, 'unknown.myshopify.com')).toEqual({ id: '7' });
    expect(resolveIdentifiers({ email: 'e@x.example' }, shops, 'uk.myshopify.com')).toEqual({
      email: 'e@x.example',
    });
  });
});

describe('anonymous events → Track v1 POST /api/v1/events (local capture on 127.0.0.1)', () => {
  const harness = useTrackCapture();

  it('sends person operations in one v2 batch and each anonymous event to v1 with anonymous_id, id and data', async () => {
    const failed = await deliverOutboxRecords(
      [
        outboxRecord('m1', searched('anon-1', 'skate')),
        outboxRecord('m2', identify),
        outboxRecord('m3', searched('anon-2', 'wax')),
      ],
      { track: harness.track, eventNames: {}, telemetry: testTelemetry(), clock: () => new Date() },
    );
    expect([...failed.keys()]).toEqual([]);
    const byPath = (path: string) => harness.capture.requests.filter((r) => r.path === path);
    expect(byPath('/api/v2/batch')).toHaveLength(1);
    expect(harness.capture.operations()).toEqual([
      {
        type: 'person',
        identifiers: { id: '42' },
        action: 'identify',
        timestamp: 1_795_856_400,
        attributes: { anonymous_id: 'anon-1' },
      },
    ]);
    const v1 = byPath('/api/v1/events');
    expect(v1).toHaveLength(2);
    expect(v1.map((r) => r.authorization)).toEqual([
      `Basic ${Buffer.from('site:key').toString('base64')}`,
      `Basic ${Buffer.from('site:key').toString('base64')}`,
    ]);
    expect(v1.map((r) => r.body)).toEqual(
      expect.arrayContaining([
        {
          anonymous_id: 'anon-1',
          name: 'Products Searched',
          id: eventIdFor(`pixel#${SHOP}#evt-skate`),
          timestamp: 1_795_860_000,
          data: {
            page_url: null,
            referrer: null,
            query: 'skate',
            products: [],
            result_count: 0,
            source: 'pixel',
            shop: SHOP,
          },
        },
        expect.objectContaining({ anonymous_id: 'anon-2', name: 'Products Searched' }),
      ]),
    );
  });

  it('fails only the anonymous event v1 rejects (400), and the v2 item 207 rejects, by record', async () => {
    harness.capture.respondWith((request) => {
      if (
        request.path === '/api/v1/events' &&
        (request.body as { anonymous_id?: string }).anonymous_id === 'anon-2'
      ) {
        return { status: 400, body: { meta: { errors: ['name too long'] } } };
      }
      if (request.path === '/api/v2/batch') {
        return {
          status: 207,
          body: { errors: [{ batch_index: 0, reason: 'invalid', message: 'bad identify' }] },
        };
      }
      return { status: 200, body: {} };
    });
    const telemetry = testTelemetry();
    const failed = await deliverOutboxRecords(
      [
        outboxRecord('m1', searched('anon-1', 'a')),
        outboxRecord('m2', identify),
        outboxRecord('m3', searched('anon-2', 'b')),
      ],
      { track: harness.track, eventNames: {}, telemetry, clock: () => new Date() },
    );
    expect([...failed.keys()].sort()).toEqual(['m2', 'm3']);
    expect(telemetry.counters.get('DeliveredOperations')).toBe(1);
    expect(telemetry.counters.get('RejectedOperations')).toBe(2);
  });

  it('fails only the anonymous record when v1 answers 429 or 5xx; items Customer.io accepted are not resent', async () => {
    for (const status of [429, 503]) {
      harness.capture.respondWith((request) =>
        request.path === '/api/v1/events' ? { status, body: {} } : { status: 200, body: {} },
      );
      const failed = await deliverOutboxRecords(
        [outboxRecord('anon-rec', searched('anon-1', 'x')), outboxRecord('known-rec', identify)],
        { track: harness.track, eventNames: {}, telemetry: testTelemetry(), clock: () => new Date() },
      );
      expect([...failed.keys()]).toEqual(['anon-rec']);
    }
  });

  it('fails every record of a v2 call that could not be made with the transient error of the call', async () => {
    harness.capture.respondWith(() => ({ status: 503, body: {} }));
    const failed = await deliverOutboxRecords([outboxRecord('known-rec', identify)], {
      track: harness.track,
      eventNames: {},
      telemetry: testTelemetry(),
      clock: () => new Date(),
    });
    expect(failed.get('known-rec')).toBeInstanceOf(CustomerIoError);
  });

  it('never sends an identify addressed to an anonymous id; the record fails instead', async () => {
    const bad: OutboxMessage = { ...identify, identifiers: { anonymous_id: 'anon-1' } };
    const failed = await deliverOutboxRecords([outboxRecord('m1', bad)], {
      track: harness.track,
      eventNames: {},
      telemetry: testTelemetry(),
      clock: () => new Date(),
    });
    expect([...failed.keys()]).toEqual(['m1']);
    expect(harness.capture.requests).toHaveLength(0);
  });
});
