import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type DeadLetter, readDeadLetter } from './dead-letter.js';
import type { DlqName } from './dead-letter-queues.js';

/** What GetQueueAttributes says about a queue without receiving anything. */
export interface Depth {
  /** ApproximateNumberOfMessages: waiting, visible. */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible: received and hidden right now (another reader, a move task). */
  readonly inFlight: number;
  /** ApproximateNumberOfMessagesDelayed. */
  readonly delayed: number;
}

/** A received message, still hidden in its DLQ until it is released or deleted. */
export interface Held {
  readonly message: Message;
  readonly letter: DeadLetter;
}

/** The result of reading a DLQ. */
export interface ReadResult {
  readonly held: Held[];
  /** Receives made: each added 1 to that message's ApproximateReceiveCount (duplicates included). */
  readonly receives: number;
}

/** Reads a queue's depth (no receive: no message is touched). */
export const queueDepth = async (sqs: SQSClient, url: string): Promise<Depth> => {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const n = (name: string) => Number(out.Attributes?.[name as keyof typeof out.Attributes] ?? 0);
  return {
    visible: n('ApproximateNumberOfMessages'),
    inFlight: n('ApproximateNumberOfMessagesNotVisible'),
    delayed: n('ApproximateNumberOfMessagesDelayed'),
  };
};

/**
 * Receives up to `max` messages, each hidden for `hideSeconds` so one walk never counts a message twice; the
 * caller releases or deletes them. Long polling (1 s) asks every SQS server, so an empty answer means the queue
 * has nothing more visible. If the caller dies, the messages come back by themselves after `hideSeconds`.
 */
export const receiveAll = async (
  sqs: SQSClient,
  url: string,
  dlq: DlqName,
  options: { readonly max: number; readonly hideSeconds: number },
): Promise<ReadResult> => {
  const held = new Map<string, Held>();
  const extra: Held[] = [];
  let receives = 0;
  while (held.size < options.max) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, options.max - held.size),
        VisibilityTimeout: options.hideSeconds,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const batch = out.Messages ?? [];
    if (batch.length === 0) break;
    receives += batch.length;
    let fresh = 0;
    for (const message of batch) {
      const entry = { message, letter: readDeadLetter(dlq, message) };
      // SQS delivers at least once: a second copy of a message is kept only to be released with the first.
      if (held.has(entry.letter.messageId)) extra.push(entry);
      else {
        held.set(entry.letter.messageId, entry);
        fresh += 1;
      }
    }
    // Only messages read already: the walk outlasted `hideSeconds` and is going round again. Stop rather than
    // receive the same messages over and over (each receive raises their count).
    if (fresh === 0) break;
  }
  return { held: [...held.values(), ...extra], receives };
};

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Makes held messages visible again at once (ChangeMessageVisibility to 0). Returns how many were released. */
export const release = async (sqs: SQSClient, url: string, held: readonly Held[]): Promise<number> => {
  let released = 0;
  for (const batch of chunks(held, 10)) {
    const out = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: batch.map((h, i) => ({
          Id: String(i),
          ReceiptHandle: h.message.ReceiptHandle ?? '',
          VisibilityTimeout: 0,
        })),
      }),
    );
    released += out.Successful?.length ?? 0;
  }
  return released;
};

/** Deletes held messages. Returns the message ids deleted. */
export const remove = async (sqs: SQSClient, url: string, held: readonly Held[]): Promise<Set<string>> => {
  const deleted = new Set<string>();
  for (const batch of chunks(held, 10)) {
    const out = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: batch.map((h, i) => ({ Id: String(i), ReceiptHandle: h.message.ReceiptHandle ?? '' })),
      }),
    );
    for (const ok of out.Successful ?? []) {
      const entry = batch[Number(ok.Id)];
      if (entry) deleted.add(entry.letter.messageId);
    }
  }
  return deleted;
};

/** The reason attributes a worker or the platform added; a redriven copy goes back without them. */
const FAILURE_ATTRIBUTES = new Set([
  'failure_code',
  'failure_reason',
  'failure_class',
  'failed_at',
  'attempts',
  'origin',
]);

/** Sends a copy of a held message to a queue: the same body and any attributes that are not failure reasons. */
export const sendCopy = async (sqs: SQSClient, url: string, held: Held): Promise<void> => {
  const attributes: Record<string, MessageAttributeValue> = Object.fromEntries(
    Object.entries(held.message.MessageAttributes ?? {}).filter(([name]) => !FAILURE_ATTRIBUTES.has(name)),
  );
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: url,
      MessageBody: held.message.Body ?? '',
      ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
    }),
  );
};
