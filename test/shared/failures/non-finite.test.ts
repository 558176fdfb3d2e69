import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { normalizeRecharge } from '../../helpers/recharge-envelope.js';
import { normalizeShopify, readShopifySample } from '../../helpers/shopify-envelope.js';

const failureOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return classifyFailure(error);
  }
  throw new Error('expected a failure');
};

/** Amounts that are well-formed JSON but no finite double: the value is unsupported, the payload is not invalid. */
const OVERFLOWING = ['1e400', '-1e400', '9'.repeat(320), `${'1'.repeat(312)}.5`, `"${'9'.repeat(400)}"`];

describe('numbers that overflow a double park as unsupported_value, wherever the schema meets them', () => {
  it.each(OVERFLOWING.map((n) => [n.slice(0, 8), n]))(
    'a Shopify total of %s… is unsupported_value',
    (_, amount) => {
      const order = readShopifySample('orders-create.json')
        .replace(/"id": (\d{16,})/g, '"id": "$1"')
        .replace(/"total_price": "[^"]*"/, `"total_price": ${amount}`);
      expect(failureOf(() => normalizeShopify('orders/create', order))).toMatchObject({
        class: 'permanent',
        code: 'unsupported_value',
      });
    },
  );

  it.each([
    ['1e400', '1e400'],
    ['-1e400', '-1e400'],
  ])('a Shopify order id of %s (a number that reads as Infinity) is unsupported_value', (_, id) => {
    const order = readShopifySample('orders-create.json')
      .replace(/"id": (\d{16,})/g, '"id": "$1"')
      .replace(/^(\s*)"id": "\d+"/m, `$1"id": ${id}`);
    expect(order).toContain(`"id": ${id}`);
    expect(failureOf(() => normalizeShopify('orders/create', order))).toMatchObject({
      class: 'permanent',
      code: 'unsupported_value',
    });
  });

  it('a Recharge charge total of hundreds of digits is unsupported_value', () => {
    const charge = {
      charge: {
        id: 1,
        customer_id: 2,
        email: 'a@example.com',
        status: 'success',
        total_price: '9'.repeat(400),
        line_items: [],
        created_at: '2026-01-01T00:00:00',
      },
    };
    expect(failureOf(() => normalizeRecharge('charge/paid', JSON.stringify(charge)))).toMatchObject({
      code: 'unsupported_value',
    });
  });

  it('looks into the branches of a union that matched nothing, and only for a number that is not finite', () => {
    const amount = z.union([z.string().regex(/^\d+$/), z.number().finite()]);
    expect(failureOf(() => amount.parse(Number.POSITIVE_INFINITY))).toMatchObject({
      code: 'unsupported_value',
    });
    expect(failureOf(() => amount.parse(Number.NaN))).toMatchObject({ code: 'unsupported_value' });
    expect(failureOf(() => amount.parse('12.5x'))).toMatchObject({ code: 'payload_invalid' });
    expect(failureOf(() => amount.parse({}))).toMatchObject({ code: 'payload_invalid' });
  });

  it('keeps a finite amount of 300 digits: a huge value, not an unsupported one', () => {
    const order = readShopifySample('orders-create.json')
      .replace(/"id": (\d{16,})/g, '"id": "$1"')
      .replace(/"total_price": "[^"]*"/, `"total_price": ${'9'.repeat(300)}`);
    expect(normalizeShopify('orders/create', order).kind).toBe('normalized');
  });
});
