import type { SourceName, WebhookEnvelope } from '../../shared/ingest/envelope.js';
import { parseJsonLossless } from '../../shared/json/lossless-json.js';
import type { NormalizeResult } from '../../shared/normalize/normalizer.js';
import { normalizerRegistry } from '../../shared/normalize/registry.js';
import { readSample } from './fixtures.js';

/** Raw text of a review-platform sample from test/fixtures/samples. */
export const readReviewSample = (platform: 'judgeme' | 'stamped' | 'yotpo', file: string): string =>
  readSample(`${platform}/${file}`);

/**
 * Okendo `review.create`: no sample could be saved, so this is built from Okendo's docs: the envelope
 * (`resource`, `resourceType`, `sequenceNumber`, `topic`, `version`) of the loyalty examples on
 * https://docs.okendo.io/webhooks/topics, and the review fields of the review.create example and of the REST
 * review object (https://docs.okendo.io/merchant-rest-api/endpoints/reviews). Values are illustrative.
 */
export const OKENDO_REVIEW_CREATE = JSON.stringify({
  resource: {
    subscriberId: '123e4567-e89b-12d3-a456-426614174000',
    reviewId: '9b1f2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
    productId: 'shopify-7542485909654',
    productName: 'Custom Vege Box',
    attributesWithRating: [],
    body: 'Great quality and price! Would buy again!',
    containsProfanity: false,
    dateCreated: '2025-03-24T07:32:17.872Z',
    helpfulCount: 1,
    isRecommended: true,
    media: [],
    order: { orderId: '5551234567890', orderNumber: '#1042' },
    rating: 4,
    title: 'Fresh every week',
    reviewer: {
      displayName: 'Tim C.',
      email: 'Tim.Cook@Example.com',
      isVerified: true,
      name: 'Tim Cook',
      verifiedStatus: 'Verified Buyer',
    },
  },
  resourceType: 'review',
  sequenceNumber: '123123412',
  topic: 'create',
  version: '2025-02-01',
});

/** A signed review-platform envelope as the ingest Lambda queues it. */
export const reviewEnvelope = (
  source: SourceName,
  topic: string,
  shop: string,
  body: string,
): WebhookEnvelope => ({
  version: 1,
  source,
  topic,
  shop,
  deliveryId: 'msg_2p5jXN8AQM9LWM0D4loKWxJek',
  receivedAt: '2026-11-28T10:00:00.000Z',
  signed: true,
  body,
});

/** Runs a body through the registered normalizer of its source and topic, as the process stage does. */
export const normalizeReview = (
  source: SourceName,
  topic: string,
  shop: string,
  body: string,
): NormalizeResult => {
  const normalizer = normalizerRegistry[source]?.[topic];
  if (!normalizer) throw new Error(`no ${source} normalizer for ${topic}`);
  return normalizer(parseJsonLossless(body), reviewEnvelope(source, topic, shop, body));
};
