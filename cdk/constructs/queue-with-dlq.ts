import { Duration } from 'aws-cdk-lib';
import { type Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ConnectorFunction } from './connector-function.js';
import { DeadLetterQueue, MAX_MESSAGE_SIZE_BYTES } from './dead-letter-queue.js';
import { backstopReceiveCount, budgetSeconds, type RetryBudget } from './retry-budget.js';

/**
 * AWS asks for a visibility timeout of at least six function timeouts: a batch that Lambda could not start
 * (throttling) is retried for as long as the message stays invisible, and each failed try counts a receive.
 */
const VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT = 6;

/** Props of {@link QueueWithDlq}. */
export interface QueueWithDlqProps {
  /** Timeout of the function that will consume the queue; the visibility timeout is six times this. */
  readonly consumerTimeout: Duration;
  /** The consumer's retry budget; the redrive `maxReceiveCount` is its attempts plus a backstop of three. */
  readonly retryBudget: RetryBudget;
  /** @default Duration.days(4) */
  readonly retentionPeriod?: Duration;
  /** @default Duration.days(14) */
  readonly deadLetterRetentionPeriod?: Duration;
}

/** How a Lambda consumes a {@link QueueWithDlq}. */
export interface QueueConsumerOptions {
  /** Records per invocation (1–10 without a batching window). */
  readonly batchSize: number;
  /** Most concurrent invocations this queue may drive (2–1000). */
  readonly maxConcurrency: number;
}

/** The variables a consumer needs to back records off and park them (CONTRACTS.md "Retry budget"). */
export interface RetryEnvironment {
  readonly MAX_ATTEMPTS: string;
  readonly RETRY_BASE_SECONDS: string;
  readonly RETRY_MAX_SECONDS: string;
  readonly SOURCE_QUEUE_URL: string;
}

/**
 * A standard SQS queue with its dead-letter queue, consumed by one Lambda that reports partial batch failures,
 * backs failed records off itself and parks what cannot succeed in the DLQ with a reason.
 */
export class QueueWithDlq extends Construct {
  /** The source queue. */
  readonly queue: Queue;
  /** Where the consumer parks records, and where SQS moves them after the backstop receive count. */
  readonly deadLetterQueue: DeadLetterQueue;
  /** What the consumer's environment needs for its retry budget. */
  readonly retryEnvironment: RetryEnvironment;
  private readonly consumerTimeout: Duration;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    this.consumerTimeout = props.consumerTimeout;
    const retention = props.retentionPeriod ?? Duration.days(4);
    if (retention.toSeconds() <= budgetSeconds(props.retryBudget)) {
      throw new Error(`${this.node.path}: the queue's retention must outlast the retry budget`);
    }

    this.deadLetterQueue = new DeadLetterQueue(this, 'Dlq', {
      retentionPeriod: props.deadLetterRetentionPeriod,
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
      retentionPeriod: retention,
      visibilityTimeout: Duration.seconds(
        props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT,
      ),
      deadLetterQueue: {
        queue: this.deadLetterQueue.queue,
        maxReceiveCount: backstopReceiveCount(props.retryBudget),
      },
    });

    this.retryEnvironment = {
      MAX_ATTEMPTS: String(props.retryBudget.maxAttempts),
      RETRY_BASE_SECONDS: String(props.retryBudget.baseSeconds),
      RETRY_MAX_SECONDS: String(props.retryBudget.maxSeconds),
      SOURCE_QUEUE_URL: this.queue.queueUrl,
    };
  }

  /**
   * Subscribes the function with `reportBatchItemFailures`, so one bad record does not retry its whole batch. The
   * event source grants receive, delete and ChangeMessageVisibility (the worker's backoff) on this queue only; the
   * consumer may also send to this queue's DLQ, where it parks records.
   */
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
    this.deadLetterQueue.queue.grantSendMessages(consumer);
  }

  /** Age of the oldest message, the highest in each minute. */
  metricOldestAge(): Metric {
    return this.queue.metricApproximateAgeOfOldestMessage({
      period: Duration.minutes(1),
      statistic: Stats.MAXIMUM,
    });
  }
}
