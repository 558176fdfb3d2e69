import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ConfigurationError, DependencyError } from '../errors.js';
import { sqsSafeText } from '../json/sqs-safe-json.js';
import type { MessageQueue, QueueMessage, ReceivedMessage, SourceQueue } from '../ports/message-queue.js';

/** MessageQueue on Amazon SQS (or a local SQS emulator). Attribute values are made SQS-safe on the way out. */
export class SqsMessageQueue implements MessageQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: QueueMessage): Promise<void> {
    const attributes = Object.entries(message.attributes ?? {});
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: message.body,
          MessageAttributes:
            attributes.length === 0
              ? undefined
              : Object.fromEntries(
                  attributes.map(([k, v]) => [k, { DataType: 'String', StringValue: sqsSafeText(v) }]),
                ),
        }),
      );
    } catch (error) {
      throw new DependencyError('SQS SendMessage failed', 'sqs', { cause: error });
    }
  }
}

/** A queue that is not configured: sending fails with a ConfigurationError that names the variable to set. */
export class UnconfiguredQueue implements MessageQueue {
  constructor(private readonly variable: string) {}

  async send(): Promise<void> {
    throw new ConfigurationError(`${this.variable} is not set: nowhere to send this message`);
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
