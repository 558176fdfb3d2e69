import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { PersonRef } from '../canonical/common.js';
import type { CanonicalEventDraft } from '../canonical/events.js';
import { DependencyError } from '../errors.js';
import { hashedEmail } from './identity-hash.js';
import { EMPTY_ROLLUP, type RollupState } from './rollup.js';

/** A rollup with the version it was read at (optimistic locking). */
export interface VersionedRollup {
  readonly state: RollupState;
  readonly version: number;
}

/** A refund processed before its order: the refund event (fitted, without its person) waits for the order. */
export interface PendingRefund {
  readonly refundId: string;
  /** The Order Refunded draft as normalized, its person empty. */
  readonly event: Extract<CanonicalEventDraft, { name: 'Order Refunded' }>;
}

/** Port: per-person rollups and the owner of each order (refunds and cancellations name no customer). */
export interface RollupStore {
  read(personKey: string): Promise<VersionedRollup>;
  /** Writes `state` if the stored version is still `expectedVersion`; false when someone wrote in between. */
  write(personKey: string, state: RollupState, expectedVersion: number): Promise<boolean>;
  /** Records the order's buyer; returns the refunds that arrived before the order (to apply and send now). */
  rememberOrderOwner(shop: string, orderId: string, person: PersonRef): Promise<readonly PendingRefund[]>;
  orderOwner(shop: string, orderId: string): Promise<PersonRef | undefined>;
  /**
   * Parks a refund whose order is not known yet on the order's owner record. Returns the owner when the order was
   * recorded meanwhile (the same single item is written by both sides, so one of them always sees the other).
   */
  recordPendingRefund(shop: string, orderId: string, refund: PendingRefund): Promise<PersonRef | undefined>;
  /**
   * Privacy redact: removes a person's rollup, the owner records of the listed orders, and every other owner
   * record naming the person (they hold the buyer's email and phone).
   */
  forget(personKey: string, shop: string, person: PersonRef, orderIds: readonly string[]): Promise<void>;
}

/** How long an order's buyer is remembered for refunds and cancellations (they come within months). */
const ORDER_OWNER_RETENTION_DAYS = 400;
/** Attribute name prefix of a refund parked on its order's owner record (one attribute per refund id). */
const PENDING_REFUND_PREFIX = 'pendingRefund#';

const ownerExpiry = (): number => Math.floor(Date.now() / 1000) + ORDER_OWNER_RETENTION_DAYS * 86_400;

/** The index keys an order's buyer is found by at a redact: customer id, else the email's hash (no contact data). */
const ownerIndexKeys = (shop: string, person: PersonRef): string[] => [
  ...(person.customer_id ? [`order-owners#${shop}#customer:${person.customer_id}`] : []),
  ...(person.email ? [`order-owners#${shop}#email:${hashedEmail(person.email)}`] : []),
];

const fail = (what: string, error: unknown) =>
  new DependencyError(`DynamoDB ${what} failed`, 'dynamodb', { cause: error });

/**
 * RollupStore on the connector table: `rollup#<person key>` holds the JSON state and a `version` number (one
 * conditional PutItem per change, no transactions); `order-owner#<shop>#<order id>` holds the buyer's PersonRef,
 * indexed on gsi1 by `order-owners#<shop>#customer:<id>` (or `email:<hash>`) so a redact finds every one, and,
 * as `pendingRefund#<refund id>` attributes, refunds that arrived before the order.
 */
