import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { ActivityRecord } from './activity-entry.js';
import { activityItem } from './activity-item.js';
import type { ActivityLog } from './activity-log.js';

/** Settings of the DynamoDB activity log. */
export interface DynamoActivityLogOptions {
  readonly tableName: string;
  /** How long a record is kept (TTL). */
  readonly retentionDays: number;
}

/**
 * ActivityLog on the connector's single table: one unconditional PutItem per record (a retried step rewrites the
 * same key). Records of one call go out in parallel; they are a few per delivery.
 */
export class DynamoActivityLog implements ActivityLog {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly options: DynamoActivityLogOptions,
    private readonly clock: Clock,
  ) {}

  async append(records: readonly ActivityRecord[]): Promise<void> {
    const now = this.clock();
    try {
      await Promise.all(
        records.map((record) =>
          this.client.send(
            new PutItemCommand({
              TableName: this.options.tableName,
              Item: activityItem(record, this.options.retentionDays, now),
            }),
          ),
        ),
      );
    } catch (error) {
      throw new DependencyError('DynamoDB activity write failed', 'dynamodb', { cause: error });
    }
  }
}
