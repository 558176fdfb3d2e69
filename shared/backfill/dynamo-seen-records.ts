import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { claimCounts } from '../dedupe/dynamo-dedupe-store.js';
import { DependencyError } from '../errors.js';
import { personVersionItem, recordedVersions } from '../people/person-version-store.js';
import type { TableItemKey } from './source-record.js';

/** Port: what the connector's table says the path has already seen. */
export interface SeenRecords {
  /**
   * The dedupe keys that stand for work done (and not expired): a delivery completed, or a business key owned by a
   * delivery whose claim still counts (it completed, so it sent the output, or it is working on it now).
   */
  completed(keys: readonly string[], now: Date): Promise<Set<string>>;
  /** The items (by `pk`) that exist. */
  present(items: readonly TableItemKey[]): Promise<Set<string>>;
  /**
   * The attribute times recorded per person version key (the stale-update stage's items), for the keys that have
   * any: an identify carries no dedupe key to look up, but what it states is recorded once it went through.
   */
  recordedTimes(personKeys: readonly string[]): Promise<Map<string, Readonly<Record<string, number>>>>;
}

/** BatchGetItem takes at most 100 keys per call. */
const BATCH = 100;
/** Unprocessed keys (throttling) are asked again this many times before the read fails. */
const MAX_ROUNDS = 8;

type Item = Record<string, AttributeValue>;

/**
 * Reads the connector's table with BatchGetItem: dedupe records as DynamoDedupeStore writes them (pk = key,
 * sk = "dedupe"; done when COMPLETED, or OWNED by a delivery whose claim counts, and not expired, since TTL deletes late), the person
 * attribute versions the stale-update stage records, and any other item by its key (a cart). Eventually
 * consistent: a record completed a moment ago may read as not yet and be fed once more, which the process worker
 * turns into a duplicate (its events are owned) or an identical identify.
 */
export class DynamoSeenRecords implements SeenRecords {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async completed(keys: readonly string[], now: Date): Promise<Set<string>> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const items = (
      await this.read(
        [...new Set(keys)].map((key) => ({ pk: key, sk: 'dedupe' })),
        'pk, #status, expiresAt, #owner',
      )
    ).filter((item) => Number(item.expiresAt?.N ?? Number.POSITIVE_INFINITY) >= nowSeconds);
    // An owned key is done only while its owner's delivery claim counts: an owner that died before sending leaves
    // the key to be taken over (DynamoDedupeStore.own), so reconciliation must feed its record again.
    const owners = [
      ...new Set(
        items.flatMap((item) => (item.status?.S === 'OWNED' && item.owner?.S ? [item.owner.S] : [])),
      ),
    ];
    const ownerClaims = new Map(
      (
        await this.read(
          owners.map((owner) => ({ pk: owner, sk: 'dedupe' })),
          'pk, #status, expiresAt, leaseUntil',
        )
      ).map((item) => [item.pk?.S ?? '', item] as const),
    );
    return new Set(
      items
        .filter(
          (item) =>
            item.status?.S === 'COMPLETED' ||
            (item.status?.S === 'OWNED' && claimCounts(ownerClaims.get(item.owner?.S ?? ''), now)),
        )
        .flatMap((item) => (item.pk?.S ? [item.pk.S] : [])),
    );
  }

  async recordedTimes(personKeys: readonly string[]): Promise<Map<string, Readonly<Record<string, number>>>> {
    const keys = [...new Set(personKeys)];
    const byItem = new Map(keys.map((key) => [personVersionItem(key).pk, key]));
    const items = await this.read(keys.map(personVersionItem));
    return new Map(
      items.flatMap((item) => {
        const key = byItem.get(item.pk?.S ?? '');
        return key === undefined ? [] : [[key, recordedVersions(item)] as const];
      }),
    );
  }

  async present(items: readonly TableItemKey[]): Promise<Set<string>> {
    const unique = [...new Map(items.map((item) => [`${item.pk}\u0000${item.sk}`, item])).values()];
    return new Set((await this.read(unique, 'pk')).flatMap((item) => (item.pk?.S ? [item.pk.S] : [])));
  }

  private async read(keys: readonly TableItemKey[], projection?: string): Promise<Item[]> {
    const found: Item[] = [];
    for (let start = 0; start < keys.length; start += BATCH) {
      let pending: Item[] = keys
        .slice(start, start + BATCH)
        .map((k) => ({ pk: { S: k.pk }, sk: { S: k.sk } }));
      for (let round = 1; pending.length > 0; round += 1) {
        if (round > MAX_ROUNDS)
          throw new DependencyError('DynamoDB kept leaving reads unprocessed', 'dynamodb');
        let out: BatchGetItemCommandOutput;
        try {
          out = await this.client.send(
            new BatchGetItemCommand({
              RequestItems: {
                [this.tableName]: {
                  Keys: pending,
                  ...(projection ? { ProjectionExpression: projection } : {}),
                  ...(projection?.includes('#')
                    ? {
                        ExpressionAttributeNames: {
                          '#status': 'status',
                          ...(projection.includes('#owner') ? { '#owner': 'owner' } : {}),
                        },
                      }
                    : {}),
                },
              },
            }),
          );
        } catch (error) {
          throw new DependencyError('DynamoDB read of seen records failed', 'dynamodb', { cause: error });
        }
        found.push(...(out.Responses?.[this.tableName] ?? []));
        pending = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (pending.length > 0) await this.pause(50 * 2 ** round);
      }
    }
    return found;
  }
}
