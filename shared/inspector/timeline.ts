import type { DeliveryEntry, SentOperation } from '../activity/activity-entry.js';
import type { StoredActivity } from '../activity/activity-log.js';
import { parseSubject } from '../activity/activity-subject.js';

/** How a badge reads: good, worth a look, wrong, or plain information. */
type Tone = 'ok' | 'warn' | 'bad' | 'info';

/** A short label with a tone (always with words: colour is never the only signal). */
export interface Badge {
  readonly text: string;
  readonly tone: Tone;
}

/** One line under a timeline item. */
interface Row {
  readonly label: string;
  readonly text: string;
  /** An id shown in monospace after the text. */
  readonly code?: string;
  readonly badges?: readonly Badge[];
}

/** One step of the person's history. */
export interface TimelineItem {
  readonly at: string;
  readonly kind: 'webhook' | 'beacon' | 'sent' | 'cart-check' | 'parked' | 'redacted';
  readonly title: string;
  /** Whose partition the record is in (a browser before it was merged, the person, a cart). */
  readonly whose: string;
  readonly badges: readonly Badge[];
  readonly rows: readonly Row[];
}

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  shopify: 'Shopify',
  recharge: 'Recharge',
  judgeme: 'Judge.me',
  okendo: 'Okendo',
  stamped: 'Stamped',
  yotpo: 'Yotpo',
  pixel: 'Storefront beacon',
};

/** A subject as a person reads it. */
export const whoseLabel = (subject: string): string => {
  const parsed = parseSubject(subject);
  if (!parsed) return subject;
  const labels = {
    customer: `customer ${parsed.value}`,
    email: 'email (hashed)',
    anon: `browser ${parsed.value}`,
    cart: `cart ${parsed.value}`,
    checkout: `checkout ${parsed.value}`,
    order: `order ${parsed.value}`,
  } as const;
  return labels[parsed.kind];
};

const shortId = (id: string): string => (id.length > 14 ? `${id.slice(0, 12)}…` : id);

const statusBadge = (op: TimedOp): Badge => {
  const time = op.at.slice(11, 19);
  if (op.status === 'accepted') return { text: `Customer.io accepted ${time}`, tone: 'ok' };
  if (op.status === 'rejected')
    return { text: `Customer.io rejected (${op.code ?? 'refused'})`, tone: 'bad' };
  return { text: `call failed, retrying (${op.code ?? 'transient'})`, tone: 'warn' };
};

const verdictBadge = (verdict: 'queued' | 'duplicate' | 'unidentified'): Badge =>
  verdict === 'queued'
    ? { text: 'queued', tone: 'ok' }
    : verdict === 'duplicate'
      ? { text: 'already sent before (deduplicated)', tone: 'info' }
      : { text: 'no known person: not sent', tone: 'warn' };

type TimedOp = SentOperation & { readonly at: string };

const opText = (op: SentOperation): string =>
  op.op === 'event'
    ? `event ${op.name ?? ''}`.trim()
    : op.anonymousId
      ? `identify merging browser ${op.anonymousId}`
      : op.op;

const deliveryRows = (entry: DeliveryEntry, ops: TimedOp[]): Row[] => {
  const rows: Row[] = [];
  const unmatched = [...ops];
  const take = (predicate: (op: TimedOp) => boolean): TimedOp | undefined => {
    const index = unmatched.findIndex(predicate);
    return index < 0 ? undefined : unmatched.splice(index, 1)[0];
  };
  for (const event of entry.events) {
    const sent = event.id ? take((op) => op.eventId === event.id) : undefined;
    rows.push({
      label: 'Event',
      text: `${event.name}${event.summary ? ` — ${event.summary}` : ''}`,
      ...(event.id ? { code: event.id } : {}),
      badges: [
        verdictBadge(event.verdict),
        ...(event.test ? [{ text: 'test order', tone: 'info' as const }] : []),
        ...(sent ? [statusBadge(sent)] : []),
      ],
    });
  }
  for (const update of entry.updates) {
    const sent = update.anonymousId
      ? take((op) => op.anonymousId === update.anonymousId)
      : take((op) => op.op === 'identify' && !op.anonymousId);
    const text =
      update.kind === 'merge'
        ? `browser ${update.anonymousId ?? '?'} merged into this person (identify with anonymous_id)`
        : `${update.kind === 'profile' ? 'profile' : update.kind} identify: ${update.attributes.join(', ') || '—'}`;
    rows.push({
      label: update.kind === 'merge' ? 'Merge' : 'Identify',
      text,
      badges: [verdictBadge(update.verdict), ...(sent ? [statusBadge(sent)] : [])],
    });
  }
  if (entry.rollup) {
    rows.push({
      label: 'Rollups',
      text: Object.entries(entry.rollup)
        .map(([name, value]) => `${name} ${value}`)
        .join(', '),
    });
  }
  for (const merge of entry.profileMerges) {
    rows.push({
      label: 'Profiles',
      text: `${whoseLabel(merge.secondary)} merged into ${whoseLabel(merge.primary)}`,
    });
  }
  const links: [string, readonly string[] | undefined][] = [
    ['browsers', entry.links.anonymousIds],
    ['carts', entry.links.carts],
    ['checkouts', entry.links.checkouts],
    ['orders', entry.links.orders],
  ];
  const linked = links.filter(([, ids]) => ids && ids.length > 0);
  if (linked.length > 0) {
    rows.push({
      label: 'Links',
      text: linked.map(([kind, ids]) => `${kind} ${(ids ?? []).join(', ')}`).join(' · '),
    });
  }
  const cart: [string, readonly string[] | undefined][] = [
    ['activity (a check is pending)', entry.cart.touched],
    ['converted', entry.cart.converted],
    ['checkout deleted', entry.cart.deleted],
  ];
  for (const [what, tokens] of cart) {
    if (tokens && tokens.length > 0) rows.push({ label: 'Cart', text: `${what}: ${tokens.join(', ')}` });
  }
  if (entry.deletions > 0) rows.push({ label: 'Privacy', text: `${entry.deletions} deletion(s) sent` });
  for (const op of unmatched) {
    rows.push({
      label: 'Sent',
      text: opText(op),
      ...(op.eventId ? { code: op.eventId } : {}),
      badges: [statusBadge(op)],
    });
  }
  if (entry.note) rows.push({ label: 'Note', text: entry.note });
  return rows;
};

