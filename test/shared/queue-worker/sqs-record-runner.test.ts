import { describe, expect, it } from 'vitest';
import { ConfigurationError, DependencyError, PayloadValidationError } from '../../../shared/errors.js';
import { withCurrentLogKeys } from '../../../shared/ports/log-keys.js';
import type { ReceivedMessage, SourceQueue } from '../../../shared/ports/message-queue.js';
import {
  eachRecord,
  type QueueRecord,
  type RecordRunnerDeps,
  runSqsRecords,
} from '../../../shared/queue-worker/sqs-record-runner.js';
import { MemoryQueue, recordingTelemetry } from '../../helpers/fakes.js';

/** A source queue that records the delays asked for. */
class MemorySourceQueue implements SourceQueue {
  readonly delays: { receiptHandle: string; seconds: number }[] = [];
  failWith?: Error;
  async delay(message: ReceivedMessage, seconds: number): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.delays.push({ receiptHandle: message.receiptHandle, seconds });
  }
}

const NOW = new Date('2026-11-28T10:00:00.000Z');

const record = (id: string, attempt = 1, body = JSON.stringify({ deliveryId: `wh-${id}` })): QueueRecord => ({
  messageId: id,
  receiptHandle: `rh-${id}`,
  body,
  attributes: { ApproximateReceiveCount: String(attempt) },
});

const setup = () => {
  const source = new MemorySourceQueue();
  const dlq = new MemoryQueue();
  const telemetry = recordingTelemetry();
  const deps: RecordRunnerDeps = {
    origin: 'inbox',
    policy: { maxAttempts: 3, baseSeconds: 30, maxSeconds: 900 },
    source,
    deadLetters: dlq,
    correlate: (body) => {
      try {
        return { delivery_id: (JSON.parse(body) as { deliveryId?: string }).deliveryId };
      } catch {
        return {};
      }
    },
    clock: () => NOW,
    telemetry,
    random: () => 0,
  };
  return { source, dlq, telemetry, deps };
};

const failing =
  (errors: Record<string, unknown>) =>
  async (records: readonly QueueRecord[]): Promise<ReadonlyMap<string, unknown>> =>
    new Map(records.flatMap((r) => (r.messageId in errors ? [[r.messageId, errors[r.messageId]]] : [])));

