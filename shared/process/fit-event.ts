import type { CanonicalEvent } from '../canonical/events.js';
import type { PersonUpdate } from '../canonical/person.js';
import type { OutboxMessage } from '../delivery/outbox-message.js';
import { jsonBytes, truncateText, truncateUtf8 } from './text-budget.js';

/**
 * Fits events under Customer.io's 32 KB limit per Track v2 batch item before they are queued, so a big order is
 * delivered shortened rather than refused on every attempt. Measured on the item the deliver worker builds from
 * the outbox message (identifiers, name, id, timestamp and `attributes` = properties + `source` + `shop`).
 */

/** Customer.io's limit for one Track v2 batch item. */
export const TRACK_ITEM_LIMIT_BYTES = 32 * 1024;
/** A renamed event (EVENT_NAME_OVERRIDES, at most 100 characters) JSON-escaped at worst (`\u0000` per character). */
const NAME_RESERVE_BYTES = 600;
/** Headroom for what deliver may add around the item beyond what is measured here. */
const SAFETY_MARGIN_BYTES = 1024;
/** What the measured item (with the canonical name) may take. */
const ITEM_BUDGET_BYTES = TRACK_ITEM_LIMIT_BYTES - NAME_RESERVE_BYTES - SAFETY_MARGIN_BYTES;
/**
 * SQS takes 1 MiB per message; ingest keeps 8 KiB of each free for the attributes a DLQ parking adds, and the
 * outbox follows the same rule.
 */
const OUTBOX_BUDGET_BYTES = 1024 * 1024 - 8 * 1024;
/** Strings first shortened to this many bytes when an event is over budget (a 1 KB product title is junk). */
const STRING_CAPS_BYTES = [1024, 256, 64] as const;
/** Customer.io refuses person attribute values over 1000 bytes. */
const ATTRIBUTE_VALUE_LIMIT_BYTES = 1000;
/** Attributes that identify a person: never shortened (a cut email is another email); Customer.io judges them. */
const IDENTIFYING_ATTRIBUTES: ReadonlySet<string> = new Set([
  'email',
  'phone',
  'shopify_customer_id',
  'recharge_customer_id',
  'anonymous_id',
]);

/** An outbox message carrying an event. */
export type EventMessage = Extract<OutboxMessage, { type: 'event' }>;
type Properties = Record<string, unknown>;

const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** Bytes of the Track v2 item deliver builds from `message` with these properties. */
const itemBytes = (message: EventMessage, properties: Properties): number =>
  jsonBytes({
    type: 'person',
    identifiers: message.identifiers,
    action: 'event',
    name: message.event.name,
    id: message.event.id,
    timestamp: unixSeconds(message.event.occurred_at),
    attributes: { ...properties, source: message.event.source, shop: message.event.shop },
  });

/** Every string inside `value` cut to at most `maxBytes` of JSON. */
const capStrings = (value: unknown, maxBytes: number): unknown => {
  if (typeof value === 'string') return truncateText(value, maxBytes);
  if (Array.isArray(value)) return value.map((item) => capStrings(item, maxBytes));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, capStrings(v, maxBytes)]));
  }
  return value;
};

/** The count a list stood for before any shortening (an earlier step may have shortened it already). */
const totalCount = (properties: Properties, list: string, length: number): number => {
  const known = properties[`${list}_total_count`];
  return typeof known === 'number' && known > length ? known : length;
};

const withMarkers = (properties: Properties, list: string, kept: unknown[], total: number): Properties => {
  const next: Properties = { ...properties, [list]: kept };
  if (kept.length < total || properties[`${list}_truncated`] === true) {
    next[`${list}_truncated`] = true;
    next[`${list}_total_count`] = total;
  } else {
    delete next[`${list}_truncated`];
    delete next[`${list}_total_count`];
  }
  return next;
};

/**
 * Keeps a prefix of each list so that the lists together take at most `available` bytes: small lists first and
 * whole, the largest ones share what is left (water filling), so one huge list cannot starve the others.
 */
