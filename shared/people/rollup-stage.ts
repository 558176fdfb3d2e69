import type { PersonRef } from '../canonical/common.js';
import { eventIdFor } from '../canonical/event-id.js';
import { type CanonicalEvent, type CanonicalEventDraft, CanonicalEventSchema } from '../canonical/events.js';
import type { PersonUpdate } from '../canonical/person.js';
import { identifyOrdering } from '../delivery/identify-ordering.js';
import { type IdentityConfig, resolveIdentifiers } from '../identity/identifiers.js';
import type { Signal } from '../normalize/normalizer.js';
import type { Clock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import { fitEventMessage } from '../process/fit-event.js';
import type { ProcessStage } from '../process/process-stage.js';
import { applyEvent, rollupAttributes } from './rollup.js';
import {
  type PersonLookup,
  rollupKeysOf,
  rollupPerson,
  updatePersonRollup,
  withAddressedIdentifier,
} from './rollup-person.js';
import type { PendingRefund, RollupStore, VersionedRollup } from './rollup-store.js';

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
  /**
   * Told when a key starts redirecting to a person's rollup, with the version that move wrote (the deliver side
   * then refuses that key's older identifies). Nothing to tell when the deployment has no delivery ordering.
   */
  readonly moved?: (key: string, version: number) => Promise<void>;
  /**
   * Told when a redact removed rollup keys, so the deliver side forgets what it sent for them (a rollup that starts
   * again at version 0 must not be refused as older). Nothing to tell without delivery ordering.
   */
  readonly forgotten?: (keys: readonly string[]) => Promise<void>;
  /** The person the identity graph binds an identifier to (a review's email → the customer who owns it). */
  readonly personOf?: PersonLookup;
}

/** The key of the rollup identify an event sends: it goes out with that event (a duplicate event sends neither). */
export const rollupIdentifyKey = (eventKey: string): string => `rollup#${eventKey}`;

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
 * Keeps one rollup per person (orders_count, total_spent, first/last order, average order value, top categories,
 * active subscriptions, last review rating) and sends it as an identify after each event that changes it. An event
 * naming only the person's other identifier (a review names an email) updates the same rollup, and a guest's
 * history joins their account's (see ./rollup-person.ts), so no event sends another history's figures.
 * Refunds and cancellations name no customer: the order's owner, remembered at Order Completed, is filled in. A
 * refund processed before its order waits on the order's owner record; when the order arrives it corrects the
 * rollup and its Order Refunded is sent then. A cancellation before its order marks the order cancelled at once.
 * Test orders do not count unless `includeTestOrders`.
 */
export const rollupStage = (deps: RollupStageDeps): ProcessStage => {
  const updateDeps = { store: deps.store, moved: deps.moved ?? (async () => undefined) };
  const forgotten = deps.forgotten ?? (async () => undefined);
  const completed = (shop: string, person: PersonRef): Promise<PersonRef> =>
    withAddressedIdentifier(shop, person, deps.identity, deps.personOf);
  return {
    name: 'person-rollups',
    async apply(output) {
      const events: CanonicalEventDraft[] = [];
      const people: PersonUpdate[] = [...output.people];
      const signals: Signal[] = [...output.signals];
      const queue: CanonicalEventDraft[] = [...output.events];
      const includeTestOrders = deps.includeTestOrders ?? false;
      for (let original = queue.shift(); original !== undefined; original = queue.shift()) {
        let draft = original;
        let prefetched: { key: string; read: Promise<VersionedRollup> } | undefined;
        if (draft.name === 'Order Completed' && resolveIdentifiers(draft.person, deps.identity, draft.shop)) {
          // The buyer's rollup is read while the order's owner is recorded (two items, one round trip).
          const buyer = rollupPerson(draft.shop, draft.person, deps.identity);
          if (buyer && !isExcludedTestOrder(draft, includeTestOrders)) {
            prefetched = { key: buyer.primary.key, read: deps.store.read(buyer.primary.key) };
            // Awaited (or dropped) below; a failure then surfaces from the rollup update's own read.
            prefetched.read.catch(() => undefined);
          }
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
        const known = ROLLUP_EVENTS.has(draft.name)
          ? await completed(draft.shop, draft.person)
          : draft.person;
        const who = rollupPerson(draft.shop, known, deps.identity);
        if (!ROLLUP_EVENTS.has(draft.name) || !who) continue;
        if (isExcludedTestOrder(draft, includeTestOrders)) {
          deps.telemetry.counters.count('TestOrderNotRolledUp');
          continue;
        }
        const event = { ...draft, id: eventIdFor(draft.dedupe_key) } as CanonicalEvent;
        const update = await updatePersonRollup(
          updateDeps,
          who,
          (s) => applyEvent(s, event),
          prefetched?.key === who.primary.key ? prefetched.read : undefined,
        );
        // Sent even when this event was already applied: a retried delivery whose first attempt wrote the rollup
        // but failed before emitting must still send it. It goes out only with its event (../process/emit-plan.ts):
        // the delivery that owns the event sends it, a duplicate of the event sends neither.
        if (update.changed) deps.telemetry.counters.count('RollupUpdated');
        const dedupeKey = rollupIdentifyKey(draft.dedupe_key);
        signals.push(
          identifyOrdering(dedupeKey, { kind: 'rollup', key: update.target.key, version: update.version }),
        );
        people.push({
          dedupe_key: dedupeKey,
          source: draft.source,
          shop: draft.shop,
          occurred_at: deps.clock().toISOString(),
          // Addressed to the rollup's own person: a review naming an email updates the customer's profile.
          person: { ...draft.person, ...update.target.person },
          attributes: rollupAttributes(update.state),
        });
      }
      for (const deletion of output.deletions ?? []) {
        const who = rollupPerson(deletion.shop, deletion.person, deps.identity);
        if (!who) continue;
        const keys = await rollupKeysOf(deps.store, who);
        await deps.store.forget(keys, deletion.shop, deletion.person, deletion.order_ids ?? []);
        // Versions restart with the rollup: deliver must not hold a returning person's new rollup as stale.
        await forgotten(keys);
        deps.telemetry.counters.count('RollupForgotten');
      }
      return { ...output, events, people, signals };
    },
  };
};
