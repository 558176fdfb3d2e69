import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import type { HttpRequest } from '../../../shared/http/http-types.js';
import { handleBeacon } from '../../../shared/ingest/handle-beacon.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { countDynamoCalls } from '../../helpers/aws-calls.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryQueue, testShops, type testTelemetry } from '../../helpers/fakes.js';
import { realProcessDeps } from '../../helpers/real-process-deps.js';
import { shopifyEnvelope, shopifySampleObject } from '../../helpers/shopify-envelope.js';
import { ORIGIN, PUBLIC_KEY, pixelSample, SHOP } from '../sources/pixel/pixel-samples.js';

/*
 * Finding 5 of issue 10: one anonymous beacon cost 2 SQS sends, 5 DynamoDB calls and 1 Customer.io call, and
 * 200 browsers attached to one cart made its order emit 200 merges and 410 UpdateItems. Every call here goes to
 * a real DynamoDB emulator (dynalite) through the real process stages; SQS sends are counted at the two queues.
 */

const NOW = new Date('2026-11-28T12:00:00.000Z');
const CUSTOMER_ID = '115310627314723954';

let seq = 0;
/** A storefront event of one browser, as the custom pixel posts it. */
const pixelEvent = (name: 'product_viewed' | 'cart_viewed', clientId: string, cartToken?: string) => {
  seq += 1;
  const file = name === 'product_viewed' ? 'web-pixel-product-viewed.json' : 'web-pixel-cart-viewed.json';
  const {
    context: _page,
    pixelEventLabel: _label,
    ...raw
  } = pixelSample(file) as unknown as Record<string, unknown> & { data: Record<string, unknown> };
  const data = cartToken ? { cart: { ...(raw.data.cart as object), id: cartToken } } : raw.data;
  return {
    ...raw,
    id: `sh-cost-${seq}`,
    timestamp: new Date(Date.UTC(2026, 10, 28, 9, 0, seq)).toISOString(),
    clientId,
    data,
    context: { document: { location: { href: `${ORIGIN}/products/board` }, referrer: null, title: 'Shop' } },
  };
};

const beaconRequest = (event: unknown): HttpRequest => ({
  method: 'POST',
  path: '/collect',
  query: {},
  headers: { origin: ORIGIN, 'content-type': 'text/plain;charset=UTF-8' },
  body: Buffer.from(JSON.stringify({ shop: SHOP, key: PUBLIC_KEY, event })),
});

const orderFor = (deliveryId: string, cartToken: string, orderId: string) => {
  const order = shopifySampleObject('orders-create.json');
  // Each order placed at its own second: one buyer's two orders at the same instant would be one statement.
  const processedAt = new Date(Date.UTC(2026, 10, 28, 11, 0, Number(orderId) % 60)).toISOString();
  return shopifyEnvelope(
    'orders/create',
    JSON.stringify({
      ...order,
      id: orderId,
      processed_at: processedAt,
      cart_token: cartToken,
      checkout_token: `co-${cartToken}`,
    }),
    { shop: SHOP, deliveryId },
  );
};

