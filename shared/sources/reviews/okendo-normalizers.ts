import * as z from 'zod';
import { parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import { RatingSchema, reviewSubmitted, reviewTime, textOrNull } from './review-mappers.js';

/** Okendo `review.create` body (version 2025-02-01): `{resource:{…}, resourceType, topic, sequenceNumber}`. */
const OkendoReviewPayloadSchema = z.looseObject({
  resource: z.looseObject({
    reviewId: z.string().min(1),
    productId: z.string().nullish(),
    productName: z.string().nullish(),
    rating: RatingSchema,
    title: z.string().nullish(),
    body: z.string().nullish(),
    reviewer: z.looseObject({ email: z.string().nullish(), verifiedStatus: z.string().nullish() }).nullish(),
    dateCreated: z.string(),
  }),
});

/** Okendo prefixes product ids with the platform ("shopify-123" → "123"); other prefixes are kept as sent. */
export const okendoProductId = (value: string | null | undefined): string | null => {
  const id = textOrNull(value);
  return id?.startsWith('shopify-') ? id.slice('shopify-'.length) : id;
};

/** review.create: Review Submitted; "Verified Buyer" in `reviewer.verifiedStatus` marks a verified buyer. */
const normalizeOkendoReview: TopicNormalizer = (payload, envelope) => {
  const { resource } = parsePayload(OkendoReviewPayloadSchema, payload, `okendo ${envelope.topic}`);
  return reviewSubmitted(
    'okendo',
    {
      reviewId: resource.reviewId,
      productId: okendoProductId(resource.productId),
      productName: textOrNull(resource.productName),
      rating: resource.rating,
      title: textOrNull(resource.title),
      body: textOrNull(resource.body),
      verifiedBuyer: resource.reviewer?.verifiedStatus?.toLowerCase().includes('buyer') ?? false,
      email: resource.reviewer?.email,
      occurredAt: reviewTime(resource.dateCreated, 'resource.dateCreated'),
    },
    envelope,
  );
};

/** Okendo topic → normalizer; review.update, review.delete and loyalty topics are ignored. */
export const okendoNormalizers: Readonly<Record<string, TopicNormalizer>> = {
  'review.create': normalizeOkendoReview,
};
