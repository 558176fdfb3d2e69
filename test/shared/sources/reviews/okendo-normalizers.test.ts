import { describe, expect, it } from 'vitest';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { okendoProductId } from '../../../../shared/sources/reviews/okendo-normalizers.js';
import { onlyEvent } from '../../../helpers/canonical-output.js';
import { normalizeReview, OKENDO_REVIEW_CREATE } from '../../../helpers/reviews-envelope.js';

/** The shop whose Okendo store (`resource.subscriberId`) the edge matched. */
const SHOP = 'vege-box.myshopify.com';

const variant = (changes: Record<string, unknown>): string => {
  const sample = JSON.parse(OKENDO_REVIEW_CREATE) as { resource: Record<string, unknown> };
  return JSON.stringify({ ...sample, resource: { ...sample.resource, ...changes } });
};

describe('Okendo review.create (fixture built from the docs)', () => {
  const event = onlyEvent(normalizeReview('okendo', 'review.create', SHOP, OKENDO_REVIEW_CREATE));

  it('emits Review Submitted with the Shopify product id unprefixed and the email lower-cased', () => {
    expect(event.name).toBe('Review Submitted');
    expect(event.dedupe_key).toBe(`review-submitted#${SHOP}#okendo#9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d`);
    expect(event.shop).toBe(SHOP);
    expect(event.occurred_at).toBe('2025-03-24T07:32:17.872Z');
    expect(event.person).toEqual({ email: 'tim.cook@example.com' });
    expect(event.properties).toEqual({
      review_id: '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
      product_id: '7542485909654',
      product_name: 'Custom Vege Box',
      rating: 4,
      title: 'Fresh every week',
      body: 'Great quality and price! Would buy again!',
      verified_buyer: true,
      platform: 'okendo',
    });
  });

  it('is not a verified buyer without "Verified Buyer" status, and tolerates a missing reviewer', () => {
    const anonymous = onlyEvent(
      normalizeReview('okendo', 'review.create', SHOP, variant({ reviewer: null })),
    );
    expect(anonymous.person).toEqual({});
    expect(anonymous.properties).toMatchObject({ verified_buyer: false });
  });

  it('strips only the shopify- prefix from product ids', () => {
    expect(okendoProductId('shopify-123456789')).toBe('123456789');
    expect(okendoProductId('bigcommerce-77')).toBe('bigcommerce-77');
    expect(okendoProductId(null)).toBeNull();
  });

  it('throws PayloadValidationError without a rating', () => {
    expect(() => normalizeReview('okendo', 'review.create', SHOP, variant({ rating: undefined }))).toThrow(
      PayloadValidationError,
    );
  });
});
