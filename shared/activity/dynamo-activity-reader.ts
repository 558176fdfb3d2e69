import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../ports/clock.js';
import { activityOrderPk, activityPk, storedActivity } from './activity-item.js';
import type { ActivityReader, StoredActivity } from './activity-log.js';

/** Items read per Query page (a page is at most 1 MB anyway). */
const PAGE = 100;

/**
 * ActivityReader on the connector's table, for the inspector: one Query per subject (newest first) and one on
 * `gsi1` per order id. Read-only; expired items that TTL has not deleted yet are left out.
 */
export class DynamoActivityReader implements ActivityReader {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  timeline(shop: string, subject: string, limit: number): Promise<StoredActivity[]> {
    return this.query({ pk: activityPk(shop, subject) }, limit);
  }

  byOrder(shop: string, orderId: string, limit: number): Promise<StoredActivity[]> {
    return this.query({ gsi1pk: activityOrderPk(shop, orderId) }, limit);
  }

  private async query(key: { pk: string } | { gsi1pk: string }, limit: number): Promise<StoredActivity[]> {
    const nowS = Math.floor(this.clock().getTime() / 1000);
    const out: StoredActivity[] = [];
    let start: Record<string, AttributeValue> | undefined;
    const [attribute, value] = 'pk' in key ? ['pk', key.pk] : ['gsi1pk', key.gsi1pk];
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          ...(attribute === 'gsi1pk' ? { IndexName: 'gsi1' } : {}),
          KeyConditionExpression: '#k = :v',
          ExpressionAttributeNames: { '#k': attribute },
          ExpressionAttributeValues: { ':v': { S: value } },
          ScanIndexForward: false,
          Limit: Math.min(PAGE, limit - out.length),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        if (Number(item.expiresAt?.N ?? Number.POSITIVE_INFINITY) < nowS) continue;
        const stored = storedActivity(item);
        if (stored) out.push(stored);
      }
      start = page.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out;
  }
}
