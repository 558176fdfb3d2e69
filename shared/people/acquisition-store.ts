import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoBatchReader } from '../adapters/dynamo-batch-reader.js';
import { DependencyError } from '../errors.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { AcquisitionAttributes } from './acquisition.js';

/** A first touch as stored: its attributes, when it happened, and what stated it (`browser:<id>`, `order:<id>`). */
export interface StoredTouch {
  readonly attributes: AcquisitionAttributes;
  readonly at: string;
  readonly origin: string;
}

/** Port: first touches of storefront browsers and of people. Single-item conditional writes only. */
export interface AcquisitionStore {
  /** Keeps a browser's earliest landing (a later one, or a retry, changes nothing). */
  recordBrowserTouch(shop: string, anonymousId: string, touch: StoredTouch): Promise<void>;
  browserTouch(shop: string, anonymousId: string): Promise<StoredTouch | undefined>;
  /**
   * Sets a person's first touch unless one is set, recording the delivery `by` that set it. True when `touch` is
   * the person's first touch, set now or by an earlier attempt of the same delivery (a retried delivery still sends
   * it); false when another touch was first, or another delivery already set this one (it sent the identify).
   */
  claimPersonTouch(personKey: string, touch: StoredTouch, by: string): Promise<boolean>;
  /** Privacy redact: removes a person's first touch. */
  forgetPerson(personKey: string): Promise<void>;
}

/** A browser's landing is kept as long as Shopify's browser id lives (about a year), for a later merge. */
const BROWSER_RETENTION_DAYS = 400;

const fail = (what: string, error: unknown) =>
  new DependencyError(`DynamoDB ${what} failed`, 'dynamodb', { cause: error });

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

/**
 * AcquisitionStore on the connector table: `touch#<shop>#<anonymous id>` / `touch` (TTL) holds a browser's
 * earliest landing; `acquisition#<person key>` / `acquisition` (no TTL: set once, never overwritten) a person's
 * first touch and its origin.
 */
export class DynamoAcquisitionStore implements AcquisitionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {
    this.reader = new DynamoBatchReader(client, tableName);
  }

  /** Browser touches read together (one per merged browser) go out as one BatchGetItem. */
  private readonly reader: DynamoBatchReader;

  async recordBrowserTouch(shop: string, anonymousId: string, touch: StoredTouch): Promise<void> {
    const expiresAt = Math.floor(this.clock().getTime() / 1000) + BROWSER_RETENTION_DAYS * 86_400;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...this.browserKey(shop, anonymousId),
            touch: { S: JSON.stringify(touch) },
            touchAt: { S: touch.at },
            expiresAt: { N: String(expiresAt) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR touchAt > :at',
          ExpressionAttributeValues: { ':at': { S: touch.at } },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw fail('browser touch write', error);
    }
  }

  async browserTouch(shop: string, anonymousId: string): Promise<StoredTouch | undefined> {
    const { pk, sk } = this.browserKey(shop, anonymousId);
    const text = (await this.reader.get(pk.S, sk.S))?.touch?.S;
    return text ? (JSON.parse(text) as StoredTouch) : undefined;
  }

  async claimPersonTouch(personKey: string, touch: StoredTouch, by: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...this.personKey(personKey),
            touch: { S: JSON.stringify(touch) },
            origin: { S: touch.origin },
            setBy: { S: by },
          },
          // A touch set before deliveries were recorded (no setBy) is taken over once by its own origin.
          ConditionExpression:
            'attribute_not_exists(pk) OR (#origin = :origin AND (attribute_not_exists(setBy) OR setBy = :by))',
          ExpressionAttributeNames: { '#origin': 'origin' },
          ExpressionAttributeValues: { ':origin': { S: touch.origin }, ':by': { S: by } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw fail('person touch write', error);
    }
  }

  async forgetPerson(personKey: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({ TableName: this.tableName, Key: this.personKey(personKey) }),
      );
    } catch (error) {
      throw fail('person touch delete', error);
    }
  }

  private browserKey(shop: string, anonymousId: string) {
    return { pk: { S: `touch#${shop}#${anonymousId}` }, sk: { S: 'touch' } };
  }

  private personKey(personKey: string) {
    return { pk: { S: `acquisition#${personKey}` }, sk: { S: 'acquisition' } };
  }
}