const fillLists = (properties: Properties, lists: readonly string[], available: number): Properties => {
  const measured = lists
    .map((list) => {
      const entries = properties[list] as unknown[];
      const sizes = entries.map((entry) => jsonBytes(entry));
      return { list, entries, sizes, total: sizes.reduce((sum, size) => sum + size + 1, 0) };
    })
    .sort((a, b) => a.total - b.total);
  let left = available;
  let next = properties;
  measured.forEach(({ list, entries, sizes }, index) => {
    const share = Math.floor(left / (measured.length - index));
    let used = 0;
    let kept = 0;
    // `[]` is already counted in the base; each entry adds its bytes and a comma after the first.
    while (kept < entries.length) {
      const extra = (sizes[kept] ?? 0) + (kept > 0 ? 1 : 0);
      if (used + extra > share) break;
      used += extra;
      kept += 1;
    }
    left -= used;
    next = withMarkers(next, list, entries.slice(0, kept), totalCount(properties, list, entries.length));
  });
  return next;
};

/** Properties with every list emptied and marked truncated: the part of the item no list entry can shrink. */
const baseOf = (properties: Properties, lists: readonly string[]): Properties => {
  let base = properties;
  for (const list of lists) {
    const entries = properties[list] as unknown[];
    base = withMarkers(base, list, [], totalCount(properties, list, entries.length) + 1);
  }
  return base;
};

/** Fits the properties of an over-budget event: shorter strings, then as many list entries as fit. */
const fitProperties = (message: EventMessage, original: Properties): Properties => {
  const lists = Object.keys(original).filter(
    (key) => Array.isArray(original[key]) && (original[key] as unknown[]).length > 0,
  );
  let best = original;
  for (const cap of STRING_CAPS_BYTES) {
    const capped = capStrings(original, cap) as Properties;
    const base = itemBytes(message, baseOf(capped, lists));
    if (base > ITEM_BUDGET_BYTES) {
      best = baseOf(capped, lists);
      continue;
    }
    let fitted = fillLists(capped, lists, ITEM_BUDGET_BYTES - base);
    // The arithmetic above is exact for JSON arrays; this loop only guards against a miscount.
    while (itemBytes(message, fitted) > ITEM_BUDGET_BYTES) {
      const longest = lists.reduce((a, b) =>
        (fitted[a] as unknown[]).length >= (fitted[b] as unknown[]).length ? a : b,
      );
      const entries = fitted[longest] as unknown[];
      if (entries.length === 0) break;
      fitted = withMarkers(
        fitted,
        longest,
        entries.slice(0, -1),
        totalCount(capped, longest, entries.length),
      );
    }
    return fitted;
  }
  return best;
};

/** Keeps the outbox message under the SQS budget: the event's person copy is only bookkeeping, cut if need be. */
const fitOutbox = (message: EventMessage): EventMessage => {
  if (jsonBytes(message) <= OUTBOX_BUDGET_BYTES) return message;
  const person = capStrings(message.event.person, 1024) as CanonicalEvent['person'];
  return { ...message, event: { ...message.event, person } as CanonicalEvent };
};

/**
 * Fits an event message under Customer.io's item limit and SQS's message limit. An event that fits is returned
 * unchanged. Otherwise strings are shortened (ending in `…`), then each list keeps as many entries as fit, with
 * `<list>_truncated: true` and `<list>_total_count`; totals, counts and every other property stay intact.
 */
export const fitEventMessage = (message: EventMessage): EventMessage => {
  const properties = message.event.properties as Properties;
  if (itemBytes(message, properties) <= ITEM_BUDGET_BYTES) return fitOutbox(message);
  const fitted = fitProperties(message, properties);
  return fitOutbox({ ...message, event: { ...message.event, properties: fitted } as CanonicalEvent });
};

/**
 * Shortens person attribute values Customer.io would refuse (over 1000 bytes), except identifying ones, so one
 * absurd name or city does not cost the whole identify.
 */
export const fitPersonUpdate = (update: PersonUpdate): PersonUpdate => {
  const long = Object.entries(update.attributes).filter(
    ([name, value]) =>
      typeof value === 'string' &&
      !IDENTIFYING_ATTRIBUTES.has(name) &&
      Buffer.byteLength(value) > ATTRIBUTE_VALUE_LIMIT_BYTES,
  );
  if (long.length === 0) return update;
  const attributes = { ...update.attributes } as Record<string, unknown>;
  for (const [name, value] of long)
    attributes[name] = truncateUtf8(value as string, ATTRIBUTE_VALUE_LIMIT_BYTES);
  return { ...update, attributes: attributes as PersonUpdate['attributes'] };
};
