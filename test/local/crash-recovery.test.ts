import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsCall, AwsFault } from '../../local/fault-proxy.js';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { postShopifyWebhook } from '../../local/post-shopify-webhook.js';
import { silentLog } from '../../shared/ports/telemetry.js';
import { readSample } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/wait-for.js';

const SAMPLE_ORDER_ID = '820982911946154508';
/** The sample order as a live (non-test) order with its own id. */
const order = (id: string) =>
  readSample('shopify/orders-create.json')
    .replace('"test": true', '"test": false')
    .replace(SAMPLE_ORDER_ID, id);

/** A crash between two steps: the call never answers, and the invocation ends at its function timeout. */
const HANG_BEFORE: AwsFault = { kind: 'hang', when: 'before' };
const HANG_AFTER: AwsFault = { kind: 'hang', when: 'after' };

/**
 * Workers that crash between two steps, on the local stack: a fault proxy holds the chosen DynamoDB or SQS call
 * of one record forever (before or after it applied), so the invocation stops there and ends at its timeout, as a
 * Lambda that crashed or timed out would.
 */
describe('crashes between steps (local stack, fault proxy, 1.5 s function timeout)', () => {
  let stack: LocalStack;
  let crashedAfterSend = false;
  const plan = (call: AwsCall): AwsFault | undefined => {
    // Every claim of the poison delivery hangs: the record crashes its invocation on every receive.
    if (
      call.service === 'dynamodb' &&
      call.body.includes('"delivery#shopify#local-dev.myshopify.com#poison-1"')
    ) {
      return HANG_BEFORE;
    }
    // The first outbox send (a batch) with this order's Order Completed is applied, then the worker dies before it is told.
    if (
      !crashedAfterSend &&
      (call.operation === 'SendMessage' || call.operation === 'SendMessageBatch') &&
      call.queueUrl?.endsWith('/outbox') &&
      call.body.includes('Order Completed') &&
      call.body.includes('7100000000000001')
    ) {
      crashedAfterSend = true;
      return HANG_AFTER;
    }
    return undefined;
  };

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
    stack = await startLocalStack({
      apiPort: 0,
      awsFaults: plan,
      functionTimeoutMs: 1_500,
      visibilityTimeoutSeconds: 1,
      dedupeLeaseSeconds: 2,
      retry: { maxAttempts: 4, baseSeconds: 1, maxSeconds: 1 },
      log: silentLog,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });

  it('parks a record that crashes every invocation, with its reason, before the redrive backstop', async () => {
    const response = await postShopifyWebhook(stack.apiUrl, order('7100000000000002'), {
      topic: 'orders/create',
      webhookId: 'poison-1',
    });
    expect(response.status).toBe(200);
    const letter = await waitFor(
      () => stack.deadLetters().find((l) => l.attributes.delivery_id === 'poison-1'),
      40_000,
      'the poison delivery parked',
    );
    expect(letter.queue).toBe('inbox-dlq');
    expect(letter.attributes).toMatchObject({
      failure_code: 'dependency_exhausted',
      failure_class: 'exhausted',
      attempts: '5',
      origin: 'inbox',
    });
    expect(letter.attributes.failure_reason).toMatch(/a timeout or a crash/);
  }, 60_000);

  it('delivers an Order Completed whose worker died right after the outbox send, under one id', async () => {
    const response = await postShopifyWebhook(stack.apiUrl, order('7100000000000001'), {
      topic: 'orders/create',
      webhookId: 'crash-after-send',
    });
    expect(response.status).toBe(200);
    const completed = () =>
      (stack.capture?.operations() ?? []).filter(
        (op) => op.name === 'Order Completed' && JSON.stringify(op).includes('"order_id":"7100000000000001"'),
      );
    await waitFor(() => (completed().length > 0 ? true : undefined), 30_000, 'the Order Completed');
    // Past the lease and the retries: the crashed attempt's duplicates, if any, have arrived by now.
    await waitFor(
      () => (stack.fauxqs.inspectQueue('inbox')?.messages.inflight.length === 0 ? true : undefined),
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(crashedAfterSend).toBe(true);
    expect(new Set(completed().map((op) => op.id)).size).toBe(1);
    expect(stack.deadLetters().filter((l) => l.attributes.delivery_id === 'crash-after-send')).toEqual([]);
  }, 60_000);
});
