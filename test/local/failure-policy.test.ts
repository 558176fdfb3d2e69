import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../../local/customerio-capture.js';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { postShopifyWebhook } from '../../local/post-shopify-webhook.js';
import { localLambdaContext } from '../../local/sqs-event-source.js';
import { isSqsSafeText } from '../../shared/json/sqs-safe-json.js';
import { silentLog } from '../../shared/ports/telemetry.js';
import { readSample } from '../helpers/shopify-delivery.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * The failure policy end to end on the local stack: real handlers, fauxqs queues and DLQs, dynalite, and the local
 * Customer.io stand-in answering what a real outage would (401, 429 with Retry-After, 5xx, 207, a hang).
 */
const ORDER = JSON.parse(
  readSample('shopify/orders-create.json').replace(/"id": (\d{16,})/g, '"id": "$1"'),
) as {
  id: string;
  test: boolean;
  customer: Record<string, unknown>;
};
// The published sample is a test order; a real one also sends the buyer's rollup (one more identify).
ORDER.test = false;

let order = 0;
/** The id of the next order posted: each test's events are its own. */
const nextOrderId = () => `9${order + 1}0000000001`;

/** Posts a fresh order (the next order id, its own webhook id). */
const postOrder = async (stack: LocalStack, change: (o: typeof ORDER) => void = () => undefined) => {
  order += 1;
  const body = structuredClone(ORDER);
  body.id = `9${order}0000000001`;
  change(body);
  const webhookId = `wh-policy-${order}`;
  const response = await postShopifyWebhook(stack.apiUrl, JSON.stringify(body), {
    topic: 'orders/create',
    webhookId,
  });
  return { status: response.status, webhookId, orderId: body.id };
};

/** DLQ messages without receiving them (a receive would hide them), with their attributes as plain strings. */
const parked = (stack: LocalStack, queue: string) =>
  (stack.fauxqs.inspectQueue(queue)?.messages.ready ?? []).map((m) => ({
    body: m.body,
    attributes: Object.fromEntries(
      Object.entries(m.messageAttributes).map(([k, v]) => [k, v.StringValue ?? '']),
    ),
  }));

/** True when a request carries the Order Completed of this order. */
const carries = (request: CapturedRequest, orderId: string) =>
  request.path === '/api/v2/batch' && JSON.stringify(request.body).includes(`"order_id":"${orderId}"`);

const batchesWith = (requests: CapturedRequest[], orderId: string) =>
  requests.filter((r) => carries(r, orderId));

