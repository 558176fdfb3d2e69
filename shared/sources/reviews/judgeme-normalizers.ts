import * as z from 'zod';
import { parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import { RatingSchema, ReviewIdSchema, reviewSubmitted, reviewTime, textOrNull } from './review-mappers.js';

/** Judge.me `review/created` body: `{review:{…}, event, shop_domain, platform}` (only the fields read). */
const JudgemeReviewPayloadSchema = z.looseObject({
  review: z.looseObject({
    id: ReviewIdSchema,
    title: z.string().nullish(),
    body: z.string().nullish(),
    rating: RatingSchema,
    product_external_id: ReviewIdSchema.nullish(),
    product_title: z.string().nullish(),
    reviewer: z.looseObject({ email: z.string().nullish() }).nullish(),
    /** "not-yet" in the sample; a buyer value ("buyer", "verified-buyer") is unconfirmed, booleans tolerated. */
    verified: z.union([z.string(), z.boolean()]).nullish(),
    created_at: z.string(),
  }),
});

const isVerifiedBuyer = (value: string | boolean | null | undefined): boolean =>
  typeof value === 'boolean' ? value : (value?.toLowerCase().includes('buyer') ?? false);

/** review/created: Review Submitted. Judge.me's `product_external_id` is the Shopify product id. */
const normalizeJudgemeReview: TopicNormalizer = (payload, envelope) => {
  const { review } = parsePayload(JudgemeReviewPayloadSchema, payload, `judgeme ${envelope.topic}`);
  return reviewSubmitted(
    'judgeme',
    {
      reviewId: review.id,
      productId: review.product_external_id ?? null,
      productName: textOrNull(review.product_title),
      rating: review.rating,
      title: textOrNull(review.title),
      body: textOrNull(review.body),
      verifiedBuyer: isVerifiedBuyer(review.verified),
      email: review.reviewer?.email,
      occurredAt: reviewTime(review.created_at, 'review.created_at'),
    },
    envelope,
  );
};

/** Judge.me topic → normalizer; review/updated is not a new review and is ignored. */
export const judgemeNormalizers: Readonly<Record<string, TopicNormalizer>> = {
  'review/created': normalizeJudgemeReview,
};
