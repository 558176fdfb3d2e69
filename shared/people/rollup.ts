import { roundMoney } from '../canonical/common.js';
import type { CanonicalEvent } from '../canonical/events.js';
import type { PersonAttributes } from '../canonical/person.js';

/** One order as the rollup remembers it: enough to recompute every order attribute after a correction. */
interface RollupOrder {
  readonly total: number;
  readonly at: string;
  readonly cancelled: boolean;
  /** Refund id → amount, so a retried refund is not subtracted twice. */
  readonly refunds: Readonly<Record<string, number>>;
}

/** Everything needed to derive a person's segment attributes. */
export interface RollupState {
  readonly orders: Readonly<Record<string, RollupOrder>>;
  /** Subscription id → its latest known status and the source time of that status (late events lose). */
  readonly subscriptions: Readonly<
    Record<string, { readonly status: 'active' | 'inactive'; readonly at: string }>
  >;
  /** Category → weight from product views (1) and ordered quantities (3 each). */
  readonly categories: Readonly<Record<string, number>>;
  /** Recently applied view event ids, so a retried view is not counted twice. */
  readonly recentViews: readonly string[];
  readonly lastReview?: { readonly rating: number; readonly at: string };
  /** Keys of the rollups merged into this one (a guest's history, once the guest has an account). */
  readonly absorbed?: readonly string[];
}

/** Attributes sent to Customer.io for segments (declared in PersonAttributesSchema). */
export type RollupAttributes = Pick<
  PersonAttributes,
  | 'orders_count'
  | 'total_spent'
  | 'first_order_at'
  | 'last_order_at'
  | 'last_order_value'
  | 'average_order_value'
  | 'top_categories'
  | 'active_subscriptions'
  | 'last_review_rating'
>;

/** A person with no history. */
export const EMPTY_ROLLUP: RollupState = { orders: {}, subscriptions: {}, categories: {}, recentViews: [] };

const ORDER_CATEGORY_WEIGHT = 3;
const RECENT_VIEWS_KEPT = 50;
/**
 * Categories remembered per person: the rollup is one DynamoDB item (400 KB at most), and an order of thousands of
 * lines with as many product types must not grow it without bound. Only the top three are ever sent.
 */
const CATEGORIES_KEPT = 50;
const unix = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

const addCategories = (
  categories: Readonly<Record<string, number>>,
  items: readonly { category: string | null; quantity: number }[],
  weight: (quantity: number) => number,
): Record<string, number> => {
  const next = { ...categories };
  for (const item of items) {
    if (item.category) next[item.category] = (next[item.category] ?? 0) + weight(item.quantity);
  }
  const entries = Object.entries(next);
  if (entries.length <= CATEGORIES_KEPT) return next;
  return Object.fromEntries(
    entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, CATEGORIES_KEPT),
  );
};

/**
 * Applies one canonical event to a rollup. Returns the same object when the event changes nothing (including a
 * repeat of an order, refund or view already applied), so the caller can skip the write.
 */
export const applyEvent = (state: RollupState, event: CanonicalEvent): RollupState => {
  switch (event.name) {
    case 'Order Completed': {
      const { order_id, total, products } = event.properties;
      if (state.orders[order_id]) return state;
      return {
        ...state,
        orders: {
          ...state.orders,
          [order_id]: { total, at: event.occurred_at, cancelled: false, refunds: {} },
        },
        categories: addCategories(state.categories, products, (q) => q * ORDER_CATEGORY_WEIGHT),
      };
    }
    case 'Order Cancelled': {
      const { order_id, total } = event.properties;
      const order = state.orders[order_id];
      if (order?.cancelled) return state;
      // Cancelled before its Order Completed was processed: recorded cancelled, so the order never counts.
      const cancelled = order
        ? { ...order, cancelled: true }
        : { total, at: event.occurred_at, cancelled: true, refunds: {} };
      return { ...state, orders: { ...state.orders, [order_id]: cancelled } };
    }
    case 'Order Refunded': {
      const { order_id, refund_id, total } = event.properties;
      const order = state.orders[order_id];
      if (!order || order.refunds[refund_id] !== undefined) return state;
      return {
        ...state,
        orders: {
          ...state.orders,
          [order_id]: { ...order, refunds: { ...order.refunds, [refund_id]: total } },
        },
      };
    }
    case 'Product Viewed': {
      if (state.recentViews.includes(event.id)) return state;
      return {
        ...state,
        categories: addCategories(state.categories, [event.properties.product], () => 1),
        recentViews: [...state.recentViews, event.id].slice(-RECENT_VIEWS_KEPT),
      };
    }
    case 'Subscription Started':
    case 'Subscription Reactivated':
    case 'Subscription Cancelled': {
      const id = event.properties.subscription_id;
      const status = event.name === 'Subscription Cancelled' ? 'inactive' : 'active';
      const known = state.subscriptions[id];
      // Order by source time, so a redelivered or late Started cannot revive a cancelled subscription; on a tie
      // the cancellation wins.
      if (known) {
        const at = Date.parse(event.occurred_at);
        const knownAt = Date.parse(known.at);
        if (at < knownAt || (at === knownAt && (known.status === status || status === 'active')))
          return state;
      }
      return { ...state, subscriptions: { ...state.subscriptions, [id]: { status, at: event.occurred_at } } };
    }
    case 'Review Submitted': {
      if (state.lastReview && state.lastReview.at > event.occurred_at) return state;
      if (state.lastReview?.at === event.occurred_at && state.lastReview.rating === event.properties.rating)
        return state;
      return { ...state, lastReview: { rating: event.properties.rating, at: event.occurred_at } };
    }
    default:
      return state;
  }
};

