import * as z from 'zod';
import { IdSchema } from './common.js';
import { EventBaseSchema } from './event-base.js';

/** Review platforms that report reviews. */
const ReviewPlatformSchema = z.enum(['judgeme', 'okendo', 'stamped', 'yotpo']);
/** A review platform. */
export type ReviewPlatform = z.infer<typeof ReviewPlatformSchema>;

/** Review Submitted: a customer wrote a product review; the reviewer's email is in `person`. */
export const ReviewSubmittedEventSchema = EventBaseSchema.extend({
  name: z.literal('Review Submitted'),
  properties: z.object({
    review_id: IdSchema,
    /** Shopify product id as a string, null when the platform does not send it (Yotpo). */
    product_id: IdSchema.nullable(),
    product_name: z.string().nullable(),
    rating: z.number().min(0).max(5),
    title: z.string().nullable(),
    body: z.string().nullable(),
    verified_buyer: z.boolean(),
    platform: ReviewPlatformSchema,
  }),
});
