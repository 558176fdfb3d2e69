import { createHash } from 'node:crypto';
import { eventIdFor } from '../canonical/event-id.js';
import type { PersonUpdate } from '../canonical/person.js';
import { scrubReason } from '../failures/safe-reason.js';
import type { WebhookEnvelope } from '../ingest/envelope.js';
import type { Normalized, Signal } from '../normalize/normalizer.js';
import type { ActivityRecord, UpdateLine, WrittenDeliveryEntry } from './activity-entry.js';
import { subjectOf, subjectOfPerson } from './activity-subject.js';
import { summarizeEvent } from './event-summary.js';

/** How the process worker ended one inbox message (shared/process/process-envelope.ts). */
type DeliveryVerdict = 'processed' | 'duplicate_delivery' | 'ignored';

/** What one emit became: sent once (`done`) or already sent by an earlier delivery (`duplicate`). */
export type EmitVerdict = 'done' | 'duplicate';

/** Everything the process worker knows about a delivery once it is done with it. */
export interface ProcessedDelivery {
  readonly envelope: WebhookEnvelope;
  readonly verdict: DeliveryVerdict;
  /** The canonical output after every stage (persons resolved, merges and rollups added). */
  readonly output?: Normalized;
  /** The business key of every emitted output and what became of it; absent keys had no person. */
  readonly emits?: ReadonlyMap<string, EmitVerdict>;
  /** Why nothing was emitted (an ignored delivery). */
  readonly note?: string;
}

/** The fields of an identity link signal the entry reads (shared/identity/identity-signal.ts). */
interface LinkFields {
  readonly anonymous_id?: string;
  readonly cart_token?: string;
  readonly checkout_token?: string;
}

type Props = Readonly<Record<string, unknown>>;
type StoredUpdate = NonNullable<WrittenDeliveryEntry['updates']>[number];
type StoredEvent = NonNullable<WrittenDeliveryEntry['events']>[number];

const MAX_IDS = 20;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value.slice(0, 256) : undefined;
const unique = (values: readonly (string | undefined)[]): string[] | undefined => {
  const out = [...new Set(values.filter((v): v is string => v !== undefined))].slice(0, MAX_IDS);
  return out.length > 0 ? out : undefined;
};
const signalsOfType = (signals: readonly Signal[], type: string): Props[] =>
  signals.filter((s) => s.type === type) as unknown as Props[];

/** A short, stable hash: keys an entry so that a retry of the same step rewrites it instead of adding one. */
export const shortHash = (...parts: readonly string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 12);

const updateKind = (key: string): UpdateLine['kind'] => {
  if (key.startsWith('merge#')) return 'merge';
  if (key.startsWith('rollup#')) return 'rollup';
  if (key.startsWith('acquisition#')) return 'acquisition';
  if (key.startsWith('identify#')) return 'profile';
  return 'other';
};

/** The verdict of an output, left out when it is the default (`queued`) to keep entries small. */
const verdictOf = (
  emits: ReadonlyMap<string, EmitVerdict> | undefined,
  key: string,
): { verdict?: 'duplicate' | 'unidentified' } => {
  const verdict = emits?.get(key);
  if (verdict === 'done') return {};
  return { verdict: verdict === 'duplicate' ? 'duplicate' : 'unidentified' };
};

const updateLine = (update: PersonUpdate, emits: ProcessedDelivery['emits']): StoredUpdate => {
  const kind = updateKind(update.dedupe_key);
  const anonymousId = kind === 'merge' ? text(update.attributes.anonymous_id) : undefined;
  return {
    kind,
    ...verdictOf(emits, update.dedupe_key),
    // A merge identify carries only `anonymous_id`: its attribute list says nothing the id does not.
    ...(anonymousId ? { anonymousId } : { attributes: Object.keys(update.attributes).slice(0, 60) }),
  };
};

const rollupOf = (updates: readonly PersonUpdate[]): Record<string, number> | undefined => {
  const last = updates.filter((u) => u.dedupe_key.startsWith('rollup#')).at(-1);
  if (!last) return undefined;
  return Object.fromEntries(
    Object.entries(last.attributes).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]),
    ),
  );
};

/** Who the delivery is about, once stitched: the first known person, else the browser, else the cart. */
export const subjectOfOutput = (output: Normalized): string | undefined => {
  const people = [
    ...output.events.map((e) => e.person),
    ...output.people.map((u) => u.person),
    ...(output.deletions ?? []).map((d) => d.person),
  ];
  const known = people.find((p) => p.customer_id || p.email);
  const subject = subjectOfPerson(known) ?? subjectOfPerson(people.find((p) => p.anonymous_id));
  if (subject) return subject;
  const links = signalsOfType(output.signals, 'identity_link').map((s) => s.identifiers as LinkFields);
  const anonymous = links.find((l) => l.anonymous_id)?.anonymous_id;
  if (anonymous) return subjectOf('anon', anonymous);
  const cart = text(signalsOfType(output.signals, 'cart_activity')[0]?.cart_token);
  if (cart) return subjectOf('cart', cart);
  const checkout = links.find((l) => l.checkout_token)?.checkout_token;
  if (checkout) return subjectOf('checkout', checkout);
  const order = output.events.map((e) => text((e.properties as Props).order_id)).find(Boolean);
  return order ? subjectOf('order', order) : undefined;
};

