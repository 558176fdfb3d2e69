import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DEFAULTS } from '../../local/local-config.js';
import { LocalRecoveryScheduler } from '../../local/local-scheduler.js';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { postShopifyWebhook } from '../../local/post-shopify-webhook.js';
import type { CartCheckInput } from '../../shared/cart/recovery-scheduler.js';
import { silentLog } from '../../shared/ports/telemetry.js';
import { readSample } from '../helpers/shopify-delivery.js';
import { waitFor } from '../helpers/wait-for.js';

// Steps after 3 s and 6 s of quiet, so both steps fire within the test.
const STEPS = '0.05,0.1';
let webhook = 0;

const post = async (stack: LocalStack, topic: string, payload: unknown): Promise<number> => {
  webhook += 1;
  const response = await postShopifyWebhook(stack.apiUrl, JSON.stringify(payload), {
    topic,
    webhookId: `cart-e2e-${webhook}`,
    eventId: `cart-e2e-${webhook}-event`,
  });
  return response.status;
};

const checkout = (cartToken: string, checkoutToken: string, customerId: string) => {
  const sample = JSON.parse(readSample('shopify/checkouts-create.json')) as Record<string, unknown>;
  const now = new Date().toISOString();
  return {
    ...sample,
    token: checkoutToken,
    cart_token: cartToken,
    email: `${customerId}@example.com`,
    customer: { ...(sample.customer as object), id: customerId, email: `${customerId}@example.com` },
    created_at: now,
    updated_at: now,
  };
};

const order = (orderId: string, cartToken: string, checkoutToken: string, customerId: string) => {
  const sample = JSON.parse(readSample('shopify/orders-create.json')) as Record<string, unknown>;
  const now = new Date().toISOString();
  return {
    ...sample,
    id: orderId,
    cart_token: cartToken,
    checkout_token: checkoutToken,
    email: `${customerId}@example.com`,
    customer: { ...(sample.customer as object), id: customerId, email: `${customerId}@example.com` },
    created_at: now,
    processed_at: now,
    updated_at: now,
  };
};

describe('cart recovery through the local stack (local scheduler fires the real cart-check handler)', () => {
  let stack: LocalStack;
  const eventsFor = (customerId: string) =>
    (stack.capture?.operations() ?? [])
      .filter((op) => op.action === 'event' && (op.identifiers as { id?: string }).id === customerId)
      .map((op) => {
        const attributes = op.attributes as { step?: number };
        return attributes.step === undefined ? String(op.name) : `${String(op.name)}#${attributes.step}`;
      });

  beforeAll(async () => {
    stack = await startLocalStack({
      apiPort: 0,
      visibilityTimeoutSeconds: 1,
      cartRecoveryStepsMinutes: STEPS,
      log: silentLog,
    });
  });
  afterAll(async () => stack?.stop());

  it('abandoned: a quiet checkout gets Checkout Abandoned for step 1 and step 2, then nothing is left scheduled', async () => {
    expect(
      await post(stack, 'checkouts/create', checkout('e2e-abandon-cart', 'e2e-abandon-chk', 'e2e-ann')),
    ).toBe(200);
    const events = await waitFor(
      () => {
        const found = eventsFor('e2e-ann');
        return found.includes('Checkout Abandoned#2') ? found : undefined;
      },
      25_000,
      'two Checkout Abandoned at the capture',
    );
    expect(events).toEqual(['Checkout Started', 'Checkout Abandoned#1', 'Checkout Abandoned#2']);
    const step1 = stack.capture
      ?.operations()
      .find((op) => op.name === 'Checkout Abandoned' && (op.identifiers as { id?: string }).id === 'e2e-ann');
    expect(step1?.attributes).toMatchObject({
      step: 1,
      cart_id: 'e2e-abandon-cart',
      checkout_id: 'e2e-abandon-chk',
      total: 421.88,
      currency: 'USD',
      recovery_url: 'https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token',
    });
    // The event can reach the capture before the scheduler deletes the fired schedule, so poll for that.
    await waitFor(
      () =>
        stack.scheduler.pending().some((s) => s.input.cart_token === 'e2e-abandon-cart') ? undefined : true,
      5_000,
      'the fired schedules deleted',
    );
    console.log(`abandoned cart: events ${events.join(', ')}`);
  });

  it('rescued: an order right after the checkout cancels the check; no abandoned event ever arrives', async () => {
    expect(
      await post(stack, 'checkouts/create', checkout('e2e-rescue-cart', 'e2e-rescue-chk', 'e2e-bob')),
    ).toBe(200);
    await waitFor(
      () =>
        stack.scheduler.pending().some((s) => s.input.cart_token === 'e2e-rescue-cart') ? true : undefined,
      10_000,
      'the first check scheduled',
    );
    expect(
      await post(stack, 'orders/create', order('77001', 'e2e-rescue-cart', 'e2e-rescue-chk', 'e2e-bob')),
    ).toBe(200);
    await waitFor(
      () => (eventsFor('e2e-bob').includes('Order Completed') ? true : undefined),
      10_000,
      'Order Completed at the capture',
    );
    expect(stack.scheduler.pending().filter((s) => s.input.cart_token === 'e2e-rescue-cart')).toEqual([]);
    // Past both step delays: nothing else may arrive for this person.
    await new Promise((r) => setTimeout(r, 7_000));
    expect(eventsFor('e2e-bob')).toEqual(['Checkout Started', 'Order Completed']);
    console.log(`rescued cart: events ${eventsFor('e2e-bob').join(', ')}`);
  });
});

describe('LocalRecoveryScheduler', () => {
  it('invokes due checks once, deletes them after success, and retries a failure with backoff', async () => {
    const invoked: CartCheckInput[] = [];
    let failures = 1;
    const scheduler = new LocalRecoveryScheduler(
      join(mkdtempSync(join(tmpdir(), 'local-scheduler-')), 'schedules.json'),
      async (input) => {
        invoked.push(input);
        if (input.step === 2 && failures-- > 0) throw new Error('transient');
      },
      { log: silentLog, retryDelayMs: 1_000 },
    );
    const base = { shop: LOCAL_DEFAULTS.shop, cart_token: 'local-1' };
    await scheduler.schedule({ ...base, step: 1, due_at: new Date('2026-11-28T10:01:00Z') });
    await scheduler.schedule({ ...base, step: 2, due_at: new Date('2026-11-28T10:02:00Z') });
    await scheduler.fireDue(new Date('2026-11-28T10:00:59Z'));
    expect(invoked).toEqual([]);
    await scheduler.fireDue(new Date('2026-11-28T10:02:00Z'));
    expect(invoked.map((i) => i.step)).toEqual([1, 2]);
    expect(scheduler.pending()).toMatchObject([
      { input: { step: 2 }, attempts: 1, retry_at: '2026-11-28T10:02:01.000Z' },
    ]);
    await scheduler.fireDue(new Date('2026-11-28T10:02:01Z'));
    expect(invoked.map((i) => i.step)).toEqual([1, 2, 2]);
    expect(scheduler.pending()).toEqual([]);
    expect(scheduler.dead()).toEqual([]);
  });
});
