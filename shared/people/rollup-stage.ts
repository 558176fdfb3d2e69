import { eventIdFor } from '../canonical/event-id.js';
import { type CanonicalEvent, type CanonicalEventDraft, CanonicalEventSchema } from '../canonical/events.js';
import type { PersonUpdate } from '../canonical/person.js';
import { DependencyError } from '../errors.js';
import { type IdentityConfig, isAnonymous, resolveIdentifiers } from '../identity/identifiers.js';
import type { Clock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import { fitEventMessage } from '../process/fit-event.js';
import type { ProcessStage } from '../process/process-stage.js';
import { hashedEmail } from './identity-hash.js';
import { applyEvent, type RollupState, rollupAttributes } from './rollup.js';
import type { PendingRefund, RollupStore } from './rollup-store.js';

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

type RefundDraft = Extract<CanonicalEventDraft, { name: 'Order Refunded' }>;

/** What the rollup stage needs. */
export interface RollupStageDeps {
  readonly store: RollupStore;
  readonly identity: IdentityConfig;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
  /** Whether Shopify test orders (`test: true`) count in rollups (ROLLUPS_INCLUDE_TEST_ORDERS; default no). */
  readonly includeTestOrders?: boolean;
}

/** A test order's events leave rollups alone unless the deployment says otherwise. */
const isExcludedTestOrder = (draft: CanonicalEventDraft, includeTestOrders: boolean): boolean =>
  !includeTestOrders &&
  (draft.name === 'Order Completed' || draft.name === 'Order Cancelled') &&
  draft.properties.is_test;

/** A refund as parked for its order: fitted (DynamoDB items are bounded), its person left empty. */
const pendingRefundOf = (draft: RefundDraft): PendingRefund => {
  const { event } = fitEventMessage({
    type: 'event',
    identifiers: { id: 'pending' },
    event: CanonicalEventSchema.parse({ ...draft, id: eventIdFor(draft.dedupe_key) }),
  });
  const { id: _id, ...fitted } = event as Extract<CanonicalEvent, { name: 'Order Refunded' }>;
  return { refundId: draft.properties.refund_id, event: { ...fitted, person: {} } };
};

/**
 * Keeps per-person rollups (orders_count, total_spent, first/last order, average order value, top categories,
 * active subscriptions, last review rating) and sends them as an identify after each event that changes them.
 * Refunds and cancellations name no customer: the order's owner, remembered at Order Completed, is filled in. A
 * refund processed before its order waits on the order's owner record; when the order arrives it corrects the
 * rollup and its Order Refunded is sent then. A cancellation before its order marks the order cancelled at once.
 * Test orders do not count unless `includeTestOrders`.
 */
export const rollupStage = (deps: RollupStageDeps): ProcessStage => ({
  name: 'person-rollups',
  async apply(output) {
    const events: CanonicalEventDraft[] = [];
    const people: PersonUpdate[] = [...output.people];
    const queue: CanonicalEventDraft[] = [...output.events];
    const includeTestOrders = deps.includeTestOrders ?? false;
    for (let original = queue.shift(); original !== undefined; original = queue.shift()) {
      let draft = original;
      if (draft.name === 'Order Completed' && resolveIdentifiers(draft.person, deps.identity, draft.shop)) {
        const pending = await deps.store.rememberOrderOwner(
          draft.shop,
          draft.properties.order_id,
          draft.person,
        );
        const person = draft.person;
        // Sent and applied right after their order, in this delivery (their dedupe keys keep them to once).
        queue.unshift(...pending.map((refund) => ({ ...refund.event, person })));
        if (pending.length > 0) deps.telemetry.counters.count('PendingRefundApplied', pending.length);
      }
      if (
        (draft.name === 'Order Refunded' || draft.name === 'Order Cancelled') &&
        !resolveIdentifiers(draft.person, deps.identity, draft.shop)
      ) {
        const owner = await deps.store.orderOwner(draft.shop, draft.properties.order_id);
        if (owner) draft = { ...draft, person: { ...owner, ...draft.person } };
        else if (draft.name === 'Order Refunded') {
          const recorded = await deps.store.recordPendingRefund(
            draft.shop,
            draft.properties.order_id,
            pendingRefundOf(draft),
          );
          if (recorded) draft = { ...draft, person: { ...recorded, ...draft.person } };
          else deps.telemetry.counters.count('RefundBeforeOrder');
        }
      }
      events.push(draft);
      const identifiers = resolveIdentifiers(draft.person, deps.identity, draft.shop);
      if (!ROLLUP_EVENTS.has(draft.name) || !identifiers || isAnonymous(identifiers)) continue;
      if (isExcludedTestOrder(draft, includeTestOrders)) {
        deps.telemetry.counters.count('TestOrderNotRolledUp');
        continue;
      }
      const personKey = rollupKey(draft.shop, identifiers);
      const event = { ...draft, id: eventIdFor(draft.dedupe_key) } as CanonicalEvent;
      const { state, changed } = await update(deps.store, personKey, (s) => applyEvent(s, event));
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
  // Transient, like every lost race: a plain Error would be classified internal_error and parked at once.
  throw new DependencyError(
    `rollup for a person kept changing under ${MAX_WRITE_ATTEMPTS} attempts; retrying the record`,
    'dynamodb',
  );
};
