import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter } from '../operations/dead-letter.js';
import type { DlqName } from '../operations/dead-letter-queues.js';
import { receiveAll, release } from '../operations/dlq-walk.js';
import type { Clock } from '../ports/clock.js';
import type { DeadLetterSource, DeadLetterView } from './inspector-sources.js';

/** Settings of the SQS dead-letter source. */
export interface SqsDeadLetterSourceOptions {
  /** Most messages read per DLQ. */
  readonly max: number;
  /** How long one reading is reused (every look adds one receive to each message in the DLQ). */
  readonly cacheMs: number;
  /** How long a message stays hidden while it is read; released at once afterwards. */
  readonly hideSeconds: number;
}

/** Every string and number in a value, lower-cased (ids, emails, tokens), depth-limited. */
const valuesIn = (value: unknown, into: Set<string>, depth = 0): void => {
  if (depth > 12 || value === null || value === undefined) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value).trim().toLowerCase();
    if (text.length >= 3 && text.length <= 320) into.add(text);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 500)) valuesIn(item, into, depth + 1);
    return;
  }
  if (typeof value === 'object') {
    for (const item of Object.values(value as Record<string, unknown>).slice(0, 500))
      valuesIn(item, into, depth + 1);
  }
};

/** The values a dead letter names, to match it to a person. */
export const deadLetterView = (letter: DeadLetter): DeadLetterView => {
  const values = new Set<string>();
  valuesIn([letter.deliveryId, letter.eventId, letter.cartCheck], values);
  if (letter.payload.format === 'json') valuesIn(letter.payload.value, values);
  return { letter, values };
};

/**
 * Reads the connector's DLQs the way the ops CLI does (shared/operations): SQS has no peek, so each message is
 * received with a short hide and released at once; each look adds one to the DLQ copy's receive count, which a
 * redrive ignores. Readings are reused for `cacheMs`, so browsing the inspector does not touch the queues on every
 * page. A DLQ that cannot be read is reported, not hidden.
 */
export class SqsDeadLetterSource implements DeadLetterSource {
  private cached?: { at: number; result: Awaited<ReturnType<DeadLetterSource['read']>> };

  constructor(
    private readonly sqs: SQSClient,
    private readonly dlqs: Readonly<Partial<Record<DlqName, { readonly url: string }>>>,
    private readonly options: SqsDeadLetterSourceOptions,
    private readonly clock: Clock,
  ) {}

  async read(): Promise<Awaited<ReturnType<DeadLetterSource['read']>>> {
    const now = this.clock().getTime();
    if (this.cached && now - this.cached.at < this.options.cacheMs) return this.cached.result;
    const letters: DeadLetterView[] = [];
    const notes: string[] = [];
    for (const [name, queue] of Object.entries(this.dlqs) as [DlqName, { url: string }][]) {
      try {
        const { held } = await receiveAll(this.sqs, queue.url, name, {
          max: this.options.max,
          hideSeconds: this.options.hideSeconds,
        });
        await release(this.sqs, queue.url, held);
        const unique = new Map(held.map((h) => [h.letter.messageId, h.letter]));
        letters.push(...[...unique.values()].map(deadLetterView));
        if (held.length >= this.options.max)
          notes.push(`${name} DLQ: read the first ${this.options.max} messages only.`);
      } catch (error) {
        notes.push(`${name} DLQ could not be read: ${error instanceof Error ? error.name : 'error'}.`);
      }
    }
    const result = { letters, notes };
    this.cached = { at: now, result };
    return result;
  }
}
