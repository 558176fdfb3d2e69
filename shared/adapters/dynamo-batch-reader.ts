import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DependencyError } from '../errors.js';
import { classifyAwsError, isAwsServiceError } from '../failures/aws-failure.js';

/** An item as DynamoDB returns it. */
type Item = Record<string, AttributeValue>;

/** BatchGetItem takes at most 100 keys per request. */
const MAX_KEYS = 100;
/** Rounds of asking again for keys DynamoDB left unprocessed (it does so under load), with a short backoff. */
const UNPROCESSED_ROUNDS = 4;

interface Pending {
  readonly pk: string;
  readonly sk: string;
  readonly resolve: (item: Item | undefined) => void;
  readonly reject: (error: unknown) => void;
}

const keyOf = (pk: string, sk: string): string => `${pk}\u0000${sk}`;

/**
 * Strongly consistent single-item reads of one table, coalesced: every `get` made in the same turn of the event
 * loop goes out in one BatchGetItem (up to 100 keys), so a stage that asks for several items at once pays one round
 * trip and one request instead of one per item. The same read-unit cost as GetItem. Keys DynamoDB leaves
 * unprocessed are asked again; a read that still gets no answer fails (a missing answer must not read as "absent").
 * A request DynamoDB refuses outright is asked again key by key, so a bad key fails only its own reads.
 */
export class DynamoBatchReader {
  private queue: Pending[] = [];

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** The item with this key, or undefined when there is none. */
  get(pk: string, sk: string): Promise<Item | undefined> {
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => void this.flush());
      this.queue.push({ pk, sk, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const waiting = new Map<string, Pending[]>();
    for (const pending of batch) {
      const key = keyOf(pending.pk, pending.sk);
      waiting.set(key, [...(waiting.get(key) ?? []), pending]);
    }
    const keys = [...waiting.values()].map(([first]) => ({ pk: first?.pk ?? '', sk: first?.sk ?? '' }));
    await Promise.all(
      Array.from({ length: Math.ceil(keys.length / MAX_KEYS) }, (_, i) =>
        this.fetch(keys.slice(i * MAX_KEYS, (i + 1) * MAX_KEYS), waiting),
      ),
    );
  }

  private async fetch(keys: readonly { pk: string; sk: string }[], waiting: Map<string, Pending[]>) {
    const settle = (key: string, outcome: (p: Pending) => void) => {
      for (const pending of waiting.get(key) ?? []) outcome(pending);
    };
    let left = keys;
    try {
      for (let round = 0; left.length > 0; round += 1) {
        if (round === UNPROCESSED_ROUNDS) {
          throw new Error(`${left.length} keys left unprocessed after ${UNPROCESSED_ROUNDS} rounds`);
        }
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
        const out = await this.client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [this.tableName]: {
                Keys: left.map(({ pk, sk }) => ({ pk: { S: pk }, sk: { S: sk } })),
                ConsistentRead: true,
              },
            },
          }),
        );
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const key = keyOf(item.pk?.S ?? '', item.sk?.S ?? '');
          settle(key, (p) => p.resolve(item));
          waiting.delete(key);
        }
        const unprocessed = new Set(
          (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []).map((k) => keyOf(k.pk?.S ?? '', k.sk?.S ?? '')),
        );
        for (const { pk, sk } of left) {
          const key = keyOf(pk, sk);
          if (!unprocessed.has(key) && waiting.has(key)) {
            settle(key, (p) => p.resolve(undefined));
            waiting.delete(key);
          }
        }
        left = left.filter(({ pk, sk }) => unprocessed.has(keyOf(pk, sk)));
      }
    } catch (error) {
      if (left.length > 1 && isAwsServiceError(error) && classifyAwsError(error).class === 'permanent') {
        // DynamoDB refuses a whole request for one bad key (one over its size limit), and the keys may be reads of
        // different records: each key is asked alone, so only the reads of the refused one fail.
        await Promise.all(left.map((key) => this.fetch([key], waiting)));
        return;
      }
      const failure = new DependencyError('DynamoDB batch read failed', 'dynamodb', { cause: error });
      for (const { pk, sk } of left) settle(keyOf(pk, sk), (p) => p.reject(failure));
    }
  }
}