describe('a storefront beacon costs a fixed, small number of AWS calls (dynalite, real stages)', () => {
  let table: TestTable;
  let calls: ReturnType<typeof countDynamoCalls>;
  let deps: ProcessDeps;
  let inbox: MemoryQueue;
  let outbox: MemoryQueue;
  let telemetry: ReturnType<typeof testTelemetry>;

  beforeAll(async () => {
    table = await startTestTable();
    calls = countDynamoCalls(table.client);
    inbox = new MemoryQueue();
    ({ deps, outbox, telemetry } = realProcessDeps(table, { clock: () => NOW }));
  });
  afterAll(async () => table.close());

  const shops = testShops({ [SHOP]: { storefront: { publicKey: PUBLIC_KEY, origins: [ORIGIN] } } });

  /** Posts one beacon through the ingest handler and processes what it queued; returns what that cost. */
  const beacon = async (event: unknown) => {
    const sends = { inbox: inbox.sent.length, outbox: outbox.sent.length };
    let accepted = 0;
    const dynamo = await calls.during(async () => {
      const response = await handleBeacon(beaconRequest(event), {
        shops,
        inbox,
        clock: () => NOW,
        maxBeaconBytes: 16 * 1024,
        telemetry,
      });
      accepted = response.statusCode;
      const queued = inbox.sent.at(-1);
      if (queued) await processInboxMessage(queued.body, deps);
    });
    return {
      status: accepted,
      dynamo: dynamo.total,
      sqs: inbox.sent.length - sends.inbox + (outbox.sent.length - sends.outbox),
      sent: outbox.json<OutboxMessage>().slice(sends.outbox),
    };
  };

  it('an anonymous beacon: 1 DynamoDB call (no token) or 2 (a cart token), 2 SQS sends, 1 event out', async () => {
    const product = await beacon(pixelEvent('product_viewed', 'anon-solo'));
    const cart = await beacon(pixelEvent('cart_viewed', 'anon-solo', 'cart-quiet'));
    process.stdout.write(
      `anonymous beacon AWS calls: product_viewed dynamodb=${product.dynamo} sqs=${product.sqs}; ` +
        `cart_viewed dynamodb=${cart.dynamo} sqs=${cart.sqs}\n`,
    );
    expect(product).toMatchObject({ status: 202, dynamo: 1, sqs: 2 });
    expect(cart).toMatchObject({ status: 202, dynamo: 2, sqs: 2 });
    expect([...product.sent, ...cart.sent].map((m) => m.type === 'event' && m.identifiers)).toEqual([
      { anonymous_id: 'anon-solo' },
      { anonymous_id: 'anon-solo' },
    ]);
  });

  it('a landing (page_viewed from another site): 1 DynamoDB call (its first touch), 1 SQS send, nothing sent on', async () => {
    seq += 1;
    const { pixelEventLabel: _label, ...raw } = pixelSample(
      'web-pixel-page-viewed.json',
    ) as unknown as Record<string, unknown>;
    const landing = await beacon({
      ...raw,
      id: `sh-cost-${seq}`,
      timestamp: new Date(Date.UTC(2026, 10, 28, 9, 0, seq)).toISOString(),
      clientId: 'anon-landing',
      context: {
        document: {
          location: { href: `${ORIGIN}/products/board?utm_source=newsletter&utm_medium=email` },
          referrer: 'https://www.google.com/',
          title: 'Shop',
        },
      },
    });
    process.stdout.write(`landing beacon AWS calls: dynamodb=${landing.dynamo} sqs=${landing.sqs}\n`);
    expect(landing).toMatchObject({ status: 202, dynamo: 1, sqs: 1, sent: [] });
  });

  it("never grows with other browsers' activity: the 1st and the 200th browser on one cart cost the same", async () => {
    const costs: number[] = [];
    for (let i = 0; i < 200; i += 1)
      costs.push((await beacon(pixelEvent('cart_viewed', `anon-${i}`, 'cart-hot'))).dynamo);
    expect(new Set(costs)).toEqual(new Set([2]));
    expect(telemetry.counters.get('AnonymousIdsCapped')).toBe(190);
  });

  it('an order on a cart 200 browsers touched costs what it costs with 10: capped merges, bounded writes', async () => {
    for (let i = 0; i < 10; i += 1) await beacon(pixelEvent('cart_viewed', `ten-${i}`, 'cart-ten'));
    const orderOn = async (cartToken: string, orderId: string) => {
      const before = outbox.sent.length;
      const cost = await calls.during(() =>
        processInboxMessage(JSON.stringify(orderFor(`wh-${cartToken}`, cartToken, orderId)), deps),
      );
      return { cost, out: outbox.json<OutboxMessage>().slice(before) };
    };
    const ten = await orderOn('cart-ten', '1000');
    const hot = await orderOn('cart-hot', '1001');
    const merges = hot.out.filter((m) => m.type === 'identify' && m.update.attributes.anonymous_id);
    process.stdout.write(
      `order on a cart 200 browsers touched: ${merges.length} merges, dynamodb=${hot.cost.total} ` +
        `${JSON.stringify(hot.cost.byCommand)}, sqs=${hot.out.length}\n`,
    );
    expect(merges).toHaveLength(10);
    expect(hot.cost).toEqual(ten.cost);
    expect(hot.out.filter((m) => m.type === 'event').map((m) => m.type === 'event' && m.event.name)).toEqual([
      'Order Completed',
    ]);
  });

  it('caps the merges one delivery emits, whatever its tokens hold', async () => {
    // Ten browsers on the cart token and ten on the checkout token of one order: twenty candidates.
    for (let i = 0; i < 10; i += 1) {
      await beacon(pixelEvent('cart_viewed', `cart-browser-${i}`, 'cart-two'));
      await beacon({
        ...pixelEvent('cart_viewed', `checkout-browser-${i}`),
        name: 'checkout_started',
        data: { checkout: { token: 'co-cart-two', lineItems: [] } },
      });
    }
    const before = outbox.sent.length;
    const capped = telemetry.counters.get('AnonymousMergesCapped') ?? 0;
    await processInboxMessage(JSON.stringify(orderFor('wh-two', 'cart-two', '1002')), deps);
    const merges = outbox
      .json<OutboxMessage>()
      .slice(before)
      .filter((m) => m.type === 'identify' && m.update.attributes.anonymous_id);
    expect(merges).toHaveLength(10);
    expect((telemetry.counters.get('AnonymousMergesCapped') ?? 0) - capped).toBe(10);
  });

  it('a browser arriving on an owned cart is merged by its own beacon: still 2 DynamoDB calls, once', async () => {
    await processInboxMessage(JSON.stringify(orderFor('wh-owned', 'cart-owned', '1003')), deps);
    const first = await beacon(pixelEvent('cart_viewed', 'anon-late', 'cart-owned'));
    const again = await beacon(pixelEvent('cart_viewed', 'anon-late', 'cart-owned'));
    expect(first.dynamo).toBe(2);
    expect(first.sent.map((m) => m.type)).toEqual(['identify', 'event']);
    expect(again.dynamo).toBe(2);
    expect(again.sent.map((m) => m.type)).toEqual(['event']);
    for (const m of [...first.sent, ...again.sent]) {
      expect(m.type === 'identify' || m.type === 'event' ? m.identifiers : undefined).toEqual({
        id: CUSTOMER_ID,
      });
    }
  });
});
