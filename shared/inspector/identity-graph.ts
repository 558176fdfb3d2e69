import type { DeliveryEntry } from '../activity/activity-entry.js';
import type { StoredActivity } from '../activity/activity-log.js';

/** The delivery that made a link. */
interface LinkRef {
  readonly at: string;
  readonly what: string;
  readonly deliveryId: string;
}

/** One identifier of the person's graph and the deliveries that linked and merged it. */
export interface GraphNode {
  readonly kind: 'browser' | 'cart' | 'checkout' | 'order' | 'profile';
  readonly value: string;
  /** The first delivery that named it. */
  readonly linkedBy: LinkRef;
  /** For a browser: the delivery whose identify merged it into the person. */
  readonly mergedBy?: LinkRef;
}

/** The latest rollups sent for the person, and when. */
export interface Rollups {
  readonly at: string;
  readonly values: Readonly<Record<string, number>>;
  /** How many deliveries changed them. */
  readonly updates: number;
}

const refOf = (activity: StoredActivity, entry: DeliveryEntry): LinkRef => ({
  at: activity.at,
  what: `${entry.source} ${entry.topic}`,
  deliveryId: entry.deliveryId,
});

/**
 * The identity graph as the records tell it, oldest first: each browser, cart, checkout and order with the first
 * delivery that named it, each browser with the delivery that merged it, and the profiles merged in Customer.io.
 */
export const buildIdentityGraph = (activities: readonly StoredActivity[]): GraphNode[] => {
  const nodes = new Map<string, GraphNode>();
  const link = (kind: GraphNode['kind'], value: string, ref: LinkRef) => {
    const key = `${kind}\u0000${value}`;
    if (!nodes.has(key)) nodes.set(key, { kind, value, linkedBy: ref });
  };
  for (const activity of activities) {
    const { entry } = activity;
    if (entry.kind !== 'delivery' || entry.verdict === 'duplicate_delivery') continue;
    const ref = refOf(activity, entry);
    for (const id of entry.links.anonymousIds ?? []) link('browser', id, ref);
    for (const token of entry.links.carts ?? []) link('cart', token, ref);
    for (const token of entry.links.checkouts ?? []) link('checkout', token, ref);
    for (const order of entry.links.orders ?? []) link('order', order, ref);
    for (const update of entry.updates) {
      if (update.kind !== 'merge' || !update.anonymousId) continue;
      link('browser', update.anonymousId, ref);
      const key = `browser\u0000${update.anonymousId}`;
      const node = nodes.get(key);
      if (node && !node.mergedBy) nodes.set(key, { ...node, mergedBy: ref });
    }
    for (const merge of entry.profileMerges) link('profile', `${merge.secondary} → ${merge.primary}`, ref);
  }
  return [...nodes.values()];
};

/** The rollups of the person's latest delivery that sent them. */
export const latestRollups = (activities: readonly StoredActivity[]): Rollups | undefined => {
  const withRollups = activities.filter(
    (a): a is StoredActivity & { entry: DeliveryEntry } =>
      a.entry.kind === 'delivery' && a.entry.rollup !== undefined,
  );
  const last = withRollups.at(-1);
  return last?.entry.rollup
    ? { at: last.at, values: last.entry.rollup, updates: withRollups.length }
    : undefined;
};
