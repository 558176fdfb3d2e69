import { describe, expect, it } from 'vitest';
import { CartCheckInputSchema } from '../../../shared/cart/recovery-scheduler.js';
import { DependencyError } from '../../../shared/errors.js';
import { guardInvocation, type InvocationGuardDeps } from '../../../shared/failures/invocation-guard.js';
import { isSqsSafeText } from '../../../shared/json/sqs-safe-json.js';
import { MemoryQueue, recordingTelemetry } from '../../helpers/fakes.js';

const NOW = new Date('2026-11-28T10:00:00.000Z');

const setup = () => {
  const dlq = new MemoryQueue();
  const telemetry = recordingTelemetry();
  const deps: InvocationGuardDeps = {
    origin: 'cart-check',
    deadLetters: dlq,
    failedMetric: 'CartCheckFailed',
    clock: () => NOW,
    telemetry,
  };
  return { dlq, telemetry, deps };
};

describe('guardInvocation', () => {
  it('passes a result through untouched', async () => {
    const { deps, dlq, telemetry } = setup();
    expect(await guardInvocation({}, async () => 'done', deps)).toBe('done');
    expect(dlq.sent).toEqual([]);
    expect(telemetry.log.lines).toEqual([]);
  });

  it('parks an input that can never succeed, with its reason, and does not throw (no Lambda retry)', async () => {
    const { deps, dlq, telemetry } = setup();
    const input = { shop: 'demo.myshopify.com', cart_token: 'c-1', step: 'one\uFFFE' };
    const result = await guardInvocation(input, async () => CartCheckInputSchema.parse(input), deps);
    expect(result).toEqual({ kind: 'parked', code: 'payload_invalid' });
    expect(dlq.sent).toHaveLength(1);
    expect(JSON.parse(dlq.sent[0]?.body ?? '')).toEqual(input);
    expect(isSqsSafeText(dlq.sent[0]?.body ?? '')).toBe(true);
    expect(dlq.sent[0]?.attributes).toMatchObject({
      failure_code: 'payload_invalid',
      failure_class: 'permanent',
      origin: 'cart-check',
      attempts: '1',
      failed_at: NOW.toISOString(),
    });
    expect(dlq.sent[0]?.attributes?.failure_reason).toContain('step');
    expect(telemetry.counters.get('RecordParked_payload_invalid')).toBe(1);
    expect(telemetry.counters.get('CartCheckFailed')).toBe(0);
    expect(telemetry.log.lines).toHaveLength(1);
  });

  it('counts, logs once and rethrows a transient failure, so Lambda retries the invocation', async () => {
    const { deps, dlq, telemetry } = setup();
    const error = new DependencyError('DynamoDB cart read failed', 'dynamodb');
    await expect(
      guardInvocation(
        {},
        async () => {
          throw error;
        },
        deps,
      ),
    ).rejects.toBe(error);
    expect(dlq.sent).toEqual([]);
    expect(telemetry.counters.get('CartCheckFailed')).toBe(1);
    expect(telemetry.log.lines.map((l) => [l.level, l.fields.code])).toEqual([['warn', 'dependency_failed']]);
  });

  it('rethrows a permanent failure it could not park, so it still ends in the on-failure destination', async () => {
    const { deps, dlq, telemetry } = setup();
    dlq.failWith = new DependencyError('SQS SendMessage failed', 'sqs');
    await expect(
      guardInvocation(
        {},
        async () => {
          throw new TypeError('x is not a function');
        },
        deps,
      ),
    ).rejects.toBeInstanceOf(TypeError);
    expect(telemetry.counters.get('CartCheckFailed')).toBe(1);
    expect(telemetry.log.lines[0]?.fields).toMatchObject({
      code: 'internal_error',
      park_failure: 'dependency_failed',
    });
  });
});
