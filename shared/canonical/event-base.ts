import * as z from 'zod';
import { SourceNameSchema } from '../ingest/envelope.js';
import { PersonRefSchema } from './common.js';

/** Fields every canonical event carries. */
export const EventBaseSchema = z.object({
  /** Deterministic ULID derived from `dedupe_key`: also the Customer.io event id, so resends are ignored. */
  id: z.string().regex(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/, 'ULID'),
  /** The business-event key (e.g. one Order Completed per shop + order), whatever source reported it. */
  dedupe_key: z.string().min(1),
  source: SourceNameSchema,
  shop: z.string().min(1),
  /** When it happened at the source (ISO 8601), never the receive time. */
  occurred_at: z.iso.datetime({ offset: true }),
  person: PersonRefSchema,
  /** Present on a backfill's historical events (`backfill: true` in Customer.io, for campaign filters). */
  backfill: z.literal(true).optional(),
});
