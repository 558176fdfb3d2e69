import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../../shared/canonical/event-id.js';
import { type CanonicalEvent, CanonicalEventSchema } from '../../../../shared/canonical/events.js';
import { PayloadValidationError } from '../../../../shared/errors.js';
import {
  normalizeShopify,
  normalizeShopifySample,
  shopifySampleObject,
  TEST_SHOP,
} from '../../../helpers/shopify-envelope.js';

type Refunded = Extract<CanonicalEvent, { name: 'Order Refunded' }>;

const refundEvent = (body: string): Refunded => {
  const result = normalizeShopify('refunds/create', body);
  if (result.kind !== 'normalized') throw new Error(result.reason);
  const [draft] = result.events;
  if (!draft) throw new Error('no event');
  const event = CanonicalEventSchema.parse({ ...draft, id: eventIdFor(draft.dedupe_key) });
  if (event.name !== 'Order Refunded') throw new Error(event.name);
  return event;
};

describe('refunds/create (Shopify reference sample)', () => {
  const output = normalizeShopifySample('refunds/create', 'refunds-create.json');
  const [draft] = output.events;

  it('emits one Order Refunded per refund with the amount of its successful refund transactions', () => {
    expect(output.events).toHaveLength(1);
    if (draft?.name !== 'Order Refunded') throw new Error('not a refund');
    expect(draft.dedupe_key).toBe(`order-refunded#${TEST_SHOP}#890088186047892319`);
    expect(draft.occurred_at).toBe('2022-01-01T00:00:00.000Z');
    expect(draft.properties).toMatchObject({
      refund_id: '890088186047892319',
      order_id: '820982911946154508',
      total: 85,
      currency: 'USD',
      presentment_currency: 'USD',
      item_count: 5,
      note: 'Things were damaged',
      restock: false,
    });
  });

  it('lists the refunded lines in the canonical line-item shape', () => {
    if (draft?.name !== 'Order Refunded') throw new Error('not a refund');
    expect(draft.properties.products[3]).toEqual({
      product_id: '788032119674292922',
      variant_id: null,
      sku: 'SKU2006-020',
      name: 'Mid-century lounger',
      variant_name: null,
      brand: null,
      category: null,
      quantity: 1,
      price: 159.99,
      discount: 10,
      url: null,
      image_url: null,
    });
  });

  it('has no person of its own (the payload names none) and no identity link', () => {
    expect(draft?.person).toEqual({});
    expect(output.people).toEqual([]);
    expect(output.signals).toEqual([]);
  });
});

describe('refunds/create variants', () => {
  const refund = shopifySampleObject('refunds-create.json');
  const lines = refund.refund_line_items as Record<string, unknown>[];
  const [first] = lines;

  it('takes the currency from the transactions and skips failed attempts', () => {
    const event = refundEvent(
      JSON.stringify({
        ...refund,
        transactions: [
          { id: 1, kind: 'refund', status: 'success', amount: '12.30', currency: 'EUR' },
          { id: 2, kind: 'refund', status: 'failure', amount: '99.00', currency: 'EUR' },
          { id: 3, kind: 'refund', status: 'success', amount: '0.10', currency: 'EUR' },
        ],
      }),
    );
    expect(event.properties.total).toBe(12.4);
    expect(event.properties.currency).toBe('EUR');
  });

  it('reports a partial line refund with its refunded quantity and its share of the discount', () => {
    const partial = {
      ...first,
      quantity: 1,
      line_item: {
        ...(first?.line_item as object),
        quantity: 3,
        total_discount: '9.00',
        discount_allocations: [],
      },
    };
    const event = refundEvent(JSON.stringify({ ...refund, refund_line_items: [partial] }));
    expect(event.properties.products).toHaveLength(1);
    expect(event.properties.products[0]).toMatchObject({ quantity: 1, discount: 3 });
    expect(event.properties.item_count).toBe(1);
  });

  it('has a null currency when nothing in the payload names one', () => {
    const event = refundEvent(
      JSON.stringify({ ...refund, refund_line_items: [], total_duties_set: null, transactions: [] }),
    );
    expect(event.properties.currency).toBeNull();
    expect(event.properties.total).toBe(0);
  });

  it('rejects a refund without an order id with a readable summary', () => {
    const { order_id: _dropped, ...bad } = refund;
    try {
      normalizeShopify('refunds/create', JSON.stringify(bad));
      expect.unreachable();
    } catch (error) {
      if (!(error instanceof PayloadValidationError)) throw error;
      expect(error.message).toBe('shopify refunds/create payload does not match its schema');
      expect(error.summary).toContain('→ at order_id');
    }
  });
});
