import * as z from 'zod';
import { parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import {
  LooseBooleanSchema,
  RatingSchema,
  ReviewIdSchema,
  reviewSubmitted,
  reviewTime,
  textOrNull,
} from './review-mappers.js';

/** Yotpo `review_create` body: `{event, data:{…}}`, string-typed in older payloads (only the fields read). */
const YotpoReviewPayloadSchema = z.looseObject({
  data: z.looseObject({
    id: ReviewIdSchema,
    title: z.string().nullish(),
    content: z.string().nullish(),
    score: RatingSchema,
    verified_buyer: LooseBooleanSchema.nullish(),
    /** Only in the newer payload variant. */
    customer_email: z.string().nullish(),
    created_at: z.string(),
  }),
});

/**
 * review_create: Review Submitted. Yotpo's payload names no product (the product field names of the newer variant
 * are unconfirmed) and the older variant no reviewer email, so those stay null / unknown.
 */
const normalizeYotpoReview: TopicNormalizer = (payload, envelope) => {
  const { data } = parsePayload(YotpoReviewPayloadSchema, payload, `yotpo ${envelope.topic}`);
  return reviewSubmitted(
    'yotpo',
    {
      reviewId: data.id,
      productId: null,
      productName: null,
      rating: data.score,
      title: textOrNull(data.title),
      body: textOrNull(data.content),
      verifiedBuyer: data.verified_buyer ?? false,
      email: data.customer_email,
      occurredAt: reviewTime(data.created_at, 'data.created_at'),
    },
    envelope,
  );
};

/** Yotpo topic → normalizer; review_updated is not a new review and is ignored. */
export const yotpoNormalizers: Readonly<Record<string, TopicNormalizer>> = {
  review_create: normalizeYotpoReview,
};
