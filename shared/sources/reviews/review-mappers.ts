import * as z from 'zod';
import type { ReviewPlatform } from '../../canonical/review-events.js';
import { PayloadValidationError } from '../../errors.js';
import type { WebhookEnvelope } from '../../ingest/envelope.js';
import { type NormalizeResult, normalized } from '../../normalize/normalizer.js';
import { excerpt, utcIsoTime } from '../source-time.js';

/** A review id: number or string in the payload. */
export const ReviewIdSchema = z.union([z.string().min(1), z.number().int()]).transform(String);

/** A star rating: a number, or a numeric string (Yotpo's older payloads), 0 to 5. */
export const RatingSchema = z
  .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'numeric string')])
  .transform(Number)
  .pipe(z.number().min(0).max(5));

/** A boolean, or the strings "true"/"false" (Yotpo's older payloads). */
export const LooseBooleanSchema = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((value) => value === true || value === 'true');

/**
 * Converts a review platform's timestamp to ISO 8601 UTC. Stamped sends none ("2019-06-05T09:30:14.963", taken as
 * UTC) and older Yotpo payloads write "2018-02-20 14:12:13 UTC".
 */
export const reviewTime = (value: string): string => {
  const time = utcIsoTime(value);
  if (time === undefined) {
    throw new PayloadValidationError(
      'review timestamp is not a date',
      `invalid timestamp "${excerpt(value)}"`,
    );
  }
  return time;
};

/** Empty strings become null. */
export const textOrNull = (value: string | null | undefined): string | null =>
  value === null || value === undefined || value.trim() === '' ? null : value;

/** What a platform's review contributes to Review Submitted. */
export interface ReviewFacts {
  readonly reviewId: string;
  readonly productId: string | null;
  readonly productName: string | null;
  readonly rating: number;
  readonly title: string | null;
  readonly body: string | null;
  readonly verifiedBuyer: boolean;
  readonly email: string | null | undefined;
  readonly occurredAt: string;
}

/**
 * One Review Submitted per shop, platform and review: the key repeats only for the same review of the same shop,
 * so a re-delivery or a later "created" push of it is dropped as a duplicate, while a review id of another shop
 * (platform ids are only unique per store, and anyone holding one shop's secret could forge one) never suppresses
 * this shop's review.
 */
export const reviewSubmitted = (
  platform: ReviewPlatform,
  facts: ReviewFacts,
  envelope: WebhookEnvelope,
): NormalizeResult => {
  const email = facts.email?.trim().toLowerCase();
  return normalized([
    {
      name: 'Review Submitted',
      dedupe_key: `review-submitted#${envelope.shop}#${platform}#${facts.reviewId}`,
      source: platform,
      shop: envelope.shop,
      occurred_at: facts.occurredAt,
      person: email ? { email } : {},
      properties: {
        review_id: facts.reviewId,
        product_id: facts.productId,
        product_name: facts.productName,
        rating: facts.rating,
        title: facts.title,
        body: facts.body,
        verified_buyer: facts.verifiedBuyer,
        platform,
      },
    },
  ]);
};
