import * as z from 'zod';
import { SourceNameSchema } from '../ingest/envelope.js';
import { IdSchema, PersonRefSchema } from './common.js';

/** Person attributes the connector maintains in Customer.io (snake_case; unknown values are omitted, not null). */
export const PersonAttributesSchema = z.object({
  email: z.string().optional(),
  phone: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  shopify_customer_id: z.string().optional(),
  recharge_customer_id: z.string().optional(),
  city: z.string().optional(),
  country_code: z.string().optional(),
  locale: z.string().optional(),
  accepts_email_marketing: z.boolean().optional(),
  accepts_sms_marketing: z.boolean().optional(),
  /** Shopify's email consent state as sent (subscribed, not_subscribed, pending, unsubscribed, redacted, invalid). */
  email_marketing_state: z.string().optional(),
  email_marketing_opt_in_level: z.string().optional(),
  /** Shopify's SMS consent state as sent. */
  sms_marketing_state: z.string().optional(),
  sms_marketing_opt_in_level: z.string().optional(),
  /**
   * Customer.io's reserved global unsubscribe. Only ever sent as `true`, on an explicit email unsubscribe: the
   * connector never re-subscribes anyone, so an unsubscribe made in Customer.io is never undone by a sync.
   */
  unsubscribed: z.literal(true).optional(),
  created_at: z.number().int().optional(),
  /** Customer.io reserved: merges the anonymous events of this storefront browser into the person. */
  anonymous_id: z.string().optional(),
  /** Rollups for segments, recomputed from the person's history (cancelled orders excluded, refunds deducted). */
  orders_count: z.number().int().nonnegative().optional(),
  total_spent: z.number().nonnegative().optional(),
  /** Unix seconds. */
  first_order_at: z.number().int().optional(),
  /** Unix seconds. */
  last_order_at: z.number().int().optional(),
  last_order_value: z.number().nonnegative().optional(),
  average_order_value: z.number().nonnegative().optional(),
  /** Up to three product categories, most viewed and bought first, comma-separated. */
  top_categories: z.string().optional(),
  active_subscriptions: z.number().int().nonnegative().optional(),
  last_review_rating: z.number().min(0).max(5).optional(),
  /**
   * First touch, set once and never overwritten: where the person first came from (`utm_source`, a click id's
   * engine, the referring host, `(direct)`, or a non-web sales channel such as `pos`).
   */
  acquisition_source: z.string().optional(),
  /** First touch: `utm_medium`, or `cpc`, `organic`, `social`, `referral`, `(none)`. */
  acquisition_medium: z.string().optional(),
  /** First touch: `utm_campaign`, when the landing URL named one. */
  acquisition_campaign: z.string().optional(),
  /** First touch: the landing page (only its UTM parameters kept from the query). */
  first_landing_page: z.string().optional(),
  /** First touch: the referring page (origin and path), when it was another site. */
  first_referrer: z.string().optional(),
});
/** Attributes of a person update. */
export type PersonAttributes = z.infer<typeof PersonAttributesSchema>;

/** An identify: create or update a person, ordered by `occurred_at` (the source's updated_at). */
export const PersonUpdateSchema = z.object({
  dedupe_key: z.string().min(1),
  source: SourceNameSchema,
  shop: z.string().min(1),
  occurred_at: z.iso.datetime({ offset: true }),
  person: PersonRefSchema,
  attributes: PersonAttributesSchema,
});
/** A person update. */
export type PersonUpdate = z.infer<typeof PersonUpdateSchema>;

/** A privacy deletion: remove the person from Customer.io (Shopify customers/redact). */
export const PersonDeletionSchema = z.object({
  dedupe_key: z.string().min(1),
  source: SourceNameSchema,
  shop: z.string().min(1),
  occurred_at: z.iso.datetime({ offset: true }),
  /** Resolved to one Customer.io identifier like any other output. */
  person: PersonRefSchema,
  /** Orders whose personal data must go too (Shopify's orders_to_redact). */
  order_ids: z.array(IdSchema).optional(),
});
/** A person deletion. */
export type PersonDeletion = z.infer<typeof PersonDeletionSchema>;

/**
 * Two Customer.io profiles that turned out to be one person (a guest profile under an email, an account under its
 * customer id): the secondary is merged into the primary once. Both are resolved to identifiers like any output.
 */
const ProfileMergeSchema = z.object({
  dedupe_key: z.string().min(1),
  shop: z.string().min(1),
  primary: PersonRefSchema,
  secondary: PersonRefSchema,
});
/** A profile merge. */
export type ProfileMerge = z.infer<typeof ProfileMergeSchema>;
