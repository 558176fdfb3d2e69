import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors.js';
import type { TableItemKey } from './source-record.js';

/** Port: what the connector's table says the path has already seen. */
export interface SeenRecords {
  /** The dedupe keys that stand for work completed (and not expired). */
  completed(keys: readonly string[], now: Date): Promise<Set<string>>;
  /** The items (by `pk`) that exist. */
  present(items: readonly TableItemKey[]): Promise<Set<string>>;
}

/** BatchGetItem takes at most 100 keys per call. */
const BATCH = 100;
/** Unprocessed keys (throttling) are asked again this many times before the read fails. */
const MAX_ROUNDS = 8;

type Item = Record<string, AttributeValue>;

/**
 * Reads the connector's table with BatchGetItem: dedupe records as DynamoDedupeStore writes them (pk = key,
 * sk = "dedupe"; completed when status is COMPLETED and not expired, since TTL deletes late) and any other item
 * by its key (a cart). Eventually consistent: a record completed a moment ago may read as not yet and be fed once
 * more, which the process worker's own claims turn into a duplicate.
 */
export class DynamoSeenRecords implements SeenRecords {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async completed(keys: readonly string[], now: Date): Promise<Set<string>> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const items = await this.read(
      [...new Set(keys)].map((key) => ({ pk: key, sk: 'dedupe' })),
      'pk, #status, expiresAt',
    );
    return new Set(
      items
        .filter((item) => item.status?.S === 'COMPLETED')
        .filter((item) => Number(item.expiresAt?.N ?? Number.POSITIVE_INFINITY) >= nowSeconds)
        .flatMap((item) => (item.pk?.S ? [item.pk.S] : [])),
    );
  }

  async present(items: readonly TableItemKey[]): Promise<Set<string>> {
    const unique = [...new Map(items.map((item) => [`${item.pk}\u0000${item.sk}`, item])).values()];
    return new Set((await this.read(unique, 'pk')).flatMap((item) => (item.pk?.S ? [item.pk.S] : [])));
  }

  private async read(keys: readonly TableItemKey[], projection: string): Promise<Item[]> {
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
                  ProjectionExpression: projection,
                  ...(projection.includes('#status')
                    ? { ExpressionAttributeNames: { '#status': 'status' } }
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
