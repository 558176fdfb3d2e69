import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { deliveryTime } from '../../../shared/sources/shopify/shopify-mappers.js';
import { representableIsoTime, utcIsoTime } from '../../../shared/sources/source-time.js';
import { normalizeShopify, readShopifySample, shopifyEnvelope } from '../../helpers/shopify-envelope.js';

/** Well-formed ISO 8601 times (expanded years) that no canonical timestamp or Customer.io takes. */
const OUT_OF_RANGE = ['+010000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '-000001-12-31T23:59:59Z'];

const failureOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return classifyFailure(error);
  }
  throw new Error('expected a failure');
};

describe('dates past the year 9999 (or before year 0): unsupported_value, never a schema failure or a crash', () => {
  it('keeps the years 0000 to 9999 and refuses the rest as unsupported', () => {
    expect(representableIsoTime(Date.parse('9999-12-31T23:59:59.999Z'))).toBe('9999-12-31T23:59:59.999Z');
    expect(representableIsoTime(Date.parse('0000-01-01T00:00:00Z'))).toBe('0000-01-01T00:00:00.000Z');
    expect(utcIsoTime('1969-07-20T20:17:40Z')).toBe('1969-07-20T20:17:40.000Z');
    for (const when of OUT_OF_RANGE) {
      expect(failureOf(() => utcIsoTime(when))).toMatchObject({
        class: 'permanent',
        code: 'unsupported_value',
      });
    }
  });

  it.each(OUT_OF_RANGE)('parks a Shopify order processed at %s as unsupported_value', (when) => {
    const order = JSON.parse(
      readShopifySample('orders-create.json').replace(/"id": (\d{16,})/g, '"id": "$1"'),
    );
    order.processed_at = when;
    order.created_at = when;
    expect(failureOf(() => normalizeShopify('orders/create', JSON.stringify(order)))).toMatchObject({
      code: 'unsupported_value',
      reason: 'a timestamp outside the years 0000 to 9999 cannot be represented',
    });
  });

  it('parks a review dated past 9999 as unsupported_value', () => {
    const body = JSON.parse(readShopifySample('../judgeme/review-created.json')) as {
      review: { created_at: string };
    };
    body.review.created_at = '+010000-01-01T00:00:00Z';
    const envelope = {
      ...shopifyEnvelope('review/created', JSON.stringify(body)),
      source: 'judgeme' as const,
    };
    const normalize = normalizerRegistry.judgeme?.['review/created'];
    expect(failureOf(() => normalize?.(body, envelope))).toMatchObject({ code: 'unsupported_value' });
  });

  it('takes a cart time it cannot represent as the time the delivery was received', () => {
    const cart = JSON.parse(readShopifySample('carts-create.json')) as Record<string, unknown>;
    cart.updated_at = '+010000-01-01T00:00:00Z';
    cart.created_at = '+010000-01-01T00:00:00Z';
    const result = normalizeShopify('carts/create', JSON.stringify(cart), {
      receivedAt: '2026-11-28T10:00:00.000Z',
    });
    expect(result.kind === 'normalized' && result.signals[0]).toMatchObject({
      occurred_at: '2026-11-28T10:00:00.000Z',
    });
  });

  it('ignores an (unsigned) X-Shopify-Triggered-At it cannot represent', () => {
    const envelope = shopifyEnvelope('customers/redact', '{}', {
      triggeredAt: '+010000-01-01T00:00:00Z',
      receivedAt: '2026-11-28T10:00:00.000Z',
    });
    expect(deliveryTime(envelope)).toBe('2026-11-28T10:00:00.000Z');
  });
});
