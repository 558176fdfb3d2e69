import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import { CanonicalEventSchema } from '../../../shared/canonical/events.js';

const review = {
  id: eventIdFor('review-submitted#judgeme#1'),
  name: 'Review Submitted',
  dedupe_key: 'review-submitted#judgeme#1',
  source: 'judgeme',
  shop: 'test.myshopify.com',
  occurred_at: '2023-10-05T13:35:01.000Z',
  person: { email: 'test@test.com' },
  properties: {
    review_id: '1',
    product_id: '8302173290794',
    product_name: 'Snowboard',
    rating: 5,
    title: null,
    body: 'Good',
    verified_buyer: false,
    platform: 'judgeme',
  },
};

describe('Review Submitted schema in the canonical union', () => {
  it('accepts a review', () => {
    expect(CanonicalEventSchema.parse(review).properties).toMatchObject({ rating: 5, platform: 'judgeme' });
  });

  it('rejects a rating above 5 and an unknown platform', () => {
    expect(
      CanonicalEventSchema.safeParse({ ...review, properties: { ...review.properties, rating: 6 } }).success,
    ).toBe(false);
    expect(
      CanonicalEventSchema.safeParse({ ...review, properties: { ...review.properties, platform: 'loox' } })
        .success,
    ).toBe(false);
  });
});
