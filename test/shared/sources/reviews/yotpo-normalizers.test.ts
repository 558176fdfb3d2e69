import { describe, expect, it } from 'vitest';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { normalizerRegistry } from '../../../../shared/normalize/registry.js';
import { onlyEvent } from '../../../helpers/canonical-output.js';
import { normalizeReview, readReviewSample } from '../../../helpers/reviews-envelope.js';

/** The shop the Yotpo URL token belongs to (the payload's app key is checked at the edge). */
const SHOP = 'demo.myshopify.com';
const SAMPLE = readReviewSample('yotpo', 'review-create.json');

const variant = (changes: Record<string, unknown>): string => {
  const sample = JSON.parse(SAMPLE) as { data: Record<string, unknown> };
  return JSON.stringify({ ...sample, data: { ...sample.data, ...changes } });
};

describe('Yotpo review_create (older, string-typed docs example)', () => {
  const event = onlyEvent(normalizeReview('yotpo', 'review_create', SHOP, SAMPLE));

  it('emits Review Submitted with numbers and booleans parsed from strings and the "UTC" time converted', () => {
    expect(event.name).toBe('Review Submitted');
    expect(event.dedupe_key).toBe(`review-submitted#${SHOP}#yotpo#219`);
    expect(event.shop).toBe(SHOP);
    expect(event.occurred_at).toBe('2018-02-20T14:12:13.000Z');
    expect(event.properties).toEqual({
      review_id: '219',
      product_id: null,
      product_name: null,
      rating: 5,
      title: 'Review Title',
      body: 'Review Content',
      verified_buyer: false,
      platform: 'yotpo',
    });
  });

  it('has no reviewer email in the older variant, so the person is unknown', () => {
    expect(event.person).toEqual({});
  });

  it('reads customer_email and typed values of the newer variant', () => {
    const newer = onlyEvent(
      normalizeReview(
        'yotpo',
        'review_create',
        SHOP,
        variant({
          customer_email: 'Buyer@Example.com',
          score: 4,
          verified_buyer: true,
          created_at: '2024-05-01T10:00:00Z',
        }),
      ),
    );
    expect(newer.person).toEqual({ email: 'buyer@example.com' });
    expect(newer.properties).toMatchObject({ rating: 4, verified_buyer: true });
    expect(newer.occurred_at).toBe('2024-05-01T10:00:00.000Z');
  });

  it('leaves review_updated unhandled and rejects a non-numeric score', () => {
    expect(normalizerRegistry.yotpo?.review_updated).toBeUndefined();
    expect(() => normalizeReview('yotpo', 'review_create', SHOP, variant({ score: 'five' }))).toThrow(
      PayloadValidationError,
    );
  });
});
