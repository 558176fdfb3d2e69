import { tryParseJson } from '../json/lossless-json.js';
import type { OutboxRecord } from './deliver-batch.js';

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;

/**
 * The shop an outbox record belongs to: every message type carries it (`event.shop`, `update.shop`, or `shop` on
 * merges and deletions). Undefined for a record that is not a message; the deliverer refuses those itself.
 */
const recordShop = (record: OutboxRecord): string | undefined => {
  const message = tryParseJson(record.body);
  const shop =
    field(field(message, 'event'), 'shop') ??
    field(field(message, 'update'), 'shop') ??
    field(message, 'shop');
  return typeof shop === 'string' ? shop : undefined;
};

/**
 * Groups outbox records by the Customer.io workspace of their shop, in arrival order. A record whose shop cannot
 * be read goes with `fallback`, where the deliverer fails it as an invalid message.
 */
export const partitionByWorkspace = (
  records: readonly OutboxRecord[],
  workspaceOf: (shop: string) => string,
  fallback: string,
): Map<string, OutboxRecord[]> => {
  const groups = new Map<string, OutboxRecord[]>();
  for (const record of records) {
    const shop = recordShop(record);
    const workspace = shop === undefined ? fallback : workspaceOf(shop);
    const group = groups.get(workspace) ?? [];
    group.push(record);
    groups.set(workspace, group);
  }
  return groups;
};
