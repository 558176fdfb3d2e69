import { describe, expect, it } from 'vitest';
import { toOperation } from '../../../../shared/delivery/deliver-batch.js';
import { type OutboxMessage, OutboxMessageSchema } from '../../../../shared/delivery/outbox-message.js';
import { normalizerRegistry } from '../../../../shared/normalize/registry.js';
import { type ProcessDeps, processInboxMessage } from '../../../../shared/process/process-envelope.js';
import { shopifyNormalizers } from '../../../../shared/sources/shopify/shopify-normalizers.js';
import { failureOf } from '../../../helpers/failures.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../../helpers/fakes.js';
import { readShopifySample, shopifyEnvelope, TEST_SHOP } from '../../../helpers/shopify-envelope.js';

const setup = (strategy: 'customer_id' | 'email' = 'customer_id') => {
  const outbox = new MemoryQueue();
  const telemetry = testTelemetry();
  const deps: ProcessDeps = {
    dedupe: new MemoryDedupeStore(),
    outbox,
    normalizers: normalizerRegistry,
    stages: [],
    identity: { strategy, customerIdPrefix: '' },
    clock: () => new Date('2025-07-10T16:16:00Z'),
    telemetry,
  };
  const messages = (): OutboxMessage[] => outbox.json().map((m) => OutboxMessageSchema.parse(m));
  return { deps, telemetry, messages };
};

const deliver = (deps: ProcessDeps, topic: string, body: string, deliveryId: string) =>
  processInboxMessage(JSON.stringify(shopifyEnvelope(topic, body, { deliveryId })), deps);

describe('Shopify normalizer registry', () => {
  it('handles every Shopify topic of issue 3 this module owns', () => {
    expect(Object.keys(shopifyNormalizers)).toEqual(
      expect.arrayContaining([
        'orders/create',
        'orders/paid',
        'orders/updated',
        'orders/cancelled',
        'orders/fulfilled',
        'refunds/create',
        'customers/create',
        'customers/update',
        'customers_email_marketing_consent/update',
        'customers_marketing_consent/update',
        'app/uninstalled',
        'customers/data_request',
        'customers/redact',
        'shop/redact',
      ]),
    );
  });
});

describe('Shopify deliveries through the process core', () => {
  it('acknowledges and counts an unknown topic without error', async () => {
    const { deps, telemetry, messages } = setup();
    const outcome = await deliver(deps, 'products/update', '{"id":1}', 'wh-unknown');
    expect(outcome).toBe('ignored');
    expect(telemetry.counters.get('IgnoredTopic')).toBe(1);
    expect(messages()).toEqual([]);
  });

  it('fails a signed payload that fails its schema as permanent, with the validation summary', async () => {
    const { deps, messages } = setup();
    const body = readShopifySample('orders-cancelled.rudderstack.json');
    const failure = await failureOf(deliver(deps, 'orders/cancelled', body, 'wh-bad'));
    expect(messages()).toEqual([]);
    expect(failure).toMatchObject({ class: 'permanent', code: 'payload_invalid' });
    expect(failure.reason).toMatch(/^shopify orders\/cancelled payload does not match its schema: .*\bid: /s);
  });

  it('counts the ignored compliance topics as acknowledged deliveries', async () => {
    const { deps, telemetry, messages } = setup();
    expect(await deliver(deps, 'shop/redact', readShopifySample('shop-redact.json'), 'wh-1')).toBe('ignored');
    expect(await deliver(deps, 'app/uninstalled', readShopifySample('app-uninstalled.json'), 'wh-2')).toBe(
      'ignored',
    );
    expect(
      await deliver(deps, 'customers/data_request', readShopifySample('customers-data-request.json'), 'wh-3'),
    ).toBe('ignored');
    expect(telemetry.counters.get('IgnoredDelivery')).toBe(3);
    expect(messages()).toEqual([]);
  });

  it('emits ONE Order Completed for orders/create followed by orders/paid', async () => {
    const { deps, telemetry, messages } = setup();
    await deliver(deps, 'orders/create', readShopifySample('orders-create.rudderstack.json'), 'wh-create');
    await deliver(deps, 'orders/paid', readShopifySample('orders-paid.rudderstack.json'), 'wh-paid');
    const events = messages().filter((m) => m.type === 'event');
    expect(events).toHaveLength(1);
    expect(telemetry.counters.get('DuplicateBusinessEvent_event')).toBe(1);
    // Identifies carry no claim (they are idempotent): without the stages, the core hands on orders/paid's restated
    // buyer, the same attributes as before. The stale-update stage drops it in the real pipeline
    // (stale-update-stage.test.ts).
    const identifies = messages().filter((m) => m.type === 'identify');
    expect(identifies).toHaveLength(2);
    expect(identifies[1]?.type === 'identify' && identifies[1].update.attributes).toEqual(
      identifies[0]?.type === 'identify' && identifies[0].update.attributes,
    );
  });

  it('turns customers/redact into Customer.io person deletes by id and by email', async () => {
    const { deps, messages, telemetry } = setup();
    const body = readShopifySample('customers-redact.json');
    expect(await deliver(deps, 'customers/redact', body, 'wh-redact')).toBe('processed');
    expect(await deliver(deps, 'customers/redact', body, 'wh-redact')).toBe('duplicate_delivery');
    const deletes = messages();
    expect(deletes).toEqual([
      {
        type: 'delete',
        identifiers: { id: '191167' },
        shop: TEST_SHOP,
        dedupe_key: `delete#${TEST_SHOP}#redact#191167#id`,
        trace: { delivery_id: 'wh-redact', received_at: '2025-07-10T16:15:48.120Z' },
      },
      {
        type: 'delete',
        identifiers: { email: 'john@example.com' },
        shop: TEST_SHOP,
        dedupe_key: `delete#${TEST_SHOP}#redact#191167#email`,
        trace: { delivery_id: 'wh-redact', received_at: '2025-07-10T16:15:48.120Z' },
      },
    ]);
    expect(telemetry.counters.get('Emitted_delete')).toBe(2);
    expect(deletes.map((m) => toOperation(m, {}))).toEqual([
      { type: 'person', identifiers: { id: '191167' }, action: 'delete' },
      { type: 'person', identifiers: { email: 'john@example.com' }, action: 'delete' },
    ]);
  });

  it('sends the consent identify with Customer.io reserved unsubscribed for an email unsubscribe', async () => {
    const { deps, messages } = setup('email');
    const body = JSON.stringify({
      customer_id: '706405506930370084',
      email_address: 'bob@biller.com',
      email_marketing_consent: { state: 'unsubscribed', opt_in_level: null, consent_updated_at: null },
    });
    await deliver(deps, 'customers_email_marketing_consent/update', body, 'wh-consent');
    const [message] = messages();
    if (!message) throw new Error('nothing emitted');
    expect(toOperation(message, {})).toEqual({
      type: 'person',
      identifiers: { email: 'bob@biller.com' },
      action: 'identify',
      timestamp: 1752164147,
      attributes: {
        email: 'bob@biller.com',
        shopify_customer_id: '706405506930370084',
        accepts_email_marketing: false,
        email_marketing_state: 'unsubscribed',
        unsubscribed: true,
      },
    });
  });

  it('without an identity stage, counts Order Refunded as unidentified (the refund names no person)', async () => {
    const { deps, messages, telemetry } = setup();
    await deliver(deps, 'refunds/create', readShopifySample('refunds-create.json'), 'wh-refund');
    expect(messages()).toEqual([]);
    expect(telemetry.counters.get('UnidentifiedEvent')).toBe(1);
  });
});
