import * as z from 'zod';
import { CanonicalEventSchema } from '../canonical/events.js';
import { PersonUpdateSchema } from '../canonical/person.js';
import { CioIdentifiersSchema } from '../identity/identifiers.js';
import { IdentifyOrderingSchema } from './identify-ordering.js';

/**
 * Where an outbox message came from, for log correlation and DeliveryLag. Optional, so messages queued before it
 * existed still parse; messages the cart check emits have no webhook behind them and carry none.
 */
const TraceSchema = z.object({
  /** The platform delivery id of the webhook the message was derived from. */
  delivery_id: z.string().min(1),
  /** When ingest received that webhook. */
  received_at: z.iso.datetime(),
});
/** An outbox message's trace. */
export type OutboxTrace = z.infer<typeof TraceSchema>;

/** What the process worker hands to the deliver worker: one Customer.io operation per message. */
export const OutboxMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('event'),
    identifiers: CioIdentifiersSchema,
    event: CanonicalEventSchema,
    trace: TraceSchema.optional(),
  }),
  z.object({
    type: z.literal('identify'),
    identifiers: CioIdentifiersSchema,
    update: PersonUpdateSchema,
    /** Absent on identifies that need no ordering (merges, set-once attributes) and on older messages. */
    ordering: IdentifyOrderingSchema.optional(),
    trace: TraceSchema.optional(),
  }),
  z.object({
    type: z.literal('merge'),
    primary: CioIdentifiersSchema,
    secondary: CioIdentifiersSchema,
    shop: z.string().min(1),
    dedupe_key: z.string().min(1),
    trace: TraceSchema.optional(),
  }),
  z.object({
    type: z.literal('delete'),
    identifiers: CioIdentifiersSchema,
    shop: z.string().min(1),
    dedupe_key: z.string().min(1),
    trace: TraceSchema.optional(),
  }),
]);
/** An outbox message. */
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;
