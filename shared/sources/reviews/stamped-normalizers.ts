import * as z from 'zod';
import { STAMPED_REVIEW_TOPIC } from '../../ingest/stamped-source.js';
import { parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import { RatingSchema, ReviewIdSchema, reviewSubmitted, reviewTime, textOrNull } from './review-mappers.js';

/** Stamped review push (flat body; only the fields read). */
const StampedReviewPayloadSchema = z.looseObject({
  id: ReviewIdSchema,
  customerEmail: z.string().nullish(),
  reviewTitle: z.string().nullish(),
  reviewMessage: z.string().nullish(),
  reviewRating: RatingSchema,
  /** 0 = not verified; 1 is taken as "verified buyer" (Stamped does not document the values). */
  reviewVerifiedType: z.number().int().nullish(),
  productId: ReviewIdSchema.nullish(),
  productName: z.string().nullish(),
  dateCreated: z.string(),
});

/** A Stamped review: Review Submitted. `productId` is the Shopify product id. */
const normalizeStampedReview: TopicNormalizer = (payload, envelope) => {
  const review = parsePayload(StampedReviewPayloadSchema, payload, `stamped ${envelope.topic}`);
  return reviewSubmitted(
    'stamped',
    {
      reviewId: review.id,
      productId: review.productId ?? null,
      productName: textOrNull(review.productName),
      rating: review.reviewRating,
      title: textOrNull(review.reviewTitle),
      body: textOrNull(review.reviewMessage),
      verifiedBuyer: review.reviewVerifiedType === 1,
      email: review.customerEmail,
      occurredAt: reviewTime(review.dateCreated, 'dateCreated'),
    },
    envelope,
  );
};

/** Stamped topic → normalizer (the source classifies review pushes as `review/created`). */
export const stampedNormalizers: Readonly<Record<string, TopicNormalizer>> = {
  [STAMPED_REVIEW_TOPIC]: normalizeStampedReview,
};
