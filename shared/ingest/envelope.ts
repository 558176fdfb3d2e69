import * as z from 'zod';
import { ShopDomainSchema } from '../config/shops.js';

/** Platforms the connector accepts deliveries from. */
export const SourceNameSchema = z.enum([
  'shopify',
  'recharge',
  'judgeme',
  'okendo',
  'stamped',
  'yotpo',
  'pixel',
]);
/** A delivery's source platform. */
export type SourceName = z.infer<typeof SourceNameSchema>;

/**
 * What the ingest Lambda queues for every accepted delivery: the verified raw body plus the transport facts the
 * workers need (topic, shop, ids, times). The body stays raw so nothing is lost before normalization.
 */
export const WebhookEnvelopeSchema = z.object({
  version: z.literal(1),
  source: SourceNameSchema,
  topic: z.string().min(1),
  /**
   * The configured shop the delivery is bound to: its myshopify domain, normalized again here because every key
   * the workers write starts from it (a message queued by hand or by an older version cannot split a shop in two).
   */
  shop: ShopDomainSchema,
  /** Per-delivery id (Shopify X-Shopify-Webhook-Id; a body hash where the platform sends none). */
  deliveryId: z.string().min(1),
  /** Per-merchant-action id shared by the deliveries of one event (Shopify X-Shopify-Event-Id), when sent. */
  eventId: z.string().optional(),
  apiVersion: z.string().optional(),
  triggeredAt: z.string().optional(),
  receivedAt: z.iso.datetime(),
  /** Whether a signature was verified (false only for storefront beacons, which are untrusted). */
  signed: z.boolean(),
  body: z.string(),
  /**
   * Who queued it: a platform's webhook (absent, as ingest writes it), the backfill tool, or reconciliation (a
   * record the platform's webhook never delivered). Optional, so envelopes queued before it existed still parse.
   */
  origin: z.enum(['webhook', 'backfill', 'reconcile']).optional(),
  /** A backfill's historical events are sent only when it says so (`--events`); absent means they are not. */
  backfillEvents: z.boolean().optional(),
});
/** A queued delivery. */
export type WebhookEnvelope = z.infer<typeof WebhookEnvelopeSchema>;

/**
 * The key of one platform delivery, stable across its retries and redrives (never the SQS message id): its dedupe
 * key, and the owner recorded on every decision it makes once for several deliveries (an event it emits, a browser
 * it merges, a first touch it sets), so only its own retries repeat them.
 */
export const deliveryKeyOf = (envelope: Pick<WebhookEnvelope, 'source' | 'shop' | 'deliveryId'>): string =>
  `delivery#${envelope.source}#${envelope.shop}#${envelope.deliveryId}`;
