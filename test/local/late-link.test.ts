import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { silentLog } from '../../shared/ports/telemetry.js';
import { readSample } from '../helpers/fixtures.js';
import { rechargeRequest, sendPlatformRequest } from '../helpers/platform-requests.js';
import { waitFor } from '../helpers/wait-for.js';

/** The sample subscription/created for a Recharge customer id, under its own subscription id. */
const subscription = (subscriptionId: number, customerId: number): string => {
  const body = JSON.parse(readSample('recharge/subscription-created.json')) as {
    subscription: Record<string, unknown>;
  };
  return JSON.stringify({
    subscription: { ...body.subscription, id: subscriptionId, customer_id: customerId },
  });
};

/** The sample customer/created, which links a Recharge customer id to an email. */
const customer = (customerId: number, email: string): string => {
  const body = JSON.parse(readSample('recharge/customer-created.json')) as {
    customer: Record<string, unknown>;
  };
  return JSON.stringify({ customer: { ...body.customer, id: customerId, email } });
};

/**
 * Ordinary reordering on the local stack: a Recharge subscription that names only its Recharge customer, processed
 * before the customer webhook that links that id to a person. It waits for the link (retried with the backoff)
 * instead of parking at once; it parks `person_unresolved` only when the link never comes within its attempts.
 */
describe('a Recharge-only person linked late (local stack)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
    stack = await startLocalStack({
      apiPort: 0,
      visibilityTimeoutSeconds: 2,
      // 1 + 2 + 2 + 2 s of waiting for the link, then the record parks.
      retry: { maxAttempts: 5, baseSeconds: 1, maxSeconds: 2 },
      log: silentLog,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });

  const subscriptionsStarted = (subscriptionId: number) =>
    (stack.capture?.operations() ?? []).filter(
      (op) => op.name === 'Subscription Started' && JSON.stringify(op).includes(`"${subscriptionId}"`),
    );

  it('delivers the subscription to the person once the customer webhook arrives, parking nothing', async () => {
    const sent = await sendPlatformRequest(
      stack.apiUrl,
      rechargeRequest('subscription/created', subscription(5100001, 9100001)),
    );
    expect(sent.status).toBe(200);
    // The subscription has been tried and is waiting: nothing delivered, nothing parked.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(subscriptionsStarted(5100001)).toEqual([]);
    expect(stack.deadLetters()).toEqual([]);

    const linked = await sendPlatformRequest(
      stack.apiUrl,
      rechargeRequest('customer/created', customer(9100001, 'late.link@example.com')),
    );
    expect(linked.status).toBe(200);
    const [started] = await waitFor(
      () => (subscriptionsStarted(5100001).length > 0 ? subscriptionsStarted(5100001) : undefined),
      20_000,
      'the Subscription Started',
    );
    expect(started).toMatchObject({ identifiers: { email: 'late.link@example.com' } });
    expect(stack.deadLetters()).toEqual([]);
  }, 40_000);

  it('parks it as person_unresolved, out of attempts, when no link ever comes', async () => {
    const sent = await sendPlatformRequest(
      stack.apiUrl,
      rechargeRequest('subscription/created', subscription(5100002, 9100002)),
    );
    expect(sent.status).toBe(200);
    const letter = await waitFor(
      () => stack.deadLetters().find((l) => l.body.includes('5100002')),
      30_000,
      'the subscription parked',
    );
    expect(letter.queue).toBe('inbox-dlq');
    expect(letter.attributes).toMatchObject({
      failure_code: 'person_unresolved',
      failure_class: 'exhausted',
      attempts: '5',
      origin: 'inbox',
    });
    expect(letter.attributes.failure_reason).toMatch(/no stored link resolves the Recharge customer/);
    expect(subscriptionsStarted(5100002)).toEqual([]);
  }, 40_000);
});