describe('runSqsRecords', () => {
  it('parks a permanent failure at once with every contract attribute, and reports it as processed', async () => {
    const { deps, dlq, source, telemetry } = setup();
    const bad = record('bad');
    const result = await runSqsRecords(
      [bad, record('ok')],
      failing({
        bad: new PayloadValidationError('orders/create payload does not match its schema', 'currency: bad'),
      }),
      deps,
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(source.delays).toEqual([]);
    expect(dlq.sent).toEqual([
      {
        body: bad.body,
        attributes: {
          failure_code: 'payload_invalid',
          failure_reason: 'orders/create payload does not match its schema: currency: bad',
          failure_class: 'permanent',
          failed_at: NOW.toISOString(),
          attempts: '1',
          origin: 'inbox',
          delivery_id: 'wh-bad',
        },
      },
    ]);
    expect(telemetry.counters.get('RecordParked')).toBe(1);
    expect(telemetry.counters.get('RecordParked_payload_invalid')).toBe(1);
    expect(telemetry.log.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({
          delivery_id: 'wh-bad',
          code: 'payload_invalid',
          message_id: 'bad',
        }),
      }),
    ]);
  });

  it('delays a transient failure by the backoff and fails the record, logging it once', async () => {
    const { deps, dlq, source, telemetry } = setup();
    const result = await runSqsRecords(
      [record('a', 1), record('b', 2)],
      failing({ a: new DependencyError('SQS down', 'sqs'), b: new DependencyError('SQS down', 'sqs') }),
      deps,
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }]);
    expect(source.delays).toEqual([
      { receiptHandle: 'rh-a', seconds: 30 },
      { receiptHandle: 'rh-b', seconds: 60 },
    ]);
    expect(dlq.sent).toEqual([]);
    expect(telemetry.counters.get('RecordRetried')).toBe(2);
    expect(
      telemetry.log.lines.map((l) => [
        l.level,
        l.fields.delivery_id,
        l.fields.code,
        l.fields.retry_in_seconds,
      ]),
    ).toEqual([
      ['warn', 'wh-a', 'dependency_failed', 30],
      ['warn', 'wh-b', 'dependency_failed', 60],
    ]);
  });

  it('uses the wait a dependency asked for', async () => {
    const { deps, source } = setup();
    class RateLimited extends DependencyError {
      override readonly retryAfterSeconds = 42;
    }
    await runSqsRecords([record('a')], failing({ a: new RateLimited('429', 'customerio') }), deps);
    expect(source.delays).toEqual([{ receiptHandle: 'rh-a', seconds: 42 }]);
  });

  it('parks a transient failure on its last attempt with the last error as the reason', async () => {
    const { deps, dlq, telemetry } = setup();
    const result = await runSqsRecords(
      [record('a', 3), record('c', 3)],
      failing({
        a: new DependencyError('DynamoDB claim failed', 'dynamodb'),
        c: new ConfigurationError('no key'),
      }),
      deps,
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(dlq.sent.map((m) => m.attributes)).toEqual([
      expect.objectContaining({
        failure_code: 'dependency_exhausted',
        failure_class: 'exhausted',
        attempts: '3',
        failure_reason: 'dependency_failed on attempt 3 of 3: DynamoDB claim failed',
      }),
      expect.objectContaining({ failure_code: 'configuration_invalid', failure_class: 'exhausted' }),
    ]);
    expect(telemetry.counters.get('RecordParked_dependency_exhausted')).toBe(1);
    expect(telemetry.counters.get('RecordParked_configuration_invalid')).toBe(1);
  });

  it('parks a record received more often than allowed without working on it', async () => {
    const { deps, dlq } = setup();
    const seen: string[] = [];
    const result = await runSqsRecords(
      [record('late', 4), record('fresh', 1)],
      async (records) => {
        seen.push(...records.map((r) => r.messageId));
        return new Map();
      },
      deps,
    );
    expect(seen).toEqual(['fresh']);
    expect(result.batchItemFailures).toEqual([]);
    expect(dlq.sent[0]?.attributes).toMatchObject({
      failure_code: 'dependency_exhausted',
      failure_class: 'exhausted',
      attempts: '4',
    });
    expect(dlq.sent[0]?.attributes?.failure_reason).toContain('received 4 times (3 allowed)');
  });

  it('keeps the record in its queue when parking fails, and still logs it once', async () => {
    const { deps, dlq, telemetry } = setup();
    dlq.failWith = new DependencyError('SQS SendMessage failed', 'sqs');
    const result = await runSqsRecords(
      [record('a')],
      failing({ a: new TypeError('x is not a function') }),
      deps,
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
    expect(telemetry.counters.get('RecordParked')).toBe(0);
    expect(telemetry.log.lines).toHaveLength(1);
    expect(telemetry.log.lines[0]?.fields).toMatchObject({
      code: 'internal_error',
      park_failure: 'dependency_failed',
    });
  });

  it('still fails a transient record when its visibility cannot be changed', async () => {
    const { deps, source, telemetry } = setup();
    source.failWith = new DependencyError('SQS ChangeMessageVisibility failed', 'sqs');
    const result = await runSqsRecords(
      [record('a')],
      failing({ a: new DependencyError('down', 'dynamodb') }),
      deps,
    );
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
    expect(telemetry.log.lines).toHaveLength(1);
    expect(telemetry.log.lines[0]?.fields).toMatchObject({ delay_failure: 'dependency_failed' });
  });

  it('treats work that throws as a failure of every record it was given', async () => {
    const { deps, source } = setup();
    const result = await runSqsRecords(
      [record('a'), record('b')],
      async () => {
        throw new DependencyError('Customer.io unreachable', 'customerio');
      },
      deps,
    );
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['a', 'b']);
    expect(source.delays).toHaveLength(2);
  });

  it('logs nothing and fails nothing when every record succeeds', async () => {
    const { deps, telemetry } = setup();
    const result = await runSqsRecords([record('a'), record('b')], failing({}), deps);
    expect(result.batchItemFailures).toEqual([]);
    expect(telemetry.log.lines).toEqual([]);
  });
});

describe('eachRecord', () => {
  it('handles records concurrently, each with its own correlation keys, and collects the errors', async () => {
    const { deps } = setup();
    const keysSeen: Record<string, unknown> = {};
    const work = eachRecord(async (body) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const { deliveryId } = JSON.parse(body) as { deliveryId: string };
      keysSeen[deliveryId] = withCurrentLogKeys({})?.delivery_id;
      if (deliveryId === 'wh-b') throw new DependencyError('down', 'dynamodb');
    }, deps.correlate);
    const errors = await work([record('a'), record('b'), record('c')]);
    expect(keysSeen).toEqual({ 'wh-a': 'wh-a', 'wh-b': 'wh-b', 'wh-c': 'wh-c' });
    expect([...errors.keys()]).toEqual(['b']);
  });
});
