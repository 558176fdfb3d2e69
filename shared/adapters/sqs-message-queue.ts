import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DependencyError } from '../errors.js';
import type { MessageQueue, QueueMessage } from '../ports/message-queue.js';

/** MessageQueue on Amazon SQS (or a local SQS emulator). */
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
              : Object.fromEntries(attributes.map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
        }),
      );
    } catch (error) {
      throw new DependencyError('SQS SendMessage failed', 'sqs', { cause: error });
    }
  }
}
