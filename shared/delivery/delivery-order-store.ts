import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { IdentifyOrdering } from './identify-ordering.js';

/** An identify's ordering key: which history it belongs to. */
export type OrderingKey = Pick<IdentifyOrdering, 'kind' | 'key'>;

/** A claim in progress: its token is released once the send is over, with marks left by crashed senders. */
export interface SendClaim {
  readonly token: string;
  /** Marks older than any send can last, seen at the claim: released with this one, so the set stays small. */
  readonly abandoned: readonly string[];
}

/** What a claim found. */
export interface ClaimResult {
  /** The names whose version was not older than the stored one; they are now recorded as sent. */
  readonly allowed: ReadonlySet<string>;
  /** This claim's token (to release after the send), when anything was allowed and a token was asked for. */
  readonly claim?: SendClaim;
  /** When the other sends of this key still in progress at this claim were claimed (epoch ms). */
  readonly othersInFlightSince: readonly number[];
}

/**
 * Port: the newest version of each ordered name already sent to Customer.io, per ordering key. Used by the deliver
 * worker before it sends an identify, and by the process worker to fence a key whose older identifies must no
 * longer go out (a guest's rollup key once it redirects to the person's).
 */
export interface DeliveryOrderStore {
  /**
   * Records `versions` for every name whose stored version is not newer (an equal one passes, so a retry of the
   * same identify is sent again) and returns those names. With `inFlight`, the claim is also marked as sending
   * until {@link release}, and the other sends still marked are returned.
   */
  claim(
    key: OrderingKey,
    versions: Readonly<Record<string, number>>,
    inFlight?: boolean,
  ): Promise<ClaimResult>;
  /** Ends a claim's sending mark. */
  release(key: OrderingKey, claim: SendClaim): Promise<void>;
  /** Forgets what was sent under a key (a redact removed the history it orders, which starts again at 0). */
  forget(key: OrderingKey): Promise<void>;
}

/** How often a claim that lost a race with a concurrent claim of the same key is recomputed. */
const MAX_ATTEMPTS = 6;
/** Like the per-attribute versions of the process side: far longer than any retry or redrive of an old message. */
const RETENTION_DAYS = 400;
/** Item name prefixes: one item per rollup and per source-person of attributes. */
const PREFIXES: Readonly<Record<OrderingKey['kind'], string>> = {
  rollup: 'rollup-delivered#',
  attributes: 'person-attrs-delivered#',
};

/** A Lambda invocation lasts 15 minutes at most: a sending mark older than that was left by a crash. */
const ABANDONED_AFTER_MS = 15 * 60_000;

const versionAttribute = (name: string): string => `v_${name}`;
/** A sending mark: `<claimed at ms>#<random>`, so its age is readable by the next claim. */
const tokenTime = (token: string): number => Number(token.split('#')[0]);

/**
 * DeliveryOrderStore on the connector table: pk `rollup-delivered#<rollup key>` or
 * `person-attrs-delivered#<version key>`, sk `v`; one number per ordered name (`v_<name>`; a rollup has the one
 * name `rollup`), and `inflight`, a string set of the claims still sending. One conditional UpdateItem per claim
 * (re-read and retried with the names still not older when a concurrent claim moved first), one per release, one
 * DeleteItem per forgotten key.
 */
export class DynamoDeliveryOrderStore implements DeliveryOrderStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async claim(
    key: OrderingKey,
    versions: Readonly<Record<string, number>>,
    inFlight = false,
  ): Promise<ClaimResult> {
    let candidates = Object.keys(versions).filter((name) => Number.isFinite(versions[name]));
    const token = inFlight ? `${this.clock().getTime()}#${randomUUID()}` : undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (candidates.length === 0) return { allowed: new Set(), othersInFlightSince: [] };
      const outcome = await this.write(key, candidates, versions, token);
      if (outcome.written) {
        const now = this.clock().getTime();
        const marks = outcome.item.inflight?.SS ?? [];
        const live = (mark: string) => now - tokenTime(mark) < ABANDONED_AFTER_MS;
        return {
          allowed: new Set(candidates),
          ...(token ? { claim: { token, abandoned: marks.filter((mark) => !live(mark)) } } : {}),
          othersInFlightSince: marks.filter(live).map(tokenTime),
        };
      }
      candidates = candidates.filter((name) => {
        const known = outcome.item[versionAttribute(name)]?.N;
        return known === undefined || Number(known) <= (versions[name] ?? 0);
      });
    }
    throw new DependencyError(
      `delivery order of a person kept changing under ${MAX_ATTEMPTS} attempts; retrying the record`,
      'dynamodb',
    );
  }

  async release(key: OrderingKey, claim: SendClaim): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(key),
          UpdateExpression: 'DELETE inflight :tokens',
          ExpressionAttributeValues: { ':tokens': { SS: [claim.token, ...claim.abandoned] } },
        }),
      );
    } catch (error) {
      throw new DependencyError('DynamoDB delivery order release failed', 'dynamodb', { cause: error });
    }
  }

  async forget(key: OrderingKey): Promise<void> {
    try {
      await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: this.key(key) }));
    } catch (error) {
      throw new DependencyError('DynamoDB delivery order forget failed', 'dynamodb', { cause: error });
    }
  }

  /** The claim's write; on success the item as it was before, else the item as it stands. */
  private async write(
    key: OrderingKey,
    names: readonly string[],
    versions: Readonly<Record<string, number>>,
    token: string | undefined,
  ): Promise<{ written: boolean; item: Record<string, AttributeValue> }> {
    const attributeNames: Record<string, string> = {};
    const values: Record<string, AttributeValue> = {
      ':expiresAt': { N: String(Math.floor(this.clock().getTime() / 1000) + RETENTION_DAYS * 86_400) },
    };
    const sets = ['expiresAt = :expiresAt'];
    const conditions: string[] = [];
    names.forEach((name, i) => {
      attributeNames[`#a${i}`] = versionAttribute(name);
      values[`:v${i}`] = { N: String(versions[name]) };
      sets.push(`#a${i} = :v${i}`);
      conditions.push(`(attribute_not_exists(#a${i}) OR #a${i} <= :v${i})`);
    });
    if (token) values[':token'] = { SS: [token] };
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(key),
          UpdateExpression: `SET ${sets.join(', ')}${token ? ' ADD inflight :token' : ''}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: attributeNames,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true, item: out.Attributes ?? {} };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw new DependencyError('DynamoDB delivery order claim failed', 'dynamodb', { cause: error });
      }
      // DynamoDB returns the item with the failure; emulators may not, so it is read then.
      return { written: false, item: error.Item ?? (await this.read(key)) };
    }
  }

  private async read(key: OrderingKey): Promise<Record<string, AttributeValue>> {
    try {
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: this.key(key), ConsistentRead: true }),
      );
      return out.Item ?? {};
    } catch (error) {
      throw new DependencyError('DynamoDB delivery order read failed', 'dynamodb', { cause: error });
    }
  }

  private key(key: OrderingKey): Record<string, AttributeValue> {
    return { pk: { S: `${PREFIXES[key.kind]}${key.key}` }, sk: { S: 'v' } };
  }
}
