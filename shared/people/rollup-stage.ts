import { eventIdFor } from '../canonical/event-id.js';
import type { CanonicalEventDraft } from '../canonical/events.js';
import type { PersonUpdate } from '../canonical/person.js';
import { type IdentityConfig, isAnonymous, resolveIdentifiers } from '../identity/identifiers.js';
import type { Clock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { ProcessStage } from '../process/process-stage.js';
import { hashedEmail } from './identity-hash.js';
import { applyEvent, type RollupState, rollupAttributes } from './rollup.js';
import type { RollupStore } from './rollup-store.js';

/** How many times a conflicting rollup write is re-read and retried before the record is failed for a retry. */
const MAX_WRITE_ATTEMPTS = 5;

const ROLLUP_EVENTS = new Set([
  'Order Completed',
  'Order Cancelled',
  'Order Refunded',
  'Product Viewed',
  'Subscription Started',
  'Subscription Reactivated',
  'Subscription Cancelled',
  'Review Submitted',
]);

/**
 * Keeps per-person rollups (orders_count, total_spent, first/last order, average order value, top categories,
 * active subscriptions, last review rating) and sends them as an identify after each event that changes them.
 * Refunds and cancellations name no customer: the order's owner, remembered at Order Completed, is filled in.
 */
export const rollupStage = (deps: {
  readonly store: RollupStore;
  readonly identity: IdentityConfig;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}): ProcessStage => ({
  name: 'person-rollups',
  async apply(output) {
    const events: CanonicalEventDraft[] = [];
    const people: PersonUpdate[] = [...output.people];
    for (const original of output.events) {
      let draft = original;
      if (draft.name === 'Order Completed' && resolveIdentifiers(draft.person, deps.identity, draft.shop)) {
        await deps.store.rememberOrderOwner(draft.shop, draft.properties.order_id, draft.person);
      }
      if (
        (draft.name === 'Order Refunded' || draft.name === 'Order Cancelled') &&
        !resolveIdentifiers(draft.person, deps.identity, draft.shop)
      ) {
        const owner = await deps.store.orderOwner(draft.shop, draft.properties.order_id);
        if (owner) draft = { ...draft, person: { ...owner, ...draft.person } };
      }
      events.push(draft);
      const identifiers = resolveIdentifiers(draft.person, deps.identity, draft.shop);
      if (!ROLLUP_EVENTS.has(draft.name) || !identifiers || isAnonymous(identifiers)) continue;
      const personKey = rollupKey(draft.shop, identifiers);
      const { state, changed } = await update(deps.store, personKey, (s) =>
        applyEvent(s, { ...draft, id: eventIdFor(draft.dedupe_key) }),
      );
      // Sent even when this event was already applied: a retried delivery whose first attempt wrote the rollup
      // but failed before emitting must still send it. The `rollup#<event key>` claim keeps it to once per event.
      if (changed) deps.telemetry.counters.count('RollupUpdated');
      people.push({
        dedupe_key: `rollup#${draft.dedupe_key}`,
        source: draft.source,
        shop: draft.shop,
        occurred_at: deps.clock().toISOString(),
        person: draft.person,
        attributes: rollupAttributes(state),
      });
    }
    for (const deletion of output.deletions ?? []) {
      const identifiers = resolveIdentifiers(deletion.person, deps.identity, deletion.shop);
      if (!identifiers || isAnonymous(identifiers)) continue;
      await deps.store.forget(
        rollupKey(deletion.shop, identifiers),
        deletion.shop,
        deletion.person,
        deletion.order_ids ?? [],
      );
      deps.telemetry.counters.count('RollupForgotten');
    }
    return { ...output, events, people };
  },
});

/** The rollup of one Customer.io person (emails hashed: keys hold no personal data). */
const rollupKey = (shop: string, identifiers: { id: string } | { email: string }): string =>
  `${shop}#${'id' in identifiers ? `id:${identifiers.id}` : `email:${hashedEmail(identifiers.email)}`}`;

/** Read-modify-write with optimistic locking; `changed` is false when the event was already applied. */
const update = async (
  store: RollupStore,
  personKey: string,
  change: (state: RollupState) => RollupState,
): Promise<{ state: RollupState; changed: boolean }> => {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const current = await store.read(personKey);
    const next = change(current.state);
    if (next === current.state) return { state: current.state, changed: false };
    if (await store.write(personKey, next, current.version)) return { state: next, changed: true };
  }
  throw new Error(
    `rollup for a person kept changing under ${MAX_WRITE_ATTEMPTS} attempts; retrying the record`,
  );
};
