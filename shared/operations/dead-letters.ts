import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** A dead-lettered message as the on-call engineer sees it: no body contents beyond its routing facts. */
export interface DeadLetter {
  readonly messageId: string;
  readonly receiveCount: number;
  readonly sentAt: string | undefined;
  /** Set when the process worker parked it on purpose (invalid payload); absent when retries ran out. */
  readonly failureCode: string | undefined;
  readonly failureReason: string | undefined;
  /** Routing facts read from the envelope or outbox message: never payload contents or personal data. */
  readonly summary: string;
  readonly body: string;
}

const summarize = (body: string): string => {
  try {
    const value = JSON.parse(body) as Record<string, unknown>;
    if (value.version === 1 && typeof value.source === 'string') {
      return `${value.source} ${String(value.topic)} shop=${String(value.shop)} delivery=${String(value.deliveryId)}`;
    }
    if (value.type === 'event' && typeof value.event === 'object' && value.event !== null) {
      const event = value.event as Record<string, unknown>;
      return `event "${String(event.name)}" key=${String(event.dedupe_key)}`;
    }
    if (typeof value.type === 'string') return `${value.type} message`;
    return 'unrecognised JSON message';
  } catch {
    return 'non-JSON message';
  }
};

const toDeadLetter = (m: Message): DeadLetter => ({
  messageId: m.MessageId ?? '',
  receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
  sentAt: m.Attributes?.SentTimestamp
    ? new Date(Number(m.Attributes.SentTimestamp)).toISOString()
    : undefined,
  failureCode: m.MessageAttributes?.failure_code?.StringValue,
  failureReason: m.MessageAttributes?.failure_reason?.StringValue,
  summary: summarize(m.Body ?? ''),
  body: m.Body ?? '',
});

/**
 * Lists up to `limit` dead letters without consuming them: each receive uses a visibility timeout of 0, so the
 * messages stay in the DLQ for the next look or a redrive.
 */
export const peekDeadLetters = async (sqs: SQSClient, dlqUrl: string, limit = 10): Promise<DeadLetter[]> => {
  const seen = new Map<string, DeadLetter>();
  for (let attempt = 0; attempt < 5 && seen.size < limit; attempt += 1) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, limit),
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const batch = out.Messages ?? [];
    if (batch.length === 0) break;
    for (const m of batch) if (m.MessageId && !seen.has(m.MessageId)) seen.set(m.MessageId, toDeadLetter(m));
  }
  return [...seen.values()].slice(0, limit);
};

/**
 * Moves up to `max` messages from a DLQ back to their source queue: send first, then delete, so a crash in
 * between duplicates (harmless: the workers deduplicate) rather than loses. The redriven copies get new SQS
 * message ids, which is why the workers never key on them. Returns how many were moved.
 */
export const redriveDeadLetters = async (
  sqs: SQSClient,
  dlqUrl: string,
  sourceUrl: string,
  max = 100,
): Promise<number> => {
  let moved = 0;
  while (moved < max) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, max - moved),
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
      }),
    );
    const batch = out.Messages ?? [];
    if (batch.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: sourceUrl,
        Entries: batch.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const toDelete = batch.filter((_, i) => ok.has(String(i)));
    if (toDelete.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: dlqUrl,
          Entries: toDelete.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
    moved += toDelete.length;
    if (toDelete.length < batch.length) break;
  }
  return moved;
};
