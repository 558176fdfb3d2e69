import type { ActivityRecord } from '../../shared/activity/activity-entry.js';
import { ActivityEntrySchema } from '../../shared/activity/activity-entry.js';
import type { ActivityReader, StoredActivity } from '../../shared/activity/activity-log.js';
import type { CartRecord } from '../../shared/cart/cart-store.js';
import type { KnownPerson } from '../../shared/identity/identity-store.js';
import { deadLetterView } from '../../shared/inspector/dead-letter-source.js';
import type { InspectorSources } from '../../shared/inspector/inspector-sources.js';
import { type RawMessage, readDeadLetter } from '../../shared/operations/dead-letter.js';

/** Inspector sources in memory: activity records, identity bindings, carts and raw DLQ messages. */
export const memorySources = (data: {
  readonly records?: readonly ActivityRecord[];
  readonly identity?: Readonly<Record<string, KnownPerson>>;
  readonly carts?: readonly CartRecord[];
  readonly inboxDlq?: readonly RawMessage[];
  readonly shops?: readonly string[];
}): InspectorSources => {
  const stored = (data.records ?? []).map((r): StoredActivity & { orderId?: string } => ({
    shop: r.shop,
    subject: r.subject,
    at: r.at,
    entry: ActivityEntrySchema.parse(r.entry),
    ...(r.orderId ? { orderId: r.orderId } : {}),
  }));
  const newestFirst = (list: StoredActivity[]) => [...list].sort((a, b) => b.at.localeCompare(a.at));
  const activity: ActivityReader = {
    timeline: async (shop, subject, limit) =>
      newestFirst(stored.filter((r) => r.shop === shop && r.subject === subject)).slice(0, limit),
    byOrder: async (shop, orderId, limit) =>
      newestFirst(stored.filter((r) => r.shop === shop && r.orderId === orderId)).slice(0, limit),
  };
  return {
    activity,
    identity: {
      read: async (shop, kind, value) => {
        const person = data.identity?.[`${shop}#${kind}#${value}`];
        return { ...(person ? { person } : {}), anonymousIds: [] };
      },
      personOfAnonymous: async (shop, id) => data.identity?.[`${shop}#anon#${id}`],
    },
    carts: {
      getCart: async (key) => data.carts?.find((c) => c.shop === key.shop && c.cart_token === key.cart_token),
    },
    deadLetters: {
      read: async () => ({
        letters: (data.inboxDlq ?? []).map((m) => deadLetterView(readDeadLetter('inbox', m))),
        notes: [],
      }),
    },
    shops: data.shops ?? ['demo.myshopify.com'],
    label: 'test',
  };
};
