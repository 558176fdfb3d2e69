import { describe, expect, it } from 'vitest';
import { ACTIVITY_WRITE_FAILED, ActivityRecorder } from '../../../shared/activity/activity-recorder.js';
import { subjectOf } from '../../../shared/activity/activity-subject.js';
import { cartCheckSubject } from '../../../shared/activity/check-and-park-entries.js';
import { envelopeSubject, inboxSubject } from '../../../shared/activity/envelope-subject.js';
import { deadLetterMessage } from '../../../shared/failures/dead-letter.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { encodeInboxMessage } from '../../../shared/ingest/inbox-message.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { MemoryActivityLog } from '../../helpers/activity.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { readSample, shopifyEnvelope } from '../../helpers/shopify-delivery.js';

const ORDER = readSample('shopify/orders-create.json');
const REDACT = readSample('shopify/customers-redact.json');
const NOW = new Date('2026-11-28T10:00:00Z');

const recorder = (log: MemoryActivityLog) => {
  const telemetry = testTelemetry();
  const activity = new ActivityRecorder({
    log,
    eraser: log,
    subjectOfEnvelope: (envelope) => envelopeSubject(normalizerRegistry, envelope),
    clock: () => NOW,
    telemetry,
  });
  return { activity, telemetry };
};

const processDeps = (activity: ActivityRecorder): ProcessDeps => ({
  dedupe: new MemoryDedupeStore(),
  outbox: new MemoryQueue(),
  normalizers: normalizerRegistry,
  stages: [],
  identity: { strategy: 'customer_id', customerIdPrefix: '' },
  clock: () => NOW,
  telemetry: testTelemetry(),
  activity,
});

describe('ActivityRecorder', () => {
  it('records a processed delivery and, under the same person, its duplicate', async () => {
    // Prepare
    const log = new MemoryActivityLog();
    const deps = processDeps(recorder(log).activity);
    const envelope = shopifyEnvelope('orders/create', ORDER);

    // Act
    await processInboxMessage(JSON.stringify(envelope), deps);
    await processInboxMessage(JSON.stringify({ ...envelope, receivedAt: '2026-11-28T10:01:00.000Z' }), deps);

    // Assess
    const deliveries = log.ofKind('delivery');
    expect(deliveries.map((r) => [r.subject, (r.entry as { verdict: string }).verdict])).toEqual([
      ['customer:115310627314723954', 'processed'],
      ['customer:115310627314723954', 'duplicate_delivery'],
    ]);
  });

  it('never fails the work it records: a failed write is counted and logged, not thrown', async () => {
    const log = new MemoryActivityLog();
    log.failWith = new Error('ProvisionedThroughputExceededException');
    const { activity, telemetry } = recorder(log);
    const deps = processDeps(activity);

    const outcome = await processInboxMessage(JSON.stringify(shopifyEnvelope('orders/create', ORDER)), deps);

    expect(outcome).toBe('processed');
    expect((deps.outbox as MemoryQueue).sent.length).toBeGreaterThan(0);
    expect(telemetry.counters.get(ACTIVITY_WRITE_FAILED)).toBe(1);
  });

  it('replaces a redacted person with one tombstone per identifier', async () => {
    const log = new MemoryActivityLog();
    const deps = processDeps(recorder(log).activity);
    await processInboxMessage(JSON.stringify(shopifyEnvelope('orders/create', ORDER)), deps);
    const email = (JSON.parse(ORDER) as { email: string }).email;
    // The order's buyer asks to be forgotten (the big customer id stays exact: it is spliced in as text).
    const redact = REDACT.replace('"id": 191167', '"id": 115310627314723954').replace(
      'john@example.com',
      email,
    );

    await processInboxMessage(JSON.stringify(shopifyEnvelope('customers/redact', redact)), deps);

    expect(log.ofKind('delivery')).toEqual([]);
    const tombstones = log.ofKind('redacted');
    expect(tombstones.map((r) => r.subject).sort()).toEqual(
      [subjectOf('customer', '115310627314723954'), subjectOf('email', email)].sort(),
    );
    expect(tombstones[0]?.entry).toMatchObject({ kind: 'redacted', removed: 1 });
  });

  it.each([
    ['the body embedded (as ingest queues it)', encodeInboxMessage],
    ['the body as a JSON string (older messages, replays)', (e: WebhookEnvelope) => JSON.stringify(e)],
  ])(
    'records a parked message after the DLQ took it, under the person its body names: %s',
    async (_, encode) => {
      const log = new MemoryActivityLog();
      const dlq = new MemoryQueue();
      const parks = recorder(log).activity.recordingParks(dlq, inboxSubject(normalizerRegistry));
      const envelope = shopifyEnvelope('orders/create', ORDER);

      await parks.send(
        deadLetterMessage({
          body: encode(envelope),
          code: 'person_unresolved',
          reason: 'no person',
          failureClass: 'permanent',
          attempts: 1,
          origin: 'inbox',
          deliveryId: envelope.deliveryId,
          failedAt: NOW,
        }),
      );

      expect(dlq.sent).toHaveLength(1);
      expect(log.records).toEqual([
        expect.objectContaining({
          subject: 'customer:115310627314723954',
          entry: expect.objectContaining({ kind: 'parked', origin: 'inbox', code: 'person_unresolved' }),
        }),
      ]);
    },
  );

  it('records nothing when the DLQ refused the message (the runner logs that failure itself)', async () => {
    const log = new MemoryActivityLog();
    const dlq = new MemoryQueue();
    dlq.failWith = new Error('SQS down');
    const parks = recorder(log).activity.recordingParks(dlq, cartCheckSubject);
    await expect(parks.send({ body: '{"shop":"s","cart_token":"c","step":1}' })).rejects.toThrow('SQS down');
    expect(log.records).toEqual([]);
  });

  it('files a fired cart check under its cart, with its outcome and reason', async () => {
    const log = new MemoryActivityLog();
    const { activity } = recorder(log);
    await activity.cartChecked(
      { shop: 's.myshopify.com', cart_token: 'c-1', step: 2 },
      {
        kind: 'exited',
        reason: 'converted',
      },
    );
    expect(log.records).toEqual([
      expect.objectContaining({
        shop: 's.myshopify.com',
        subject: 'cart:c-1',
        entry: { kind: 'cart-check', cart: 'c-1', step: 2, outcome: 'exited', reason: 'converted' },
      }),
    ]);
  });
});
