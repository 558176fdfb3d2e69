import * as z from 'zod';

/**
 * The activity record: a compact, payload-free line per step the connector took for a person. One entry is one
 * DynamoDB item (see dynamo-activity-log.ts); the inspector renders them as a timeline. Entries hold ids, names,
 * verdicts and amounts, never bodies, emails, phones, names or addresses: a person is keyed by customer id, by a
 * hash of their email or by a browser's anonymous id (activity-subject.ts).
 */

/** Short text from a payload (a product name): capped, so an entry stays far below one DynamoDB write unit. */
const Text = (max: number) => z.string().max(max);
const Ids = z.array(Text(256)).max(20);

/**
 * What became of one business event or person update the delivery produced: handed to the outbox (`queued`, the
 * default, left out of stored entries), already sent by an earlier delivery, or not sent for lack of a person.
 */
const EmitVerdictSchema = z.enum(['queued', 'duplicate', 'unidentified']).default('queued');

/** A canonical event a delivery became. */
const EventLineSchema = z.object({
  name: Text(100),
  /** The deterministic event id Customer.io sees (deduplicates resends). */
  id: Text(64).optional(),
  verdict: EmitVerdictSchema,
  /** One line of non-personal facts: order id, total, first product names, rating. */
  summary: Text(240).optional(),
  test: z.literal(true).optional(),
});

/** Which kind of identify a person update is (from its business key). */
const UpdateKindSchema = z.enum(['profile', 'merge', 'rollup', 'acquisition', 'other']);

/** A person update (identify) a delivery produced: attribute names only, never their values. */
const UpdateLineSchema = z.object({
  kind: UpdateKindSchema,
  verdict: EmitVerdictSchema,
  attributes: z.array(Text(64)).max(60).default([]),
  /** For a merge identify: the browser folded into the person. */
  anonymousId: Text(256).optional(),
});

/** The rollups a delivery sent (numbers only). */
const RollupSchema = z.record(Text(64), z.number());

/** Process: one accepted delivery (webhook or beacon) and everything it became. */
const DeliveryEntrySchema = z.object({
  kind: z.literal('delivery'),
  source: Text(32),
  topic: Text(128),
  deliveryId: Text(256),
  eventId: Text(256).optional(),
  /** A verified signature (webhooks); false for storefront beacons, which are untrusted. */
  signed: z.boolean(),
  triggeredAt: Text(40).optional(),
  verdict: z.enum(['processed', 'duplicate_delivery', 'ignored']),
  /** Why nothing was emitted (ignored deliveries), scrubbed of values. */
  note: Text(200).optional(),
  events: z.array(EventLineSchema).max(20).default([]),
  updates: z.array(UpdateLineSchema).max(20).default([]),
  rollup: RollupSchema.optional(),
  /** Profiles merged in Customer.io, as subjects (activity-subject.ts). */
  profileMerges: z
    .array(z.object({ primary: Text(300), secondary: Text(300) }))
    .max(5)
    .default([]),
  /** Privacy deletions (customers/redact) the delivery carried. */
  deletions: z.number().int().nonnegative().default(0),
  /** Identifiers the delivery stated together: the links of the identity graph, and which delivery made them. */
  links: z
    .object({
      anonymousIds: Ids.optional(),
      carts: Ids.optional(),
      checkouts: Ids.optional(),
      orders: Ids.optional(),
    })
    .default({}),
  /** Cart recovery facts: carts touched (a check is pending), converted by an order, checkout deleted. */
  cart: z.object({ touched: Ids.optional(), converted: Ids.optional(), deleted: Ids.optional() }).default({}),
});

/** Deliver: the Customer.io operations of one call for one person, with their outcome. */
const SentEntrySchema = z.object({
  kind: z.literal('sent'),
  operations: z
    .array(
      z.object({
        op: z.enum(['event', 'identify', 'merge', 'delete', 'unknown']),
        name: Text(100).optional(),
        eventId: Text(64).optional(),
        /** accepted; rejected (Customer.io refused it: parked); retrying (the call failed: it comes back). */
        status: z.enum(['accepted', 'rejected', 'retrying']),
        code: Text(64).optional(),
        deliveryId: Text(256).optional(),
        anonymousId: Text(256).optional(),
      }),
    )
    .max(25),
});

/** Cart-check: one fired check and what it did. */
const CartCheckEntrySchema = z.object({
  kind: z.literal('cart-check'),
  cart: Text(256),
  step: z.number().int().nonnegative(),
  outcome: z.enum(['emitted', 'rescheduled', 'exited', 'parked']),
  reason: Text(64).optional(),
  event: Text(100).optional(),
  dueAt: Text(40).optional(),
});

/** A worker parked a record about this person in its DLQ. */
const ParkedEntrySchema = z.object({
  kind: z.literal('parked'),
  origin: z.enum(['inbox', 'outbox', 'cart-check']),
  code: Text(64),
  failureClass: Text(32).optional(),
  deliveryId: Text(256).optional(),
  what: Text(200).optional(),
});

/** The person was redacted (privacy request): everything else about them was deleted. */
const RedactedEntrySchema = z.object({
  kind: z.literal('redacted'),
  deliveryId: Text(256),
  removed: z.number().int().nonnegative(),
});

/** Any activity entry. */
export const ActivityEntrySchema = z.discriminatedUnion('kind', [
  DeliveryEntrySchema,
  SentEntrySchema,
  CartCheckEntrySchema,
  ParkedEntrySchema,
  RedactedEntrySchema,
]);
/** An activity entry. */
export type ActivityEntry = z.infer<typeof ActivityEntrySchema>;
/** A delivery entry (process). */
export type DeliveryEntry = Extract<ActivityEntry, { kind: 'delivery' }>;
/** A cart check entry (cart-check). */
export type CartCheckEntry = Extract<ActivityEntry, { kind: 'cart-check' }>;
/** One operation of a sent entry. */
export type SentOperation = Extract<ActivityEntry, { kind: 'sent' }>['operations'][number];
/** One update line of a delivery entry. */
export type UpdateLine = DeliveryEntry['updates'][number];

/** An entry as written: defaults (empty lists, `queued`) may be left out; reading fills them in again. */
type WrittenEntry = z.input<typeof ActivityEntrySchema>;
/** A delivery entry as written. */
export type WrittenDeliveryEntry = Extract<WrittenEntry, { kind: 'delivery' }>;

/** An entry as stored: where (shop, subject), when, and a key unique per step so a retried step rewrites it. */
export interface ActivityRecord {
  readonly shop: string;
  /** Whose timeline (activity-subject.ts). */
  readonly subject: string;
  /** ISO 8601: the timeline's order. */
  readonly at: string;
  /** Distinguishes entries of one subject at one instant; stable across retries of the same step. */
  readonly uniqueness: string;
  /** An order the entry is about, so the inspector finds it by order id (sparse index). */
  readonly orderId?: string;
  readonly entry: WrittenEntry;
}
