import * as z from 'zod';
import { CanonicalEventSchema } from '../canonical/events.js';
import { PersonUpdateSchema } from '../canonical/person.js';
import { CioIdentifiersSchema } from '../identity/identifiers.js';

/** What the process worker hands to the deliver worker: one Customer.io operation per message. */
export const OutboxMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), identifiers: CioIdentifiersSchema, event: CanonicalEventSchema }),
  z.object({ type: z.literal('identify'), identifiers: CioIdentifiersSchema, update: PersonUpdateSchema }),
  z.object({
    type: z.literal('merge'),
    primary: CioIdentifiersSchema,
    secondary: CioIdentifiersSchema,
    shop: z.string().min(1),
    dedupe_key: z.string().min(1),
  }),
  z.object({
    type: z.literal('delete'),
    identifiers: CioIdentifiersSchema,
    shop: z.string().min(1),
    dedupe_key: z.string().min(1),
  }),
]);
/** An outbox message. */
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;