export class DynamoRollupStore implements RollupStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async read(personKey: string): Promise<VersionedRollup> {
    try {
      const out = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: this.key(`rollup#${personKey}`),
          ConsistentRead: true,
        }),
      );
      if (!out.Item?.state?.S) return { state: EMPTY_ROLLUP, version: 0 };
      return {
        state: JSON.parse(out.Item.state.S) as RollupState,
        version: Number(out.Item.version?.N ?? 0),
      };
    } catch (error) {
      throw fail('rollup read', error);
    }
  }

  async write(personKey: string, state: RollupState, expectedVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...this.key(`rollup#${personKey}`),
            state: { S: JSON.stringify(state) },
            version: { N: String(expectedVersion + 1) },
          },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ExpressionAttributeValues:
            expectedVersion === 0 ? undefined : { ':v': { N: String(expectedVersion) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw fail('rollup write', error);
    }
  }

  async rememberOrderOwner(
    shop: string,
    orderId: string,
    person: PersonRef,
  ): Promise<readonly PendingRefund[]> {
    const index = this.ownerIndex(shop, orderId, person);
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(`order-owner#${shop}#${orderId}`),
          UpdateExpression: `SET person = :person, expiresAt = :expiresAt${index ? ', gsi1pk = :gsi1pk, gsi1sk = :gsi1sk' : ''}`,
          ExpressionAttributeValues: {
            ':person': { S: JSON.stringify(person) },
            ':expiresAt': { N: String(ownerExpiry()) },
            ...index,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Object.entries(out.Attributes ?? {}).flatMap(([name, value]) =>
        name.startsWith(PENDING_REFUND_PREFIX) && value.S ? [JSON.parse(value.S) as PendingRefund] : [],
      );
    } catch (error) {
      throw fail('order owner write', error);
    }
  }

  async recordPendingRefund(
    shop: string,
    orderId: string,
    refund: PendingRefund,
  ): Promise<PersonRef | undefined> {
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(`order-owner#${shop}#${orderId}`),
          UpdateExpression: 'SET #refund = :refund, expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ExpressionAttributeNames: { '#refund': `${PENDING_REFUND_PREFIX}${refund.refundId}` },
          ExpressionAttributeValues: {
            ':refund': { S: JSON.stringify(refund) },
            ':expiresAt': { N: String(ownerExpiry()) },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const person = out.Attributes?.person?.S;
      return person ? (JSON.parse(person) as PersonRef) : undefined;
    } catch (error) {
      throw fail('pending refund write', error);
    }
  }

  async orderOwner(shop: string, orderId: string): Promise<PersonRef | undefined> {
    try {
      const out = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: this.key(`order-owner#${shop}#${orderId}`),
          ConsistentRead: true,
        }),
      );
      return out.Item?.person?.S ? (JSON.parse(out.Item.person.S) as PersonRef) : undefined;
    } catch (error) {
      throw fail('order owner read', error);
    }
  }

  async forget(
    personKey: string,
    shop: string,
    person: PersonRef,
    orderIds: readonly string[],
  ): Promise<void> {
    const keys = new Set([`rollup#${personKey}`, ...orderIds.map((id) => `order-owner#${shop}#${id}`)]);
    for (const indexKey of ownerIndexKeys(shop, person)) {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await this.query(indexKey, start);
        for (const item of page.Items ?? []) if (item.pk?.S) keys.add(item.pk.S);
        start = page.LastEvaluatedKey;
      } while (start);
    }
    for (const pk of keys) {
      try {
        await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: this.key(pk) }));
      } catch (error) {
        throw fail('rollup forget', error);
      }
    }
  }

  /** The owner record's gsi1 keys as update values, or undefined when the buyer has neither customer id nor email. */
  private ownerIndex(
    shop: string,
    orderId: string,
    person: PersonRef,
  ): Record<string, AttributeValue> | undefined {
    const [indexKey] = ownerIndexKeys(shop, person);
    return indexKey
      ? { ':gsi1pk': { S: indexKey }, ':gsi1sk': { S: `order-owner#${shop}#${orderId}` } }
      : undefined;
  }

  private async query(indexKey: string, start: Record<string, AttributeValue> | undefined) {
    try {
      return await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :g',
          ExpressionAttributeValues: { ':g': { S: indexKey } },
          ExclusiveStartKey: start,
        }),
      );
    } catch (error) {
      throw fail('order owner lookup', error);
    }
  }

  private key(pk: string) {
    return { pk: { S: pk }, sk: { S: 'rollup' } };
  }
}
