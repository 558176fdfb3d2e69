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
import type { LeaseHeld, LeaseTaken, RunStateStore, VersionedState } from './run-state-store.js';

const LEASE_SK = 'lease';
const STATE_SK = 'state';
const leasePk = (name: string) => `run-lease#${name}`;
const statePk = (name: string) => `run-state#${name}`;

const failed = (what: string, error: unknown) =>
  new DependencyError(`DynamoDB ${what} failed`, 'dynamodb', { cause: error });

/**
 * RunStateStore on the connector's table, single-item conditional writes only. Lease: pk `run-lease#<name>`, sk
 * `lease`, holder, token, leaseUntil (epoch ms) and expiresAt (TTL). State: pk `run-state#<name>`, sk `state`,
 * version, state (JSON), updatedAt, and expiresAt when the state is temporary (a finished checkpoint).
 */
export class DynamoRunStateStore implements RunStateStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async acquire(name: string, holder: string, ttlMs: number, now: Date): Promise<LeaseTaken | LeaseHeld> {
    const token = randomUUID();
    const until = now.getTime() + ttlMs;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: leasePk(name) },
            sk: { S: LEASE_SK },
            holder: { S: holder },
            token: { S: token },
            leaseUntil: { N: String(until) },
            expiresAt: { N: String(Math.floor(until / 1000) + 86_400) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now',
          ExpressionAttributeValues: { ':now': { N: String(now.getTime()) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { ok: true, token };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw failed('lease', error);
      // DynamoDB returns the holder's item with the failure; an emulator may not, so it is read then.
      const item = error.Item ?? (await this.readLease(name));
      return {
        ok: false,
        holder: item?.holder?.S ?? 'another run',
        until: new Date(Number(item?.leaseUntil?.N ?? now.getTime())),
      };
    }
  }

  private async readLease(name: string) {
    try {
      const out = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: leasePk(name) }, sk: { S: LEASE_SK } },
          ConsistentRead: true,
        }),
      );
      return out.Item;
    } catch (error) {
      throw failed('lease read', error);
    }
  }

  async renew(name: string, token: string, ttlMs: number, now: Date): Promise<boolean> {
    const until = now.getTime() + ttlMs;
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: leasePk(name) }, sk: { S: LEASE_SK } },
          UpdateExpression: 'SET leaseUntil = :until, expiresAt = :expires',
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: {
            ':until': { N: String(until) },
            ':expires': { N: String(Math.floor(until / 1000) + 86_400) },
            ':token': { S: token },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw failed('lease renewal', error);
    }
  }

  async release(name: string, token: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: leasePk(name) }, sk: { S: LEASE_SK } },
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': { S: token } },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw failed('lease release', error);
    }
  }

  async read(name: string): Promise<VersionedState | undefined> {
    try {
      const out = await this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: statePk(name) }, sk: { S: STATE_SK } },
          ConsistentRead: true,
        }),
      );
      const item = out.Item;
      if (!item?.state?.S) return undefined;
      return { version: Number(item.version?.N ?? 0), state: JSON.parse(item.state.S) as unknown };
    } catch (error) {
      throw failed('state read', error);
    }
  }

  async write(name: string, state: unknown, expected: number, now: Date, ttlDays?: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: { S: statePk(name) },
            sk: { S: STATE_SK },
            version: { N: String(expected + 1) },
            state: { S: JSON.stringify(state) },
            updatedAt: { S: now.toISOString() },
            ...(ttlDays
              ? { expiresAt: { N: String(Math.floor(now.getTime() / 1000) + ttlDays * 86_400) } }
              : {}),
          },
          ConditionExpression: expected === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
          ...(expected === 0 ? {} : { ExpressionAttributeValues: { ':expected': { N: String(expected) } } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw failed('state write', error);
    }
  }
}