describe('failure policy on the local stack (fauxqs, dynalite, local Customer.io on 127.0.0.1)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    process.env.CIO_TIMEOUT_MS = '500';
    // The workers log every failure (warnings); this test reads the queues instead.
    process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
    stack = await startLocalStack({
      apiPort: 0,
      visibilityTimeoutSeconds: 2,
      retry: { maxAttempts: 3, baseSeconds: 1, maxSeconds: 1 },
      log: silentLog,
    });
  });
  afterAll(async () => {
    delete process.env.CIO_TIMEOUT_MS;
    delete process.env.POWERTOOLS_LOG_LEVEL;
    await stack?.stop();
  });
  beforeEach(() => stack.capture?.respondWith(undefined));

  const capture = () => {
    if (!stack.capture) throw new Error('expected the local capture');
    return stack.capture;
  };

  it('holds records for the Retry-After of a 429, then delivers them once', async () => {
    const id = nextOrderId();
    let calls = 0;
    capture().respondWith((request) => {
      if (!carries(request, id)) return { status: 200, body: {} };
      calls += 1;
      return calls === 1
        ? { status: 429, body: {}, headers: { 'retry-after': '3' } }
        : { status: 200, body: {} };
    });
    const { status, orderId } = await postOrder(stack);
    expect(status).toBe(200);
    const batches = await waitFor(
      () => {
        const found = batchesWith(capture().requests, orderId);
        return found.length >= 2 ? found : undefined;
      },
      15_000,
      'the retried batch',
    );
    const waited = Date.parse(batches[1]?.receivedAt ?? '') - Date.parse(batches[0]?.receivedAt ?? '');
    // The backoff alone would be 1 s; Retry-After asked for 3.
    expect(waited).toBeGreaterThanOrEqual(2_900);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(batchesWith(capture().requests, orderId)).toHaveLength(2);
  });

  it('parks an item Customer.io rejects (207) at once, with its reason and field, and delivers the rest', async () => {
    capture().respondWith((request) => {
      const batch = (request.body as { batch?: { action: string }[] }).batch ?? [];
      const index = batch.findIndex((op) => op.action === 'event');
      return index >= 0
        ? {
            status: 207,
            body: {
              errors: [{ batch_index: index, reason: 'invalid', field: 'total', message: 'echo 404.95' }],
            },
          }
        : { status: 200, body: {} };
    });
    const { webhookId, orderId } = await postOrder(stack);
    const message = await waitFor(
      () => parked(stack, 'outbox-dlq').find((m) => m.attributes.delivery_id === webhookId),
      15_000,
      'the rejected item in the outbox DLQ',
    );
    expect(message.attributes).toMatchObject({
      failure_code: 'destination_rejected',
      failure_class: 'permanent',
      failure_reason: 'Customer.io rejected the item: invalid: total',
      origin: 'outbox',
      attempts: '1',
    });
    expect(JSON.parse(message.body)).toMatchObject({
      type: 'event',
      event: { properties: { order_id: orderId } },
    });
    expect(batchesWith(capture().requests, orderId)).toHaveLength(1);
  });

  it('retries a revoked key with backoff, then parks the records as destination_auth', async () => {
    capture().respondWith(() => ({ status: 401, body: {} }));
    const { webhookId } = await postOrder(stack);
    const messages = await waitFor(
      () => {
        const found = parked(stack, 'outbox-dlq').filter((m) => m.attributes.delivery_id === webhookId);
        return found.length >= 3 ? found : undefined;
      },
      20_000,
      'the parked records',
    );
    for (const message of messages) {
      expect(message.attributes).toMatchObject({
        failure_code: 'destination_auth',
        failure_class: 'exhausted',
        attempts: '3',
      });
      expect(message.attributes.failure_reason).toMatch(/credentials/);
    }
  });

  it('waits out a Customer.io that hangs (timeout) and then answers 5xx, and delivers once it recovers', async () => {
    const id = nextOrderId();
    let calls = 0;
    capture().respondWith((request) => {
      if (!carries(request, id)) return { status: 200, body: {} };
      calls += 1;
      if (calls === 1) return { status: 200, body: {}, delayMs: 2_000 };
      if (calls === 2) return { status: 503, body: {} };
      return { status: 200, body: {} };
    });
    const { orderId, webhookId } = await postOrder(stack);
    await waitFor(
      () => (batchesWith(capture().requests, orderId).length >= 3 ? true : undefined),
      20_000,
      'the third call',
    );
    expect(parked(stack, 'outbox-dlq').filter((m) => m.attributes.delivery_id === webhookId)).toEqual([]);
  });

  it('parks a webhook id over the DynamoDB key limit in the inbox DLQ at once, as key_too_long', async () => {
    const webhookId = `k${'x'.repeat(2_100)}`;
    const response = await postShopifyWebhook(stack.apiUrl, readSample('shopify/orders-create.json'), {
      topic: 'orders/create',
      webhookId,
    });
    expect(response.status).toBe(200);
    const message = await waitFor(
      () => parked(stack, 'inbox-dlq').find((m) => m.attributes.failure_code === 'key_too_long'),
      15_000,
      'the parked delivery',
    );
    expect(message.attributes).toMatchObject({ failure_class: 'permanent', origin: 'inbox', attempts: '1' });
    expect(message.attributes.delivery_id?.length).toBe(256);
  });

  it('delivers a name typed with U+FFFE, U+FFFF, a lone surrogate and emoji through every queue, unchanged', async () => {
    const name = 'Zoë \uFFFE\uFFFF \uD800 🎁';
    const { status, orderId } = await postOrder(stack, (o) => {
      o.customer.first_name = name;
    });
    expect(status).toBe(200);
    await waitFor(() => (batchesWith(capture().requests, orderId).length > 0 ? true : undefined), 15_000);
    // Handed to the outbox in one batch with the order, but a standard queue may deliver it in another receive.
    const identify = await waitFor(
      () =>
        capture()
          .operations()
          .find(
            (op) =>
              op.action === 'identify' && (op.attributes as { first_name?: string }).first_name === name,
          ),
      15_000,
    );
    expect(identify).toBeDefined();
    for (const message of parked(stack, 'outbox-dlq')) expect(isSqsSafeText(message.body)).toBe(true);
  });

  it('parks a cart check whose input can never work in the cart-check DLQ, without a Lambda retry', async () => {
    const { handler } = await import('../../lambdas/cart-check/handler.js');
    const result = await handler({ shop: 'x.myshopify.com', step: 'one' }, localLambdaContext('cart-check'));
    expect(result).toEqual({ kind: 'parked', code: 'payload_invalid' });
    const [message] = parked(stack, 'cart-check-dlq');
    expect(message?.attributes).toMatchObject({
      failure_code: 'payload_invalid',
      failure_class: 'permanent',
      origin: 'cart-check',
    });
    expect(JSON.parse(message?.body ?? '')).toEqual({ shop: 'x.myshopify.com', step: 'one' });
  });
});
