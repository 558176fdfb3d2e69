import { ConnectorError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Counters } from '../ports/telemetry.js';
import type { DeliveryOrderStore, OrderingKey, SendClaim } from './delivery-order-store.js';
import type { IdentifyOrdering } from './identify-ordering.js';
import type { OutboxMessage } from './outbox-message.js';

/**
 * Delivery-side ordering of identifies. The process worker decides which update is newer, but SQS may hand two
 * of them to deliver in either order, to two workers at once, or redeliver an old one hours later, and Customer.io
 * keeps whichever arrives last. So before an ordered identify is sent, its versions are claimed (conditional
 * writes, see ./delivery-order-store.ts): a rollup older than one already sent is skipped (`StaleRollupSkipped`),
 * attributes older than ones already sent are dropped from the identify (`StaleAttributesSkipped`). An identify
 * claimed while an older send of the same person may still be on its way waits for it (`DeliveryDeferred`):
 * the record comes back after that send's longest possible time, and goes out then.
 */

/** A readable outbox record. */
export interface Sendable {
  readonly messageId: string;
  readonly message: OutboxMessage;
}

/** What ordering needs. */
export interface DeliveryOrderDeps {
  readonly store: DeliveryOrderStore;
  /** How long a claimed send may still be on its way: the deliver invocation's timeout. */
  readonly inFlightMs: number;
  readonly clock: Clock;
  readonly counters: Counters;
}

/** The outcome of ordering one batch. */
export interface OrderedBatch {
  /** What goes to Customer.io now (identifies possibly with fewer attributes). */
  readonly send: readonly Sendable[];
  /** Records that fail for now: a deferred send, or a claim that could not be written. */
  readonly errors: ReadonlyMap<string, unknown>;
  /** Ends the sending marks of the claims made; call once the batch call is over (whatever its outcome). */
  release(): Promise<void>;
}

/** An older send of the same person may still land after this one: the record waits for it. */
export class DeliveryDeferredError extends ConnectorError {
  readonly code = 'claim_in_progress';
  constructor(kind: OrderingKey['kind'], retryAfterSeconds: number) {
    super(`an older ${kind} identify of this person may still be sending; this one follows it`, {
      retryAfterSeconds,
    });
    this.name = 'DeliveryDeferredError';
  }
}

type Identify = Extract<OutboxMessage, { type: 'identify' }>;
type OrderedIdentify = Identify & { readonly ordering: IdentifyOrdering };

const isOrdered = (message: OutboxMessage): message is OrderedIdentify =>
  message.type === 'identify' && message.ordering !== undefined;

const groupKey = (ordering: IdentifyOrdering): string => `${ordering.kind}#${ordering.key}`;

/** The versions an identify claims: the rollup's one, or one per attribute. */
const versionsOf = (ordering: IdentifyOrdering): Record<string, number> =>
  ordering.kind === 'rollup' ? { rollup: ordering.version } : { ...ordering.versions };

/**
 * Within one batch, each ordered name is claimed only by the identify with its newest version (one Customer.io
 * call does not promise to apply its items in order). Returns, per record, the names it still claims.
 */
const newestInBatch = (
  ordered: readonly { readonly messageId: string; readonly message: OrderedIdentify }[],
): Map<string, Record<string, number>> => {
  const winners = new Map<string, { messageId: string; version: number }>();
  for (const { messageId, message } of ordered) {
    for (const [name, version] of Object.entries(versionsOf(message.ordering))) {
      const slot = `${groupKey(message.ordering)}#${name}`;
      const best = winners.get(slot);
      if (!best || version > best.version) winners.set(slot, { messageId, version });
    }
  }
  const kept = new Map<string, Record<string, number>>();
  for (const { messageId, message } of ordered) {
    const versions = versionsOf(message.ordering);
    kept.set(
      messageId,
      Object.fromEntries(
        Object.entries(versions).filter(
          ([name]) => winners.get(`${groupKey(message.ordering)}#${name}`)?.messageId === messageId,
        ),
      ),
    );
  }
  return kept;
};

