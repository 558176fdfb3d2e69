import { describe, expect, it } from 'vitest';
import type { CartActivitySignal } from '../../../../shared/cart/cart-signal.js';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { parseJsonLossless } from '../../../../shared/json/lossless-json.js';
import type { Normalized } from '../../../../shared/normalize/normalizer.js';
import { normalizerRegistry } from '../../../../shared/normalize/registry.js';
import { normalizeCartActivity } from '../../../../shared/sources/shopify/cart-normalizers.js';
import { readSample, shopifyEnvelope } from '../../../helpers/shopify-delivery.js';

const run = (topic: string, sample: string): Normalized => {
  const body = readSample(sample);
  const result = normalizeCartActivity(parseJsonLossless(body), shopifyEnvelope(topic, body));
  if (result.kind !== 'normalized') throw new Error(`expected output, got ${result.reason}`);
  return result;
};

const SHIRT = {
  product_id: '788032119674292922',
  variant_id: '704912205188288575',
  sku: 'example-shirt-s',
  name: 'Example T-Shirt - Small',
  variant_name: null,
  brand: 'Acme',
  category: null,
  quantity: 3,
  price: 19.99,
  discount: 39.98,
  url: null,
  image_url: null,
};

describe('Shopify cart normalizers', () => {
  it('registers carts/create and carts/update', () => {
    expect(normalizerRegistry.shopify?.['carts/create']).toBe(normalizeCartActivity);
    expect(normalizerRegistry.shopify?.['carts/update']).toBe(normalizeCartActivity);
  });

  it.each([
    ['carts/create', 'shopify/carts-create.json'],
    ['carts/update', 'shopify/carts-update.json'],
  ])(
    '%s: no event or identity (carts are anonymous), one cart_activity with lines, total and currency',
    (topic, sample) => {
      const out = run(topic, sample);
      expect(out.events).toEqual([]);
      expect(out.people).toEqual([]);
      expect(out.signals).toEqual([
        {
          type: 'cart_activity',
          origin: 'cart',
          shop: 'demo.myshopify.com',
          cart_token: 'exampleCartId',
          person: {},
          line_items: [SHIRT],
          total: 59.97,
          currency: 'USD',
          occurred_at: '2022-01-01T00:00:00.000Z',
        } satisfies CartActivitySignal,
      ]);
    },
  );

  it('carts/update (real capture): an emptied cart keeps its token and time, with no currency', () => {
    const [signal] = run('carts/update', 'shopify/carts-update.rudderstack.json')
      .signals as CartActivitySignal[];
    expect(signal).toEqual({
      type: 'cart_activity',
      origin: 'cart',
      shop: 'demo.myshopify.com',
      cart_token: 'Z2NwLXVzLWVhc3QxOjAxSjdXRjdOQjY0NlFFNFdQVEg0MTRFM1E2',
      person: {},
      line_items: [],
      total: 0,
      currency: null,
      occurred_at: '2024-09-17T08:15:13.280Z',
    });
  });

  it('never dates activity after the delivery was received', () => {
    const body = JSON.stringify({
      id: 'c1',
      token: 'c1',
      line_items: [],
      updated_at: '2099-01-01T00:00:00Z',
    });
    const out = normalizeCartActivity(JSON.parse(body), shopifyEnvelope('carts/update', body));
    expect(out.kind === 'normalized' && (out.signals[0] as CartActivitySignal).occurred_at).toBe(
      '2026-11-28T10:00:00.000Z',
    );
  });

  it('rejects a cart without line items as a payload error', () => {
    const body = JSON.stringify({ id: 'c1' });
    expect(() => normalizeCartActivity(JSON.parse(body), shopifyEnvelope('carts/update', body))).toThrow(
      PayloadValidationError,
    );
  });
});
