import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors.js';
import { type Clock, systemClock } from '../ports/clock.js';

/**
 * Port: the newest source time stated per person and attribute. `advance` records the times of the attributes an
 * update states and returns those it may write: the ones whose time is not older than the stored one (an equal
 * time passes, so a retry is not lost). Attributes stated by a newer update stay untouched.
 */
export interface PersonVersionStore {
  advance(personKey: string, versions: Readonly<Record<string, number>>): Promise<ReadonlySet<string>>;
}

/** How often a write that lost a race with a concurrent update of the same person is recomputed. */
const MAX_ATTEMPTS = 6;
/** Versions must outlive every retry and redrive of an old update (platform retries, 14-day DLQs) by far. */
const RETENTION_DAYS = 400;

/** Stored attribute name of an attribute's version (attribute names are snake_case schema keys). */
const versionAttribute = (name: string): string => `v_${name}`;

/** The item a person's attribute versions are kept in. */
export const personVersionItem = (personKey: string): { readonly pk: string; readonly sk: string } => ({
  pk: `person-attrs#${personKey}`,
  sk: 'v',
});

/** The attribute times a stored person-version item holds (epoch ms by attribute name). */
export const recordedVersions = (item: Readonly<Record<string, AttributeValue>>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(item).flatMap(([name, value]) =>
      name.startsWith('v_') && value.N !== undefined ? [[name.slice(2), Number(value.N)]] : [],
    ),
  );

/**
 * PersonVersionStore on one item per person: pk `person-attrs#<key>`, sk `v`, one number per attribute (`v_<name>`,
 * epoch milliseconds). One conditional UpdateItem per update: every attribute it writes must not be newer in the
 * item. When the condition fails (an attribute is newer, or a concurrent delivery of the same person wrote first),
 * the item is read again and only the attributes that are still not older are written. No transaction needed: each
 * version only ever grows, so an attribute that lost stays lost.
 */
export class DynamoPersonVersionStore implements PersonVersionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async advance(personKey: string, versions: Readonly<Record<string, number>>): Promise<ReadonlySet<string>> {
    let candidates = Object.keys(versions).filter((name) => Number.isFinite(versions[name]));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (candidates.length === 0) return new Set();
      const stored = await this.write(personKey, candidates, versions);
      if (stored === undefined) return new Set(candidates);
      const still = candidates.filter((name) => {
        const known = stored[versionAttribute(name)]?.N;
        return known === undefined || Number(known) <= (versions[name] ?? 0);
      });
      // Unchanged candidates after a failed condition: a concurrent writer moved in between; read again.
      candidates = still;
    }
    throw new DependencyError(
      `person attribute versions kept changing under ${MAX_ATTEMPTS} attempts; retrying the record`,
      'dynamodb',
    );
  }

  /** Writes the candidates' versions; undefined on success, else the item as it stands (the condition failed). */
  private async write(
    personKey: string,
    names: readonly string[],
    versions: Readonly<Record<string, number>>,
  ): Promise<Record<string, AttributeValue> | undefined> {
    const attributeNames: Record<string, string> = {};
    const values: Record<string, AttributeValue> = {
      ':expiresAt': { N: String(Math.floor(this.clock().getTime() / 1000) + RETENTION_DAYS * 86_400) },
    };
    const sets: string[] = ['expiresAt = :expiresAt'];
    const conditions: string[] = [];
    names.forEach((name, i) => {
      attributeNames[`#a${i}`] = versionAttribute(name);
      values[`:v${i}`] = { N: String(versions[name]) };
      sets.push(`#a${i} = :v${i}`);
      conditions.push(`(attribute_not_exists(#a${i}) OR #a${i} <= :v${i})`);
    });
    const item = personVersionItem(personKey);
    const key = { pk: { S: item.pk }, sk: { S: item.sk } };
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: attributeNames,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw new DependencyError('DynamoDB person version write failed', 'dynamodb', { cause: error });
      }
      return error.Item ?? (await this.read(key));
    }
  }

  private async read(key: Record<string, AttributeValue>): Promise<Record<string, AttributeValue>> {
    try {
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      return out.Item ?? {};
    } catch (error) {
      throw new DependencyError('DynamoDB person version read failed', 'dynamodb', { cause: error });
    }
  }
}