/** An identify with only the allowed attributes, or undefined when none is left to send. */
const allowedPart = (message: OrderedIdentify, allowed: ReadonlySet<string>): Identify | undefined => {
  if (message.ordering.kind === 'rollup') return allowed.has('rollup') ? message : undefined;
  const entries = Object.entries(message.update.attributes);
  const attributes = Object.fromEntries(entries.filter(([name]) => allowed.has(name)));
  const kept = Object.keys(attributes).length;
  if (kept === 0) return undefined;
  return kept === entries.length ? message : { ...message, update: { ...message.update, attributes } };
};

/** The ordered identifies of one batch that share an ordering key, and the newest version of each name they carry. */
interface KeyGroup {
  readonly key: OrderingKey;
  readonly versions: Record<string, number>;
  readonly members: { readonly messageId: string; readonly message: OrderedIdentify }[];
}

/**
 * Orders a batch's identifies against what was already sent (see the module comment). Messages without an
 * ordering (events, merges, deletes, set-once identifies, messages queued before orderings existed) pass as they
 * are. One claim per ordering key (the identifies of one person in one batch go out in the same call, so they
 * never wait for each other); claims of different keys run concurrently; a claim that fails fails its records for
 * a retry.
 */
export const orderIdentifies = async (
  sendable: readonly Sendable[],
  deps: DeliveryOrderDeps,
): Promise<OrderedBatch> => {
  const ordered = sendable.flatMap(({ messageId, message }) =>
    isOrdered(message) ? [{ messageId, message }] : [],
  );
  if (ordered.length === 0) return { send: sendable, errors: new Map(), release: async () => undefined };
  const kept = newestInBatch(ordered);
  const groups = new Map<string, KeyGroup>();
  for (const entry of ordered) {
    const { ordering } = entry.message;
    const id = groupKey(ordering);
    const group = groups.get(id) ?? {
      key: { kind: ordering.kind, key: ordering.key },
      versions: {},
      members: [],
    };
    // Each name is kept by one identify of the group only (its newest), so the names never collide.
    Object.assign(group.versions, kept.get(entry.messageId));
    group.members.push(entry);
    groups.set(id, group);
  }
  const errors = new Map<string, unknown>();
  const claims: { key: OrderingKey; claim: SendClaim }[] = [];
  const outcome = new Map<string, Identify | undefined>();
  await Promise.all(
    [...groups.values()].map(async ({ key, versions, members }) => {
      try {
        const claimed = await deps.store.claim(key, versions, true);
        const parts = members.map(({ messageId, message }) => {
          const mine = new Set(Object.keys(kept.get(messageId) ?? {}));
          const allowed = new Set([...claimed.allowed].filter((name) => mine.has(name)));
          return { messageId, message, part: allowedPart(message, allowed) };
        });
        const now = deps.clock().getTime();
        const inFlight = claimed.othersInFlightSince.filter((since) => now - since < deps.inFlightMs);
        const waiting = inFlight.length > 0 && parts.some(({ part }) => part !== undefined);
        if (waiting) {
          if (claimed.claim) await deps.store.release(key, claimed.claim);
        } else if (claimed.claim) claims.push({ key, claim: claimed.claim });
        const retryAfterSeconds = waiting
          ? Math.max(1, Math.ceil((Math.max(...inFlight) + deps.inFlightMs - now) / 1000))
          : 0;
        for (const { messageId, message, part } of parts) {
          if (part && waiting) {
            deps.counters.count('DeliveryDeferred');
            errors.set(messageId, new DeliveryDeferredError(key.kind, retryAfterSeconds));
            continue;
          }
          if (!part)
            deps.counters.count(key.kind === 'rollup' ? 'StaleRollupSkipped' : 'StaleAttributesSkipped');
          else if (part !== message) deps.counters.count('StaleAttributesSkipped');
          outcome.set(messageId, part);
        }
      } catch (error) {
        for (const { messageId } of members) errors.set(messageId, error);
      }
    }),
  );
  const send = sendable.flatMap((entry) => {
    if (errors.has(entry.messageId)) return [];
    if (!outcome.has(entry.messageId)) return [entry];
    const part = outcome.get(entry.messageId);
    return part ? [{ messageId: entry.messageId, message: part }] : [];
  });
  return {
    send,
    errors,
    // A mark left behind (a failed release) only delays the person's next identify by the in-flight time.
    release: async () => {
      await Promise.allSettled(claims.map(({ key, claim }) => deps.store.release(key, claim)));
    },
  };
};