const linksOf = (output: Normalized): NonNullable<WrittenDeliveryEntry['links']> => {
  const stated = signalsOfType(output.signals, 'identity_link').map((s) => s.identifiers as LinkFields);
  const activity = signalsOfType(output.signals, 'cart_activity');
  const props = output.events.map((e) => e.properties as Props);
  const merged = output.people.map((u) =>
    u.dedupe_key.startsWith('merge#') ? text(u.attributes.anonymous_id) : undefined,
  );
  const links = {
    anonymousIds: unique([
      ...stated.map((l) => l.anonymous_id),
      ...merged,
      ...output.events.map((e) => e.person.anonymous_id),
    ]),
    carts: unique([
      ...stated.map((l) => l.cart_token),
      ...activity.map((a) => text(a.cart_token)),
      ...props.map((p) => text(p.cart_id)),
    ]),
    checkouts: unique([
      ...stated.map((l) => l.checkout_token),
      ...activity.map((a) => text(a.checkout_token)),
      ...props.map((p) => text(p.checkout_id)),
    ]),
    orders: unique(props.map((p) => text(p.order_id))),
  };
  return Object.fromEntries(Object.entries(links).filter(([, v]) => v !== undefined));
};

const cartOf = (output: Normalized): NonNullable<WrittenDeliveryEntry['cart']> => {
  const tokens = (type: string) => signalsOfType(output.signals, type).map((s) => text(s.cart_token));
  const orderCarts = output.events
    .filter((e) => e.name === 'Order Completed')
    .map((e) => text((e.properties as Props).cart_id));
  const cart = {
    touched: unique(tokens('cart_activity')),
    converted: unique([...tokens('checkout_completed'), ...orderCarts]),
    deleted: unique(tokens('checkout_deleted')),
  };
  return Object.fromEntries(Object.entries(cart).filter(([, v]) => v !== undefined));
};

const base = (delivery: ProcessedDelivery) => {
  const { envelope } = delivery;
  return {
    kind: 'delivery' as const,
    source: envelope.source,
    topic: envelope.topic.slice(0, 128),
    deliveryId: envelope.deliveryId.slice(0, 256),
    ...(envelope.eventId ? { eventId: envelope.eventId.slice(0, 256) } : {}),
    signed: envelope.signed,
    ...(envelope.triggeredAt ? { triggeredAt: envelope.triggeredAt.slice(0, 40) } : {}),
    verdict: delivery.verdict,
    ...(delivery.note ? { note: scrubReason(delivery.note, 200) } : {}),
  };
};

/**
 * The activity record of one processed delivery, filed under the person it is about once stitched (or `subject`,
 * for a duplicate whose person was not resolved again). Undefined when the delivery names nobody.
 */
export const deliveryRecord = (delivery: ProcessedDelivery, subject?: string): ActivityRecord | undefined => {
  const { envelope, output } = delivery;
  const who = (output ? subjectOfOutput(output) : undefined) ?? subject;
  if (!who) return undefined;
  const events: StoredEvent[] = (output?.events ?? []).slice(0, 20).map((event) => {
    const summary = summarizeEvent(event.properties as Props);
    return {
      name: event.name,
      id: eventIdFor(event.dedupe_key),
      ...verdictOf(delivery.emits, event.dedupe_key),
      ...(summary ? { summary } : {}),
      ...((event.properties as Props).is_test === true ? { test: true as const } : {}),
    };
  });
  const updates = (output?.people ?? []).slice(0, 20).map((u) => updateLine(u, delivery.emits));
  const rollup = output ? rollupOf(output.people) : undefined;
  const profileMerges = (output?.merges ?? []).slice(0, 5).flatMap((m) => {
    const primary = subjectOfPerson(m.primary);
    const secondary = subjectOfPerson(m.secondary);
    return primary && secondary ? [{ primary, secondary }] : [];
  });
  const deletions = output?.deletions?.length ?? 0;
  const links = output ? linksOf(output) : {};
  const cart = output ? cartOf(output) : {};
  const entry: WrittenDeliveryEntry = {
    ...base(delivery),
    ...(events.length > 0 ? { events } : {}),
    ...(updates.length > 0 ? { updates } : {}),
    ...(rollup ? { rollup } : {}),
    ...(profileMerges.length > 0 ? { profileMerges } : {}),
    ...(deletions > 0 ? { deletions } : {}),
    ...(Object.keys(links).length > 0 ? { links } : {}),
    ...(Object.keys(cart).length > 0 ? { cart } : {}),
  };
  const orderId = links.orders?.[0];
  return {
    shop: envelope.shop,
    subject: who,
    at: envelope.receivedAt,
    uniqueness: shortHash('delivery', envelope.source, envelope.deliveryId, delivery.verdict),
    ...(orderId ? { orderId } : {}),
    entry,
  };
};
