import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ConnectorFunction } from './connector-function.js';
import { DeadLetterQueue, MAX_MESSAGE_SIZE_BYTES } from './dead-letter-queue.js';

/**
 * AWS asks for a visibility timeout of at least six function timeouts: a batch that Lambda could not start
 * (throttling) is retried for as long as the message stays invisible, and each failed try counts a receive.
 */
const VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT = 6;

/** Props of {@link QueueWithDlq}. */
export interface QueueWithDlqProps {
  /** What the queue carries, for the DLQ alarm description. */
  readonly description: string;
  /** Timeout of the function that will consume the queue; the visibility timeout is six times this. */
  readonly consumerTimeout: Duration;
  /**
   * Receives before a message is moved to the DLQ. Five tries ride out a short outage of a downstream service
   * without parking a message that will never succeed for long.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /** @default Duration.days(4) */
  readonly retentionPeriod?: Duration;
}

/** How a Lambda consumes a {@link QueueWithDlq}. */
export interface QueueConsumerOptions {
  /** Records per invocation (1–10 without a batching window). */
  readonly batchSize: number;
  /** Most concurrent invocations this queue may drive (2–1000). */
  readonly maxConcurrency: number;
}

/** A standard SQS queue with its dead-letter queue, consumed by one Lambda that reports partial batch failures. */
export class QueueWithDlq extends Construct {
  /** The source queue. */
  readonly queue: Queue;
  /** Where messages go after `maxReceiveCount` failed receives. */
  readonly deadLetterQueue: DeadLetterQueue;
  private readonly consumerTimeout: Duration;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    this.consumerTimeout = props.consumerTimeout;

    this.deadLetterQueue = new DeadLetterQueue(this, 'Dlq', {
      description: `${id} messages (${props.description}) failed every retry or were parked as unprocessable.`,
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      visibilityTimeout: Duration.seconds(
        props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT,
      ),
      deadLetterQueue: { queue: this.deadLetterQueue.queue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
  }

  /** Subscribes the function with `reportBatchItemFailures`, so one bad record does not retry its whole batch. */
  addConsumer(consumer: ConnectorFunction, options: QueueConsumerOptions): void {
    const timeout = consumer.lambdaFunction.timeout;
    if (timeout === undefined || timeout.toSeconds() > this.consumerTimeout.toSeconds()) {
      throw new Error(
        `${this.node.path}: the consumer's timeout must not exceed consumerTimeout (${this.consumerTimeout.toHumanString()}), ` +
          'which the visibility timeout is derived from',
      );
    }
    consumer.lambdaFunction.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: options.batchSize,
        maxConcurrency: options.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }
}
