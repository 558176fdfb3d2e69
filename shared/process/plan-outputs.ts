import { eventIdFor } from '../canonical/event-id.js';
import type { CanonicalEvent } from '../canonical/events.js';
import { encodeOutboxMessage } from '../delivery/encode-outbox.js';
import { identifyOrderings } from '../delivery/identify-ordering.js';
import type { OutboxMessage, OutboxTrace } from '../delivery/outbox-message.js';
import { type IdentityConfig, isAnonymous, resolveIdentifiers } from '../identity/identifiers.js';
import type { Normalized } from '../normalize/normalizer.js';
import { rollupIdentifyKey } from '../people/rollup-stage.js';
import { fitEventMessage, fitPersonUpdate } from './fit-event.js';

/** One outbox message to emit, encoded and validated, with the business key that makes it exactly-once. */
export interface PlannedEmit {
  readonly type: OutboxMessage['type'];
  readonly key: string;
  readonly body: string;
  /** The key of the event this output goes out with (a rollup identify after its order), if any. */
  readonly follows?: string;
}

/** Everything a delivery will emit, decided before any of it is. */
export interface EmitPlan {
  readonly emits: readonly PlannedEmit[];
  /** Events with no known person (counted, not delivered). */
  readonly unidentified: readonly CanonicalEvent[];
}

const planned = (message: OutboxMessage, key: string, follows?: string): PlannedEmit => ({
  type: message.type,
  key,
  body: encodeOutboxMessage(message),
  ...(follows === undefined ? {} : { follows }),
});

/**
 * Turns a delivery's canonical output into its outbox messages, in emission order (merges, people updates,
 * deletions, events), each validated and encoded; an identify carries its ordering when a stage stated one. Throws
 * on the first output that can never be delivered (schema, SQS or Customer.io size), before anything is emitted, so
 * no person is left half-updated.
 */
export const planOutputs = (output: Normalized, identity: IdentityConfig, trace: OutboxTrace): EmitPlan => {
  const emits: PlannedEmit[] = [];
  const unidentified: CanonicalEvent[] = [];
  for (const merge of output.merges ?? []) {
    const primary = resolveIdentifiers(merge.primary, identity, merge.shop);
    const secondary = resolveIdentifiers(merge.secondary, identity, merge.shop);
    if (!primary || !secondary || isAnonymous(primary) || isAnonymous(secondary)) continue;
    if (JSON.stringify(primary) === JSON.stringify(secondary)) continue;
    const { shop, dedupe_key } = merge;
    emits.push(planned({ type: 'merge', primary, secondary, shop, dedupe_key, trace }, dedupe_key));
  }
  const orderings = identifyOrderings(output.signals);
  // A rollup identify goes out only with the event that changed the rollup (see ./emit-plan.ts).
  const followed = new Map(
    output.events.map((event) => [rollupIdentifyKey(event.dedupe_key), event.dedupe_key]),
  );
  for (const update of output.people) {
    const identifiers = resolveIdentifiers(update.person, identity, update.shop);
    const ordering = orderings.get(update.dedupe_key);
    if (identifiers)
      emits.push(
        planned(
          {
            type: 'identify',
            identifiers,
            update: fitPersonUpdate(update),
            ...(ordering ? { ordering } : {}),
            trace,
          },
          update.dedupe_key,
          followed.get(update.dedupe_key),
        ),
      );
  }
  for (const deletion of output.deletions ?? []) {
    const identifiers = resolveIdentifiers(deletion.person, identity, deletion.shop);
    if (!identifiers) continue;
    const { shop, dedupe_key } = deletion;
    emits.push(planned({ type: 'delete', identifiers, shop, dedupe_key, trace }, dedupe_key));
  }
  for (const draft of output.events) {
    // Validated once, as part of its outbox message (encodeOutboxMessage), like every other output.
    const event: CanonicalEvent = { ...draft, id: eventIdFor(draft.dedupe_key) };
    const identifiers = resolveIdentifiers(event.person, identity, event.shop);
    if (!identifiers) unidentified.push(event);
    else emits.push(planned(fitEventMessage({ type: 'event', identifiers, event, trace }), event.dedupe_key));
  }
  return { emits, unidentified };
};
