import { randomUUID } from 'node:crypto';
import {
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

  async claim(key: string, now: Date): Promise<ClaimResult> {
    const token = randomUUID();
    const nowMs = now.getTime();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            pk: { S: key },
            sk: { S: SK },
            status: { S: 'IN_PROGRESS' },
            owner: { S: token },
            leaseUntil: { N: String(nowMs + this.options.leaseSeconds * 1000) },
            expiresAt: { N: String(Math.floor(nowMs / 1000) + this.options.retentionDays * 86_400) },
          },
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
   * the connector) an IN_PROGRESS claim whose lease ran out.
   */
  async own(key: string, owner: string, now: Date): Promise<boolean> {
    const nowMs = now.getTime();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            pk: { S: key },
            sk: { S: SK },
            status: { S: 'OWNED' },
            owner: { S: owner },
            ownedAt: { N: String(nowMs) },
            expiresAt: { N: String(Math.floor(nowMs / 1000) + this.options.retentionDays * 86_400) },
          },
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
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new DependencyError('DynamoDB ownership write failed', 'dynamodb', { cause: error });
    }
  }

  async disown(key: string, owner: string): Promise<void> {
    await this.deleteHeld(key, owner, 'OWNED', 'disown');
  }

  private async readStatus(key: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(
        new GetItemCommand({
          TableName: this.options.tableName,
          Key: { pk: { S: key }, sk: { S: SK } },
          ConsistentRead: true,
        }),
      );
      return out.Item?.status?.S;
    } catch (error) {
      throw new DependencyError('DynamoDB read failed', 'dynamodb', { cause: error });
    }
  }
}
