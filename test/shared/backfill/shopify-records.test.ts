import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCheckout, fakeCustomer, fakeLine, fakeOrder } from '../../../local/fake-shop/fake-data.js';
import { DynamoSeenRecords } from '../../../shared/backfill/dynamo-seen-records.js';
import { shopifyRecords } from '../../../shared/backfill/shopify-records.js';
import { cartActivity } from '../../../shared/cart/cart-signal.js';
import { DynamoCartStore } from '../../../shared/cart/dynamo-cart-store.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';

const SHOP = 'records.myshopify.com';
const buyer = fakeCustomer({ id: 9, email: 'r@example.com', updatedAt: '2026-03-01T00:00:00Z' });

const recordsOf = (result: ReturnType<typeof shopifyRecords>) => {
  if (!('records' in result)) throw new Error(`unreadable: ${result.unreadable.reason}`);
  return result.records;
};

describe('the records a Shopify object reports', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table?.close());

  it('reads an order as its creation, its cancellation, its fulfilment and each refund, each dated when it happened', () => {
    const { order, lines } = fakeOrder({
      id: 42,
      customer: buyer,
      lines: [fakeLine(1, 10)],
      createdAt: '2026-03-02T10:00:00Z',
      cancelledAt: '2026-03-04T10:00:00Z',
      refunds: [
        { id: 71, amount: 4, createdAt: '2026-03-03T10:00:00Z' },
        { id: 72, amount: 6, createdAt: '2026-03-04T09:00:00Z' },
      ],
    });
    const fulfilled = {
      ...order,
      displayFulfillmentStatus: 'FULFILLED',
      fulfillments: [
        {
          id: 'gid://shopify/Fulfillment/5',
          status: 'SUCCESS',
          createdAt: '2026-03-03T12:00:00Z',
          trackingInfo: [],
        },
      ],
    };

    const records = recordsOf(shopifyRecords(SHOP, 'orders', { node: fulfilled, lines }));

    expect(records.map((r) => [r.topic, r.id, r.occurredAt])).toEqual([
      ['orders/create', '42', '2026-03-02T10:00:00.000Z'],
      ['orders/cancelled', '42', '2026-03-04T10:00:00.000Z'],
      ['orders/fulfilled', '42', '2026-03-03T12:00:00.000Z'],
      ['refunds/create', '71', '2026-03-03T10:00:00.000Z'],
      ['refunds/create', '72', '2026-03-04T09:00:00.000Z'],
    ]);
  });

  it('versions a customer by its updated_at (a later change is a new record, the same one is not)', () => {
    const [record] = recordsOf(shopifyRecords(SHOP, 'customers', { node: buyer, lines: [] }));

    expect(record).toMatchObject({ topic: 'customers/update', id: '9', version: '2026-03-01T00:00:00.000Z' });
  });

  it('turns what cannot be mapped into an unreadable record with the object’s id and a reason, never its content', () => {
    const result = shopifyRecords(SHOP, 'orders', {
      node: { id: 'gid://shopify/Order/1', email: 'x@example.com' },
      lines: [],
    });

    expect(result).toEqual({
      unreadable: {
        source: 'shopify',
        resource: 'orders',
        id: 'gid://shopify/Order/1',
        reason: expect.any(String),
      },
    });
    expect(JSON.stringify(result)).not.toContain('x@example.com');
  });

  it('skips a completed checkout and one nobody can be reached at', () => {
    const { checkout, lines } = fakeCheckout({
      id: 3,
      shop: SHOP,
      cartToken: 'cartAAAA1111',
      customer: buyer,
      lines: [fakeLine(1, 5)],
      updatedAt: '2026-03-05T00:00:00Z',
    });

    expect(
      recordsOf(
        shopifyRecords(SHOP, 'abandonedCheckouts', {
          node: { ...checkout, completedAt: '2026-03-05T01:00:00Z' },
          lines,
        }),
      ),
    ).toEqual([]);
    expect(
      recordsOf(shopifyRecords(SHOP, 'abandonedCheckouts', { node: { ...checkout, customer: null }, lines })),
    ).toEqual([]);
  });

  it('names a checkout’s cart by the item cart recovery keeps for it, so a cart the connector has counts as seen', async () => {
    const { checkout, lines } = fakeCheckout({
      id: 4,
      shop: SHOP,
      cartToken: 'cartBBBB2222',
      customer: buyer,
      lines: [fakeLine(1, 5)],
      updatedAt: '2026-03-05T00:00:00Z',
    });
    const [record] = recordsOf(shopifyRecords(SHOP, 'abandonedCheckouts', { node: checkout, lines }));
    const seen = new DynamoSeenRecords(table.client, table.tableName);
    if (!record?.seenAs) throw new Error('a checkout record names its cart');

    expect(await seen.present([record.seenAs])).toEqual(new Set());
    await new DynamoCartStore(table.client, { tableName: table.tableName, retentionDays: 30 }).recordActivity(
      cartActivity({
        origin: 'checkout',
        shop: SHOP,
        cart_token: 'cartBBBB2222',
        person: { email: 'r@example.com' },
        line_items: [],
        total: 5,
        currency: 'USD',
        occurred_at: '2026-03-05T00:00:00.000Z',
      }),
      { step: 1, due_at: '2026-03-05T01:00:00.000Z' },
    );
    expect(await seen.present([record.seenAs])).toEqual(new Set([record.seenAs.pk]));
  });
});
