import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityRecord } from '../../../shared/activity/activity-entry.js';
import { itemBytes } from '../../../shared/activity/activity-item.js';
import { DynamoActivityEraser } from '../../../shared/activity/dynamo-activity-eraser.js';
import { DynamoActivityLog } from '../../../shared/activity/dynamo-activity-log.js';
import { DynamoActivityReader } from '../../../shared/activity/dynamo-activity-reader.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';

const SHOP = 'demo.myshopify.com';
const NOW = new Date('2026-11-28T10:00:00Z');

const delivery = (subject: string, at: string, deliveryId: string, orderId?: string): ActivityRecord => ({
  shop: SHOP,
  subject,
  at,
  uniqueness: deliveryId,
  ...(orderId ? { orderId } : {}),
  entry: {
    kind: 'delivery',
    source: 'shopify',
    topic: 'orders/create',
    deliveryId,
    signed: true,
    verdict: 'processed',
    ...(orderId ? { links: { orders: [orderId] } } : {}),
  },
});

describe('the activity record on dynalite', () => {
  let table: TestTable;
  let log: DynamoActivityLog;
  let reader: DynamoActivityReader;
  let clock = NOW;

  beforeAll(async () => {
    table = await startTestTable();
    log = new DynamoActivityLog(table.client, { tableName: table.tableName, retentionDays: 30 }, () => NOW);
    reader = new DynamoActivityReader(table.client, table.tableName, () => clock);
  });
  afterAll(async () => table.close());

  it('reads a subject back newest first, and a retried step rewrites its own item', async () => {
    // Prepare
    const older = delivery('customer:1', '2026-11-28T09:00:00.000Z', 'd1');
    const newer = delivery('customer:1', '2026-11-28T09:30:00.000Z', 'd2', '1001');

    // Act
    await log.append([older, newer]);
    await log.append([newer]);

    // Assess
    const timeline = await reader.timeline(SHOP, 'customer:1', 50);
    expect(timeline.map((a) => [a.at, a.entry.kind, a.subject, a.shop])).toEqual([
      ['2026-11-28T09:30:00.000Z', 'delivery', 'customer:1', SHOP],
      ['2026-11-28T09:00:00.000Z', 'delivery', 'customer:1', SHOP],
    ]);
    // Defaults left out when written are filled in when read.
    expect(timeline[0]?.entry).toMatchObject({ events: [], updates: [], links: { orders: ['1001'] } });
  });

  it('finds the records of an order through the sparse order index', async () => {
    await log.append([delivery('email:abc', '2026-11-28T09:40:00.000Z', 'd3', '2002')]);
    const found = await reader.byOrder(SHOP, '2002', 10);
    expect(found.map((a) => a.subject)).toEqual(['email:abc']);
    expect(await reader.byOrder(SHOP, '9999', 10)).toEqual([]);
  });

  it('keeps every item with a TTL and hides expired ones that TTL has not deleted yet', async () => {
    const items = (await table.client.send(new ScanCommand({ TableName: table.tableName }))).Items ?? [];
    const activity = items.filter((i) => i.pk?.S?.startsWith('activity#'));
    expect(activity.length).toBeGreaterThan(0);
    for (const item of activity) {
      expect(Number(item.expiresAt?.N)).toBe(Math.floor(NOW.getTime() / 1000) + 30 * 86_400);
      expect(itemBytes(item)).toBeLessThan(1024);
    }
    clock = new Date(NOW.getTime() + 31 * 86_400_000);
    expect(await reader.timeline(SHOP, 'customer:1', 50)).toEqual([]);
    clock = NOW;
  });

  it('erases every record of a redacted person, and only theirs', async () => {
    await log.append(
      Array.from({ length: 12 }, (_, i) =>
        delivery('customer:7', `2026-11-28T08:${String(i).padStart(2, '0')}:00.000Z`, `r${i}`),
      ),
    );
    const removed = await new DynamoActivityEraser(table.client, table.tableName).forget(SHOP, [
      'customer:7',
      'email:none',
    ]);
    expect(removed).toBe(12);
    expect(await reader.timeline(SHOP, 'customer:7', 50)).toEqual([]);
    expect(await reader.timeline(SHOP, 'customer:1', 50)).toHaveLength(2);
  });
});
