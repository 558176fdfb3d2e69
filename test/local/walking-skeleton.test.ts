import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DEFAULTS } from '../../local/local-config.js';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { postShopifyWebhook } from '../../local/post-shopify-webhook.js';
import { eventIdFor } from '../../shared/canonical/event-id.js';
import { silentLog } from '../../shared/ports/telemetry.js';
import { readSample } from '../helpers/shopify-delivery.js';
import { waitFor } from '../helpers/wait-for.js';

/** The published sample is a test order (`test: true`), which rollups skip by default: this is its live twin. */
const ORDER = readSample('shopify/orders-create.json').replace('"test": true', '"test": false');

const post = (stack: LocalStack, topic: string, body: string, webhookId: string, secret?: string) =>
  postShopifyWebhook(stack.apiUrl, body, {
    topic,
    webhookId,
    eventId: `${webhookId}-event`,
    triggeredAt: '2026-11-28T10:00:00.000Z',
    ...(secret ? { secret } : {}),
  });

describe('local stack end to end (dynalite + fauxqs + real handlers + Customer.io capture on 127.0.0.1)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({
      apiPort: 0,
      visibilityTimeoutSeconds: 1,
      retry: { maxAttempts: 2, baseSeconds: 1, maxSeconds: 1 },
      log: silentLog,
    });
  });
  afterAll(async () => stack?.stop());

  it('delivers exactly one Order Completed when the same signed orders/create arrives twice', async () => {
    const capture = stack.capture;
    if (!capture) throw new Error('expected the local capture');
    const first = await post(stack, 'orders/create', ORDER, 'wh-e2e-1');
    const retry = await post(stack, 'orders/create', ORDER, 'wh-e2e-1');
    expect([first.status, retry.status]).toEqual([200, 200]);

    const events = await waitFor(
      () => {
        const found = capture.operations().filter((op) => op.action === 'event');
        return found.length > 0 ? found : undefined;
      },
      20_000,
      'Order Completed at the capture',
    );
    // Give the duplicate time to flow through (it would arrive within a poll cycle).
    await new Promise((r) => setTimeout(r, 2_500));
    const all = capture.operations();
    expect(all.filter((op) => op.action === 'event')).toHaveLength(1);
    const identifies = all.filter((op) => op.action === 'identify');
    // The buyer's attributes from the order, then the person rollup the order changed.
    expect(identifies).toHaveLength(2);
    expect(identifies[0]).toMatchObject({
      identifiers: { id: '115310627314723954' },
      attributes: { email: 'jon@example.com' },
    });
    expect(identifies[1]).toMatchObject({
      identifiers: { id: '115310627314723954' },
      attributes: { orders_count: 1, total_spent: 404.95, last_order_value: 404.95 },
    });
    expect(events[0]).toMatchObject({
      type: 'person',
      identifiers: { id: '115310627314723954' },
      action: 'event',
      name: 'Order Completed',
      id: eventIdFor(`order-completed#${LOCAL_DEFAULTS.shop}#820982911946154508`),
      timestamp: 1_640_995_200,
      attributes: {
        order_id: '820982911946154508',
        total: 404.95,
        currency: 'USD',
        shop: LOCAL_DEFAULTS.shop,
      },
    });
    expect(capture.requests[0]?.authorization).toBe(
      `Basic ${Buffer.from('local-site:local-api-key').toString('base64')}`,
    );
  });

  it('answers 401 to a bad signature and queues nothing', async () => {
    const response = await post(stack, 'customers/redact', '{"shop_id":1}', 'wh-bad', 'not-the-secret');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_signature' });
  });

  it('parks a signed but invalid order in the inbox DLQ with the validation summary', async () => {
    const response = await post(stack, 'orders/create', '{"id": 5, "currency": "dollars"}', 'wh-invalid');
    expect(response.status).toBe(200);
    const parked = await waitFor(
      async () => {
        const out = await stack.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: stack.queues.inboxDlq.url,
            MessageAttributeNames: ['All'],
            WaitTimeSeconds: 1,
          }),
        );
        return out.Messages?.[0];
      },
      15_000,
      'the parked message',
    );
    expect(parked.MessageAttributes?.failure_code?.StringValue).toBe('payload_invalid');
    expect(parked.MessageAttributes?.failure_reason?.StringValue).toContain('currency');
    expect(parked.MessageAttributes?.failure_class?.StringValue).toBe('permanent');
    expect(parked.MessageAttributes?.origin?.StringValue).toBe('inbox');
    expect(parked.MessageAttributes?.attempts?.StringValue).toBe('1');
    expect(parked.MessageAttributes?.delivery_id?.StringValue).toBe('wh-invalid');
    expect(JSON.parse(parked.Body ?? '{}')).toMatchObject({
      deliveryId: 'wh-invalid',
      topic: 'orders/create',
    });
  });

  it('parks outbox records with their last error once Customer.io failed every allowed attempt', async () => {
    const capture = stack.capture;
    if (!capture) throw new Error('expected the local capture');
    capture.respondWith(() => ({ status: 500, body: {} }));
    try {
      const order = ORDER.replace('"id": 820982911946154508', '"id": 820982911946154999');
      expect((await post(stack, 'orders/create', order, 'wh-cio-down')).status).toBe(200);
      // Inspect without receiving: a receive would hide the messages for the DLQ's visibility timeout.
      const deadLettered = await waitFor(
        () => {
          const ready = stack.fauxqs.inspectQueue('outbox-dlq')?.messages.ready ?? [];
          return ready.length >= 3 ? ready : undefined;
        },
        20_000,
        'outbox DLQ messages',
      );
      const types = deadLettered.map((m) => (JSON.parse(m.body) as { type: string }).type).sort();
      expect(types).toEqual(['event', 'identify', 'identify']);
      for (const message of deadLettered) {
        const attributes = Object.fromEntries(
          Object.entries(message.messageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
        );
        expect(attributes).toMatchObject({
          failure_code: 'dependency_exhausted',
          failure_class: 'exhausted',
          origin: 'outbox',
          attempts: '2',
          delivery_id: 'wh-cio-down',
        });
        expect(attributes.failure_reason).toContain('HTTP 500');
      }
    } finally {
      capture.respondWith(undefined);
    }
  });
});
