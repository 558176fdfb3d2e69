import { describe, expect, it } from 'vitest';
import { type OutboxMessage, OutboxMessageSchema } from '../../../../shared/delivery/outbox-message.js';
import { normalizerRegistry } from '../../../../shared/normalize/registry.js';
import { type ProcessDeps, processInboxMessage } from '../../../../shared/process/process-envelope.js';
import { rechargeNormalizers } from '../../../../shared/sources/recharge/recharge-normalizers.js';
import { failureOf } from '../../../helpers/failures.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../../helpers/fakes.js';
import {
  readRechargeSample,
  rechargeEnvelope,
  rechargeSampleObject,
} from '../../../helpers/recharge-envelope.js';

const setup = () => {
  const outbox = new MemoryQueue();
  const telemetry = testTelemetry();
  const deps: ProcessDeps = {
    dedupe: new MemoryDedupeStore(),
    outbox,
    normalizers: normalizerRegistry,
    stages: [],
    identity: { strategy: 'customer_id', customerIdPrefix: '' },
    clock: () => new Date('2026-11-28T10:00:00Z'),
    telemetry,
  };
  const run = (topic: string, body: string) =>
    processInboxMessage(JSON.stringify(rechargeEnvelope(topic, body)), deps);
  const messages = (): OutboxMessage[] => outbox.json().map((m) => OutboxMessageSchema.parse(m));
  return { run, messages, telemetry };
};

describe('rechargeNormalizers registry', () => {
  it('is registered under the recharge source with every handled topic', () => {
    expect(normalizerRegistry.recharge).toBe(rechargeNormalizers);
    expect(Object.keys(rechargeNormalizers).sort()).toEqual([
      'charge/failed',
      'charge/max_retries_reached',
      'charge/paid',
      'customer/created',
      'customer/updated',
      'order/created',
      'subscription/activated',
      'subscription/cancelled',
      'subscription/created',
      'subscription/skipped',
      'subscription/unskipped',
      'subscription/updated',
    ]);
  });
});

describe('Recharge deliveries through processInboxMessage', () => {
  it('acknowledges unhandled topics (address/created, charge/created) as ignored', async () => {
    const { run, messages, telemetry } = setup();
    expect(await run('address/created', readRechargeSample('address-created.json'))).toBe('ignored');
    expect(await run('charge/created', readRechargeSample('charge-created.boxesapp.json'))).toBe('ignored');
    expect(messages()).toEqual([]);
    expect(telemetry.counters.get('IgnoredTopic')).toBe(2);
  });

  it('fails a signed payload that fails its schema as permanent, with the summary', async () => {
    const { run, messages } = setup();
    const failure = await failureOf(run('charge/paid', readRechargeSample('charge-paid.legacy.json')));
    expect(messages()).toEqual([]);
    expect(failure).toMatchObject({ class: 'permanent', code: 'payload_invalid' });
    expect(failure.reason).toContain('recharge charge/paid payload does not match its schema');
    expect(failure.reason).toContain('charge');
  });

  it('delivers a paid 2021-11 charge as Order Completed to the Shopify customer id', async () => {
    const { run, messages } = setup();
    const charge = rechargeSampleObject('charge-created.boxesapp.json').charge as Record<string, unknown>;
    const body = JSON.stringify({
      charge: {
        ...charge,
        status: 'success',
        processed_at: '2024-04-09T06:00:05+00:00',
        external_order_id: { ecommerce: '5551234567890' },
      },
    });
    expect(await run('charge/paid', body)).toBe('processed');
    const [message] = messages();
    expect(message?.type).toBe('event');
    if (message?.type !== 'event') throw new Error('expected an event');
    expect(message.identifiers).toEqual({ id: '3895947395222' });
    expect(message.event.name).toBe('Order Completed');
    expect(message.event.dedupe_key).toBe('order-completed#vege-box.myshopify.com#5551234567890');
  });

  it('holds back a subscription event that names only the Recharge customer id until identity resolves it', async () => {
    const { run, messages, telemetry } = setup();
    expect(await run('subscription/created', readRechargeSample('subscription-created.json'))).toBe(
      'processed',
    );
    expect(messages()).toEqual([]);
    expect(telemetry.counters.get('UnidentifiedEvent')).toBe(1);
  });

  it('identifies a Recharge customer by email when no Shopify id is known', async () => {
    const { run, messages } = setup();
    expect(await run('customer/created', readRechargeSample('customer-created.json'))).toBe('processed');
    const [message] = messages();
    expect(message?.type).toBe('identify');
    if (message?.type !== 'identify') throw new Error('expected an identify');
    expect(message.identifiers).toEqual({ email: 'testtesttest5@test.dk' });
    expect(message.update.attributes.recharge_customer_id).toBe('82940007');
  });
});