const deliveryBadges = (entry: DeliveryEntry): Badge[] => [
  entry.signed
    ? { text: 'signature verified', tone: 'ok' }
    : { text: 'unsigned storefront beacon', tone: 'info' },
  entry.verdict === 'processed'
    ? { text: 'new delivery', tone: 'ok' }
    : entry.verdict === 'duplicate_delivery'
      ? { text: 'duplicate delivery: skipped', tone: 'warn' }
      : { text: 'ignored: nothing to send', tone: 'info' },
];

/**
 * The person's records as one timeline, oldest first: each delivery with the events and identifies it became and
 * what Customer.io answered for each (matched by event id and delivery id), then cart checks, parked records and
 * redactions. Customer.io calls with no delivery on the page (cart recovery events) stand on their own.
 */
export const buildTimeline = (activities: readonly StoredActivity[]): TimelineItem[] => {
  const opsByDelivery = new Map<string, TimedOp[]>();
  const loose: { at: string; whose: string; ops: TimedOp[] }[] = [];
  const processed = new Set(
    activities.flatMap((a) =>
      a.entry.kind === 'delivery' && a.entry.verdict === 'processed' ? [a.entry.deliveryId] : [],
    ),
  );
  for (const activity of activities) {
    if (activity.entry.kind !== 'sent') continue;
    const unattached: TimedOp[] = [];
    for (const op of activity.entry.operations) {
      const timed = { ...op, at: activity.at };
      if (op.deliveryId && processed.has(op.deliveryId)) {
        opsByDelivery.set(op.deliveryId, [...(opsByDelivery.get(op.deliveryId) ?? []), timed]);
      } else unattached.push(timed);
    }
    if (unattached.length > 0) loose.push({ at: activity.at, whose: activity.subject, ops: unattached });
  }
  const items: TimelineItem[] = [];
  for (const activity of activities) {
    const { entry, at, subject } = activity;
    const whose = whoseLabel(subject);
    if (entry.kind === 'delivery') {
      const ops = entry.verdict === 'processed' ? (opsByDelivery.get(entry.deliveryId) ?? []) : [];
      items.push({
        at,
        kind: entry.signed ? 'webhook' : 'beacon',
        title: `${SOURCE_LABELS[entry.source] ?? entry.source} ${entry.topic}`,
        whose,
        badges: deliveryBadges(entry),
        rows: [
          {
            label: 'Delivery',
            text: `id ${entry.deliveryId}${entry.eventId ? `, event ${entry.eventId}` : ''}`,
          },
          ...deliveryRows(entry, ops),
        ],
      });
    } else if (entry.kind === 'cart-check') {
      const badge: Badge =
        entry.outcome === 'emitted'
          ? { text: `sent ${entry.event ?? 'abandoned event'}`, tone: 'warn' }
          : entry.outcome === 'rescheduled'
            ? { text: `pending: moved to ${entry.dueAt ?? 'later'}`, tone: 'info' }
            : entry.outcome === 'parked'
              ? { text: `parked (${entry.reason ?? 'failure'})`, tone: 'bad' }
              : { text: `exited: ${entry.reason ?? 'done'}`, tone: 'ok' };
      items.push({
        at,
        kind: 'cart-check',
        title: `Cart check, step ${entry.step}`,
        whose,
        badges: [badge],
        rows: [],
      });
    } else if (entry.kind === 'parked') {
      items.push({
        at,
        kind: 'parked',
        title: `Parked in the ${entry.origin} DLQ`,
        whose,
        badges: [{ text: entry.code, tone: 'bad' }],
        rows: [
          ...(entry.what ? [{ label: 'What', text: entry.what }] : []),
          ...(entry.deliveryId ? [{ label: 'Delivery', text: `id ${entry.deliveryId}` }] : []),
          ...(entry.failureClass ? [{ label: 'Class', text: entry.failureClass }] : []),
        ],
      });
    } else if (entry.kind === 'redacted') {
      items.push({
        at,
        kind: 'redacted',
        title: 'Redacted (privacy request)',
        whose,
        badges: [{ text: `${entry.removed} earlier record(s) deleted`, tone: 'info' }],
        rows: [{ label: 'Delivery', text: `id ${entry.deliveryId}` }],
      });
    }
  }
  for (const group of loose) {
    items.push({
      at: group.at,
      kind: 'sent',
      title: 'Customer.io call',
      whose: whoseLabel(group.whose),
      badges: [],
      rows: group.ops.map((op) => ({
        label: 'Sent',
        text: opText(op),
        ...(op.eventId ? { code: shortId(op.eventId) } : {}),
        badges: [statusBadge(op)],
      })),
    });
  }
  return items.sort((a, b) => a.at.localeCompare(b.at));
};
