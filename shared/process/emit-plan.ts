import type { EmitVerdict } from '../activity/delivery-entry.js';
import type { OwnershipStore } from '../dedupe/dedupe-store.js';
import { giveBack } from '../dedupe/give-back.js';
import type { Clock } from '../ports/clock.js';
import type { MessageQueue } from '../ports/message-queue.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { EmitPlan, PlannedEmit } from './plan-outputs.js';

/** What emission needs. */
export interface EmitDeps {
  readonly ownership: OwnershipStore;
  readonly outbox: MessageQueue;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}

/**
 * Outputs that are not idempotent in Customer.io, so one business key may go out once whichever delivery states it:
 * events (an Order Completed from orders/create, orders/paid or Recharge), profile merges and deletions. An identify
 * only sets attributes: sending the same one twice changes nothing, and a stale one is already cut down by the
 * per-attribute ordering (stale-update stage), so identifies carry no claim.
 */
const CLAIMED_TYPES: ReadonlySet<PlannedEmit['type']> = new Set(['event', 'merge', 'delete']);

/**
 * Hands a delivery's planned outputs to the outbox in as few SQS requests as it takes (SendMessageBatch), once per
 * business key. `owner` is the delivery's own key; undefined for an unsigned delivery (a storefront beacon), whose
 * ids a browser chooses, so a claim would protect nothing a sender could not bypass.
 *
 * One conditional write per claimed output, all at once, instead of a claim, a send and a completion in turn: the
 * key records the delivery that owns it. That delivery's retries own it again and send again (the same deterministic
 * event id, which Customer.io drops, exactly as after a crash between send and completion before); any other
 * delivery stating the same key is a duplicate. An identify that follows an event (a rollup after an order) goes out
 * only with it. On failure the keys are given back, so another delivery of the same event can still send it.
 * Resolves to what became of each planned output, by business key: queued (`done`), or held back as a `duplicate`
 * (its key, or the key of the event it follows, is another delivery's), for the activity record.
 */
export const emitPlan = async (
  plan: EmitPlan,
  owner: string | undefined,
  deps: EmitDeps,
): Promise<ReadonlyMap<string, EmitVerdict>> => {
  const { counters } = deps.telemetry;
  const claimed = owner === undefined ? [] : plan.emits.filter((e) => CLAIMED_TYPES.has(e.type));
  const now = deps.clock();
  const owned = new Set<string>();
  const duplicates = new Set<string>();
  const outcomes = await Promise.allSettled(
    claimed.map(async (emit) => {
      if (await deps.ownership.own(emit.key, owner ?? '', now)) owned.add(emit.key);
      else duplicates.add(emit.key);
    }),
  );
  const giveBackOwned = () =>
    Promise.all(
      [...owned].map((key) => giveBack(key, () => deps.ownership.disown(key, owner ?? ''), deps.telemetry)),
    );
  const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (refused) {
    await giveBackOwned();
    throw refused.reason;
  }
  const sendable = plan.emits.filter(
    (e) => !duplicates.has(e.key) && !(e.follows !== undefined && duplicates.has(e.follows)),
  );
  try {
    if (sendable.length > 0) await deps.outbox.sendBatch(sendable.map((e) => ({ body: e.body })));
  } catch (error) {
    await giveBackOwned();
    throw error;
  }
  const verdicts = new Map<string, EmitVerdict>();
  for (const emit of plan.emits) verdicts.set(emit.key, 'duplicate');
  for (const emit of sendable) {
    verdicts.set(emit.key, 'done');
    counters.count(`Emitted_${emit.type}`);
  }
  for (const emit of plan.emits)
    if (duplicates.has(emit.key)) counters.count(`DuplicateBusinessEvent_${emit.type}`);
  return verdicts;
};
