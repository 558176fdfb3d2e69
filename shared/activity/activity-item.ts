import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ActivityRecord } from './activity-entry.js';
import { ActivityEntrySchema } from './activity-entry.js';
import type { StoredActivity } from './activity-log.js';

/*
 * Item layout of the activity record on the connector's single table:
 *   pk      `activity#<shop>#<subject>`            one partition per person, browser or cart of a shop
 *   sk      `<ISO time>#<kind>#<uniqueness>`       time-ordered; a retried step rewrites its own item
 *   e       the entry as compact JSON              ids, names, verdicts and amounts only (activity-entry.ts)
 *   expiresAt  epoch seconds                       TTL attribute of the table
 *   gsi1pk  `activity-order#<shop>#<order id>`     only on entries about an order (sparse: search by order id)
 *   gsi1sk  `<ISO time>`                         newest first within the order
 */

const PREFIX = 'activity#';
const ORDER_PREFIX = 'activity-order#';

/** The partition of a subject of a shop. */
export const activityPk = (shop: string, subject: string): string => `${PREFIX}${shop}#${subject}`;

/** The order index partition of an order of a shop. */
export const activityOrderPk = (shop: string, orderId: string): string => `${ORDER_PREFIX}${shop}#${orderId}`;

/** The DynamoDB item of a record, expiring `retentionDays` after its time (or after now, if that is later). */
export const activityItem = (
  record: ActivityRecord,
  retentionDays: number,
  now: Date,
): Record<string, AttributeValue> => {
  const sk = `${record.at}#${record.entry.kind}#${record.uniqueness}`;
  const from = Math.max(Date.parse(record.at) || 0, now.getTime());
  return {
    pk: { S: activityPk(record.shop, record.subject) },
    sk: { S: sk },
    e: { S: JSON.stringify(record.entry) },
    expiresAt: { N: String(Math.floor(from / 1000) + retentionDays * 86_400) },
    ...(record.orderId
      ? { gsi1pk: { S: activityOrderPk(record.shop, record.orderId) }, gsi1sk: { S: record.at } }
      : {}),
  };
};

/** A stored item read back, or undefined when it is not an activity item or its entry does not parse. */
export const storedActivity = (item: Record<string, AttributeValue>): StoredActivity | undefined => {
  const pk = item.pk?.S;
  const sk = item.sk?.S;
  const json = item.e?.S;
  if (!pk?.startsWith(PREFIX) || !sk || !json) return undefined;
  const rest = pk.slice(PREFIX.length);
  const hash = rest.indexOf('#');
  if (hash <= 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const entry = ActivityEntrySchema.safeParse(parsed);
  if (!entry.success) return undefined;
  return {
    shop: rest.slice(0, hash),
    subject: rest.slice(hash + 1),
    at: sk.slice(0, sk.indexOf('#')),
    entry: entry.data,
  };
};

/**
 * The size DynamoDB bills an item at: attribute names plus values (strings as UTF-8, numbers about one byte per
 * two digits plus one). One write request unit covers up to 1 KB.
 */
export const itemBytes = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce((sum, [name, value]) => {
    const size =
      value.S !== undefined
        ? Buffer.byteLength(value.S)
        : value.N !== undefined
          ? Math.ceil(value.N.replace(/^-|\.|e.*$/g, '').length / 2) + 1
          : 0;
    return sum + Buffer.byteLength(name) + size;
  }, 0);
