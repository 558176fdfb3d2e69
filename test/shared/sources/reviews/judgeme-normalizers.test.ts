import { describe, expect, it } from 'vitest';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { normalizerRegistry } from '../../../../shared/normalize/registry.js';
import { onlyEvent } from '../../../helpers/canonical-output.js';
import { normalizeReview, readReviewSample } from '../../../helpers/reviews-envelope.js';

const SHOP = 'test.myshopify.com';
const SAMPLE = readReviewSample('judgeme', 'review-created.json');

const variant = (changes: Record<string, unknown>): string => {
  const sample = JSON.parse(SAMPLE) as { review: Record<string, unknown> };
  return JSON.stringify({ ...sample, review: { ...sample.review, ...changes } });
};

describe('Judge.me review/created (Pipedream test event)', () => {
  const event = onlyEvent(normalizeReview('judgeme', 'review/created', SHOP, SAMPLE));

  it('emits one Review Submitted per platform and review', () => {
    expect(event.name).toBe('Review Submitted');
    expect(event.dedupe_key).toBe(`review-submitted#${SHOP}#judgeme#465077653`);
    expect(event.source).toBe('judgeme');
    expect(event.shop).toBe(SHOP);
    expect(event.occurred_at).toBe('2023-10-05T13:35:01.000Z');
    expect(event.person).toEqual({ email: 'test@test.com' });
  });

  it('maps the review, with the Shopify product id as a string and "not-yet" as not verified', () => {
    expect(event.properties).toEqual({
      review_id: '465077653',
      product_id: '8302173290794',
      product_name: 'The Collection Snowboard: Oxygen',
      rating: 5,
      title: 'Nice Product',
      body: 'Very good product!',
      verified_buyer: false,
      platform: 'judgeme',
    });
  });

  it('treats a buyer verification value as a verified buyer', () => {
    const verified = onlyEvent(
      normalizeReview('judgeme', 'review/created', SHOP, variant({ verified: 'buyer' })),
    );
    expect(verified.properties).toMatchObject({ verified_buyer: true });
  });

  it('leaves review/updated unhandled (not a new review)', () => {
    expect(normalizerRegistry.judgeme?.['review/updated']).toBeUndefined();
  });

  it('throws PayloadValidationError for a rating outside 0-5 or a missing review', () => {
    expect(() => normalizeReview('judgeme', 'review/created', SHOP, variant({ rating: 7 }))).toThrow(
      PayloadValidationError,
    );
    expect(() => normalizeReview('judgeme', 'review/created', SHOP, '{"event":"review/created"}')).toThrow(
      PayloadValidationError,
    );
  });
});