/** Rank of a subscription status at the same time: a cancellation wins a tie (see {@link applyEvent}). */
const laterStatus = (
  a: RollupState['subscriptions'][string],
  b: RollupState['subscriptions'][string],
): RollupState['subscriptions'][string] => {
  if (a.at !== b.at) return Date.parse(a.at) > Date.parse(b.at) ? a : b;
  return a.status === 'inactive' ? a : b;
};

/**
 * Merges another rollup (`from`, stored under `fromKey`) into `into`, once: the result lists `fromKey` as absorbed.
 * Orders and refunds are united by id (a cancellation on either side holds), subscriptions keep their latest
 * status, category weights add up, the newer review wins.
 */
export const mergeRollups = (into: RollupState, from: RollupState, fromKey: string): RollupState => {
  if (into.absorbed?.includes(fromKey)) return into;
  const orders: Record<string, RollupOrder> = { ...from.orders };
  for (const [id, order] of Object.entries(into.orders)) {
    const other = orders[id];
    orders[id] = other
      ? {
          ...order,
          cancelled: order.cancelled || other.cancelled,
          refunds: { ...other.refunds, ...order.refunds },
        }
      : order;
  }
  const subscriptions = { ...from.subscriptions };
  for (const [id, status] of Object.entries(into.subscriptions)) {
    const other = subscriptions[id];
    subscriptions[id] = other ? laterStatus(status, other) : status;
  }
  const categories = addCategories(
    into.categories,
    Object.entries(from.categories).map(([category, weight]) => ({ category, quantity: weight })),
    (weight) => weight,
  );
  const reviews = [into.lastReview, from.lastReview].filter((r) => r !== undefined);
  const lastReview = reviews.sort((a, b) => b.at.localeCompare(a.at))[0];
  return {
    orders,
    subscriptions,
    categories,
    recentViews: [...new Set([...from.recentViews, ...into.recentViews])].slice(-RECENT_VIEWS_KEPT),
    ...(lastReview ? { lastReview } : {}),
    absorbed: [...new Set([...(into.absorbed ?? []), ...(from.absorbed ?? []), fromKey])],
  };
};

/** Derives the segment attributes: cancelled orders leave every order figure, refunds reduce the spend. */
export const rollupAttributes = (state: RollupState): RollupAttributes => {
  const kept = Object.values(state.orders)
    .filter((o) => !o.cancelled)
    .sort((a, b) => a.at.localeCompare(b.at));
  const net = (o: RollupOrder) => Math.max(0, o.total - Object.values(o.refunds).reduce((s, r) => s + r, 0));
  const spent = roundMoney(kept.reduce((sum, o) => sum + net(o), 0));
  const first = kept[0];
  const last = kept[kept.length - 1];
  const top = Object.entries(state.categories)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([name]) => name);
  return {
    orders_count: kept.length,
    total_spent: spent,
    ...(first ? { first_order_at: unix(first.at) } : {}),
    ...(last ? { last_order_at: unix(last.at), last_order_value: roundMoney(net(last)) } : {}),
    average_order_value: kept.length === 0 ? 0 : roundMoney(spent / kept.length),
    top_categories: top.join(','),
    active_subscriptions: Object.values(state.subscriptions).filter((s) => s.status === 'active').length,
    ...(state.lastReview ? { last_review_rating: state.lastReview.rating } : {}),
  };
};
