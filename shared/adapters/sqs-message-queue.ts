import {
  type BatchResultErrorEntry,
  ChangeMessageVisibilityCommand,
  type MessageAttributeValue,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ConfigurationError, DependencyError } from '../errors.js';
import { sqsSafeText } from '../json/sqs-safe-json.js';
import type { MessageQueue, QueueMessage, ReceivedMessage, SourceQueue } from '../ports/message-queue.js';
import { sqsBatches } from './sqs-batches.js';

/** Attributes as SQS takes them, values made SQS-safe (they are read by people: refused characters become U+FFFD). */
const sqsAttributes = (message: QueueMessage): Record<string, MessageAttributeValue> | undefined => {
  const attributes = Object.entries(message.attributes ?? {});
  return attributes.length === 0
    ? undefined
    : Object.fromEntries(
        attributes.map(([k, v]) => [k, { DataType: 'String', StringValue: sqsSafeText(v) }]),
      );
};

/** MessageQueue on Amazon SQS (or a local SQS emulator). Attribute values are made SQS-safe on the way out. */
export class SqsMessageQueue implements MessageQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: QueueMessage): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: message.body,
          MessageAttributes: sqsAttributes(message),
        }),
      );
    } catch (error) {
      throw new DependencyError('SQS SendMessage failed', 'sqs', { cause: error });
    }
  }

  /**
   * SendMessageBatch requests of at most 10 entries and 1 MiB, sent concurrently. Entries SQS reports as failed
   * (a partial success answers 200) are sent once more at once; any still failing make the whole call throw, so
   * the caller retries (messages that went through are sent again then: the outbox's consumers tolerate that).
   */
  async sendBatch(messages: readonly QueueMessage[]): Promise<void> {
    await Promise.all(sqsBatches(messages).map((batch) => this.sendOneBatch(batch, true)));
  }

  private async sendOneBatch(batch: readonly QueueMessage[], retryFailed: boolean): Promise<void> {
    let failed: BatchResultErrorEntry[];
    try {
      const out = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, i) => ({
            Id: String(i),
            MessageBody: message.body,
            MessageAttributes: sqsAttributes(message),
          })),
        }),
      );
      failed = out.Failed ?? [];
    } catch (error) {
      throw new DependencyError('SQS SendMessageBatch failed', 'sqs', { cause: error });
    }
    if (failed.length === 0) return;
    const again = failed.flatMap((f) => {
      const message = batch[Number(f.Id)];
      return message ? [message] : [];
    });
    const senderFault = failed.find((f) => f.SenderFault);
    if (retryFailed && !senderFault && again.length === failed.length) return this.sendOneBatch(again, false);
    const codes = [...new Set(failed.map((f) => f.Code ?? 'unknown'))].join(', ');
    throw new DependencyError(
      `SQS SendMessageBatch refused ${failed.length} of ${batch.length} entries (${codes})`,
      'sqs',
      { cause: entryError(senderFault ?? failed[0]) },
    );
  }
}

/**
 * A failed batch entry as the error SendMessage would have thrown for it (its code as the name, the sender's or the
 * service's fault), so it is classified the same way: a body SQS refuses is permanent, a service fault transient.
 */
const entryError = (entry: BatchResultErrorEntry | undefined): Error =>
  Object.assign(new Error(entry?.Message ?? 'entry refused'), {
    name: entry?.Code ?? 'InternalError',
    $fault: entry?.SenderFault ? 'client' : 'server',
  });

/** A queue that is not configured: sending fails with a ConfigurationError that names the variable to set. */
export class UnconfiguredQueue implements MessageQueue {
  constructor(private readonly variable: string) {}

  async send(): Promise<void> {
    throw new ConfigurationError(`${this.variable} is not set: nowhere to send this message`);
  }

  async sendBatch(): Promise<void> {
    return this.send();
  }
}

/** Domain of SQS endpoints per AWS partition (the SDK sends to the queue URL's host). */
const PARTITION_DOMAINS: Readonly<Record<string, string>> = {
  aws: 'amazonaws.com',
  'aws-us-gov': 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
};

/** `arn:aws:sqs:eu-west-1:123456789012:inbox` → `https://sqs.eu-west-1.amazonaws.com/123456789012/inbox`. */
export const queueUrlFromArn = (arn: string): string | undefined => {
  const [prefix, partition, service, region, account, name] = arn.split(':');
  const domain = partition ? PARTITION_DOMAINS[partition] : undefined;
  if (prefix !== 'arn' || service !== 'sqs' || !domain || !region || !account || !name) return undefined;
  return `https://sqs.${region}.${domain}/${account}/${name}`;
};

/**
 * The queue a worker reads, on SQS: delays a failed message with ChangeMessageVisibility. Its URL is configured
 * (SOURCE_QUEUE_URL) or, when not, derived from the ARN on the record Lambda delivered.
 */
export class SqsSourceQueue implements SourceQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string | undefined,
  ) {}

  async delay(message: ReceivedMessage, seconds: number): Promise<void> {
    const queueUrl = this.queueUrl ?? (message.eventSourceARN && queueUrlFromArn(message.eventSourceARN));
    if (!queueUrl)
      throw new ConfigurationError('SOURCE_QUEUE_URL is not set and the record names no queue ARN');
    try {
      await this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: message.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      throw new DependencyError('SQS ChangeMessageVisibility failed', 'sqs', { cause: error });
    }
  }
}
