import { describe, expect, it } from 'vitest';
import { OutboxMessageSchema } from '../../../../shared/delivery/outbox-message.js';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { normalizerRegistry } from '../../../../shared/normalize/registry.js';
import type { MemoryCounters } from '../../../../shared/ports/telemetry.js';
import { type ProcessDeps, processInboxMessage } from '../../../../shared/process/process-envelope.js';
import { reviewTime } from '../../../../shared/sources/reviews/review-mappers.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../../helpers/fakes.js';
import { readReviewSample, reviewEnvelope } from '../../../helpers/reviews-envelope.js';

describe('reviewTime', () => {
  it('converts offsets, zone-less times (as UTC) and "UTC"-suffixed times to ISO UTC', () => {
    expect(reviewTime('2023-10-05T13:35:01+02:00')).toBe('2023-10-05T11:35:01.000Z');
    expect(reviewTime('2019-06-05T09:30:14.963')).toBe('2019-06-05T09:30:14.963Z');
    expect(reviewTime('2018-02-20 14:12:13 UTC')).toBe('2018-02-20T14:12:13.000Z');
  });

  it('throws PayloadValidationError for text that is not a time', () => {
    expect(() => reviewTime('last tuesday')).toThrow(PayloadValidationError);
  });
});

const testCounters = (deps: ProcessDeps) => deps.telemetry.counters as MemoryCounters;

describe('review deliveries through processInboxMessage', () => {
  const setup = () => {
    const outbox = new MemoryQueue();
    const deps: ProcessDeps = {
      dedupe: new MemoryDedupeStore(),
      outbox,
      normalizers: normalizerRegistry,
      stages: [],
      identity: { strategy: 'customer_id', customerIdPrefix: '' },
      clock: () => new Date('2026-11-28T10:00:00Z'),
      telemetry: testTelemetry(),
    };
    return { outbox, deps };
  };
  const body = readReviewSample('judgeme', 'review-created.json');

  it('delivers a Judge.me review to the reviewer email once, even when a second delivery repeats it', async () => {
    const { outbox, deps } = setup();
    const first = reviewEnvelope('judgeme', 'review/created', 'test.myshopify.com', body);
    expect(await processInboxMessage(JSON.stringify(first), deps)).toBe('processed');
    const second = { ...first, deliveryId: 'another-delivery' };
    expect(await processInboxMessage(JSON.stringify(second), deps)).toBe('processed');
    const messages = outbox.json().map((m) => OutboxMessageSchema.parse(m));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      type: 'event',
      identifiers: { email: 'test@test.com' },
      event: {
        name: 'Review Submitted',
        dedupe_key: 'review-submitted#test.myshopify.com#judgeme#465077653',
      },
    });
  });

  it("never lets a review id of one shop suppress another shop's review (the key carries the shop)", async () => {
    const { outbox, deps } = setup();
    // A review pushed for shop A (possibly forged by someone holding A's secret) with the id of B's next review...
    const forged = reviewEnvelope('judgeme', 'review/created', 'shop-a.myshopify.com', body);
    expect(await processInboxMessage(JSON.stringify(forged), deps)).toBe('processed');
    // ...does not make B's genuine review a duplicate.
    const genuine = {
      ...reviewEnvelope('judgeme', 'review/created', 'shop-b.myshopify.com', body),
      deliveryId: 'b-1',
    };
    expect(await processInboxMessage(JSON.stringify(genuine), deps)).toBe('processed');
    const events = outbox.json().map((m) => OutboxMessageSchema.parse(m));
    expect(events.map((m) => m.type === 'event' && m.event.shop)).toEqual([
      'shop-a.myshopify.com',
      'shop-b.myshopify.com',
    ]);
    expect(testCounters(deps).get('DuplicateBusinessEvent_event')).toBe(0);
    const ids = events.map((m) => (m.type === 'event' ? m.event.id : ''));
    expect(new Set(ids).size).toBe(2);
  });

  it('ignores an unhandled review topic', async () => {
    const { outbox, deps } = setup();
    const updated = reviewEnvelope('judgeme', 'review/updated', 'test.myshopify.com', body);
    expect(await processInboxMessage(JSON.stringify(updated), deps)).toBe('ignored');
    expect(outbox.sent).toHaveLength(0);
  });
});
