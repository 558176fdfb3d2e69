import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors.js';

/**
 * Port: the newest source time seen per person and attribute source. `advance` records `observedAt` unless a
 * newer one is stored and says whether the update may go out (equal times pass: a retry must not be lost).
 */
export interface PersonVersionStore {
  advance(personKey: string, observedAt: string): Promise<boolean>;
}

/**
 * PersonVersionStore on one conditional PutItem per update: pk = `person-version#<key>`, sk = "v",
 * `observedAtMs` (number). The condition keeps the newest time; an older update fails the condition.
 */
export class DynamoPersonVersionStore implements PersonVersionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async advance(personKey: string, observedAt: string): Promise<boolean> {
    const ms = Date.parse(observedAt);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: { S: `person-version#${personKey}` }, sk: { S: 'v' }, observedAtMs: { N: String(ms) } },
          ConditionExpression: 'attribute_not_exists(pk) OR observedAtMs <= :ms',
          ExpressionAttributeValues: { ':ms': { N: String(ms) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new DependencyError('DynamoDB person version write failed', 'dynamodb', { cause: error });
    }
  }
}
