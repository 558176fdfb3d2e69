import * as z from 'zod';
import { SourceNameSchema } from '../ingest/envelope.js';
import { PersonRefSchema } from './common.js';

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
  created_at: z.number().int().optional(),
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
