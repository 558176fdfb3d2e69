import { describe, expect, it } from 'vitest';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { onlyEvent } from '../../../helpers/canonical-output.js';
import { normalizeReview, readReviewSample } from '../../../helpers/reviews-envelope.js';

const SHOP = 'demo-store.myshopify.com';
const SAMPLE = readReviewSample('stamped', 'review-created.json');

const variant = (changes: Record<string, unknown>): string =>
  JSON.stringify({ ...(JSON.parse(SAMPLE) as Record<string, unknown>), ...changes });

describe('Stamped review push (help-centre example)', () => {
  const event = onlyEvent(normalizeReview('stamped', 'review/created', SHOP, SAMPLE));

  it('emits Review Submitted, taking the zone-less dateCreated as UTC', () => {
    expect(event.name).toBe('Review Submitted');
    expect(event.dedupe_key).toBe(`review-submitted#${SHOP}#stamped#14243711`);
    expect(event.occurred_at).toBe('2019-06-05T09:30:14.963Z');
    expect(event.person).toEqual({ email: 'example@gmail.com' });
    expect(event.properties).toEqual({
      review_id: '14243711',
      product_id: '2640569991268',
      product_name: '2PCS Tassels Crop Top & Short Pants Sets',
      rating: 3,
      title: 'Test review',
      body: 'testing',
      verified_buyer: false,
      platform: 'stamped',
    });
  });

  it('reads reviewVerifiedType 1 as a verified buyer', () => {
    const verified = onlyEvent(
      normalizeReview('stamped', 'review/created', SHOP, variant({ reviewVerifiedType: 1 })),
    );
    expect(verified.properties).toMatchObject({ verified_buyer: true });
  });

  it('throws PayloadValidationError without a review id', () => {
    expect(() => normalizeReview('stamped', 'review/created', SHOP, variant({ id: null }))).toThrow(
      PayloadValidationError,
    );
  });
});
