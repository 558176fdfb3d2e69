import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors.js';
import { activityPk } from './activity-item.js';
import type { ActivityEraser } from './activity-log.js';

/**
 * ActivityEraser on the connector's table: pages through each subject's partition (keys only) and deletes every
 * item one by one. Runs on a privacy redact only, so it uses the Query and DeleteItem the process worker already
 * has, not a batch write.
 */
export class DynamoActivityEraser implements ActivityEraser {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async forget(shop: string, subjects: readonly string[]): Promise<number> {
    let removed = 0;
    try {
      for (const subject of subjects) {
        let start: Record<string, AttributeValue> | undefined;
        do {
          const page = await this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': { S: activityPk(shop, subject) } },
              ProjectionExpression: 'pk, sk',
              ExclusiveStartKey: start,
            }),
          );
          for (const item of page.Items ?? []) {
            if (!item.pk || !item.sk) continue;
            await this.client.send(
              new DeleteItemCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }),
            );
            removed += 1;
          }
          start = page.LastEvaluatedKey;
        } while (start);
      }
    } catch (error) {
      throw new DependencyError('DynamoDB activity erase failed', 'dynamodb', { cause: error });
    }
    return removed;
  }
}
