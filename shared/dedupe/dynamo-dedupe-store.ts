import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors.js';
import type { ClaimResult, DedupeStore, OwnershipStore } from './dedupe-store.js';

/** Settings of the DynamoDB dedupe store. */
export interface DynamoDedupeStoreOptions {
  readonly tableName: string;
  readonly leaseSeconds: number;
  readonly retentionDays: number;
}

const SK = 'dedupe';

/**
 * DedupeStore on DynamoDB conditional writes. Item: pk = key, sk = "dedupe", status IN_PROGRESS|COMPLETED,
 * leaseUntil (epoch ms), owner (claim token), expiresAt (epoch s, TTL attribute). Expiry is decided inside the
 * condition expression (TTL deletes late, and not at all in the local emulator), so an expired record is as good
 * as absent. No transactions: each write is a single-item conditional write.
 */
export class DynamoDedupeStore implements DedupeStore, OwnershipStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly options: DynamoDedupeStoreOptions,
  ) {}

  /** A dedupe item: its key, status and holder, kept `retentionDays` from `nowMs`, plus the status's own fields. */
  private item(
    key: string,
    status: 'IN_PROGRESS' | 'OWNED',
    owner: string,
    nowMs: number,
    fields: Record<string, AttributeValue>,
  ): Record<string, AttributeValue> {
    return {
      pk: { S: key },
      sk: { S: SK },
      status: { S: status },
      owner: { S: owner },
      ...fields,
      expiresAt: { N: String(Math.floor(nowMs / 1000) + this.options.retentionDays * 86_400) },
    };
  }

  async claim(key: string, now: Date): Promise<ClaimResult> {
    const token = randomUUID();
    const nowMs = now.getTime();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: this.item(key, 'IN_PROGRESS', token, nowMs, {
            leaseUntil: { N: String(nowMs + this.options.leaseSeconds * 1000) },
          }),
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :nowS OR (#status = :inProgress AND leaseUntil < :nowMs)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':nowS': { N: String(Math.floor(nowMs / 1000)) },
            ':nowMs': { N: String(nowMs) },
            ':inProgress': { S: 'IN_PROGRESS' },
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { status: 'claimed', token };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw new DependencyError('DynamoDB claim failed', 'dynamodb', { cause: error });
      }
      const status = error.Item?.status?.S ?? (await this.readStatus(key));
      if (status === undefined) return this.claim(key, now);
      return status === 'COMPLETED' ? { status: 'duplicate' } : { status: 'in_progress' };
    }
  }

  async complete(key: string, token: string, now: Date): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { pk: { S: key }, sk: { S: SK } },
          UpdateExpression: 'SET #status = :completed, completedAt = :now REMOVE leaseUntil',
          ConditionExpression: '#owner = :token',
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':completed': { S: 'COMPLETED' },
            ':now': { N: String(now.getTime()) },
            ':token': { S: token },
          },
        }),
      );
    } catch (error) {
      // Another worker took the key over after our lease expired; it will complete it. Our side effect already
      // happened and carries the same deterministic id, so nothing is lost or doubled downstream.
      if (error instanceof ConditionalCheckFailedException) return;
      throw new DependencyError('DynamoDB complete failed', 'dynamodb', { cause: error });
    }
  }

  async release(key: string, token: string): Promise<void> {
    await this.deleteHeld(key, token, 'IN_PROGRESS', 'release');
  }

  /** Deletes the key only while `owner` still holds it in `status`; someone else's hold is left alone. */
  private async deleteHeld(key: string, owner: string, status: string, action: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.options.tableName,
          Key: { pk: { S: key }, sk: { S: SK } },
          ConditionExpression: '#owner = :owner AND #status = :status',
          ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
          ExpressionAttributeValues: { ':owner': { S: owner }, ':status': { S: status } },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw new DependencyError(`DynamoDB ${action} failed`, 'dynamodb', { cause: error });
    }
  }

  /**
   * One conditional PutItem: the key is free, expired, already this owner's, or (written by an earlier version of
   * the connector) an IN_PROGRESS claim whose lease ran out. When another delivery owns it, that delivery still
   * counts only while its own claim does (completed, or in progress within its lease): an owner that died before
   * sending and never completed (crashed past its lease, parked, released) would otherwise strand the event. Such a
   * key is taken over, compare-and-swap on the ownership seen; at worst the event is sent again under its
   * deterministic id, which Customer.io drops, exactly as after a crash between sending and completing.
   */
  async own(key: string, owner: string, now: Date): Promise<boolean> {
    const refused = await this.putOwned(key, owner, now);
    if (refused === undefined) return true;
    // DynamoDB returns the item that refused the write (ALL_OLD); an emulator may not: read it then.
    const held = refused.status ? refused : await this.readItem(key);
    if (!held) return this.own(key, owner, now);
    if (held.status?.S !== 'OWNED' || !held.owner?.S || !held.ownedAt?.N) return false;
    if (await this.claimStillCounts(held.owner.S, now)) return false;
    return (
      (await this.putOwned(key, owner, now, { owner: held.owner.S, ownedAt: held.ownedAt.N })) === undefined
    );
  }

  /**
   * Writes the ownership; undefined when written, else the item that refused it. With `replacing`, only over that
   * exact ownership (another writer that moved first wins).
   */
  private async putOwned(
    key: string,
    owner: string,
    now: Date,
    replacing?: { readonly owner: string; readonly ownedAt: string },
  ): Promise<Record<string, AttributeValue> | undefined> {
    const nowMs = now.getTime();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: this.item(key, 'OWNED', owner, nowMs, { ownedAt: { N: String(nowMs) } }),
          ...(replacing
            ? {
                ConditionExpression: '#owner = :held AND ownedAt = :heldAt',
                ExpressionAttributeNames: { '#owner': 'owner' },
                ExpressionAttributeValues: {
                  ':held': { S: replacing.owner },
                  ':heldAt': { N: replacing.ownedAt },
                },
              }
            : {
                ConditionExpression:
                  'attribute_not_exists(pk) OR expiresAt < :nowS OR #owner = :owner OR ' +
                  '(#status = :inProgress AND leaseUntil < :nowMs)',
                ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
                ExpressionAttributeValues: {
                  ':nowS': { N: String(Math.floor(nowMs / 1000)) },
                  ':nowMs': { N: String(nowMs) },
                  ':owner': { S: owner },
                  ':inProgress': { S: 'IN_PROGRESS' },
                },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
              }),
        }),
      );
      return undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return error.Item ?? {};
      throw new DependencyError('DynamoDB ownership write failed', 'dynamodb', { cause: error });
    }
  }

  /** Whether a delivery's own claim stands for work done or still going on: completed, or within its lease. */
  private async claimStillCounts(claimKey: string, now: Date): Promise<boolean> {
    return claimCounts(await this.readItem(claimKey), now);
  }

  async disown(key: string, owner: string): Promise<void> {
    await this.deleteHeld(key, owner, 'OWNED', 'disown');
  }

  private async readStatus(key: string): Promise<string | undefined> {
    return (await this.readItem(key))?.status?.S;
  }

  /** The key's dedupe item, read consistently (what a refused conditional write found, where DynamoDB did not say). */
  private async readItem(key: string): Promise<Record<string, AttributeValue> | undefined> {
    try {
      const out = await this.client.send(
        new GetItemCommand({
          TableName: this.options.tableName,
          Key: { pk: { S: key }, sk: { S: SK } },
          ConsistentRead: true,
        }),
      );
      return out.Item;
    } catch (error) {
      throw new DependencyError('DynamoDB read failed', 'dynamodb', { cause: error });
    }
  }
}

/**
 * Whether a delivery claim item stands for work done or still going on: COMPLETED and not expired, or IN_PROGRESS
 * within its lease. Absent (released, expired) or past its lease (its worker died) does not.
 */
export const claimCounts = (item: Record<string, AttributeValue> | undefined, now: Date): boolean => {
  if (!item) return false;
  if (Number(item.expiresAt?.N ?? Number.POSITIVE_INFINITY) < Math.floor(now.getTime() / 1000)) return false;
  if (item.status?.S === 'COMPLETED') return true;
  return item.status?.S === 'IN_PROGRESS' && Number(item.leaseUntil?.N ?? 0) >= now.getTime();
};
