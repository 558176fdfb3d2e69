import { Duration, Validations } from 'aws-cdk-lib';
import { type Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** SQS's largest message: 1 MiB (raised from 256 KiB in 2026; some tooling still defaults to the old size). */
export const MAX_MESSAGE_SIZE_BYTES = 1_048_576;

/** Props of {@link DeadLetterQueue}. */
export interface DeadLetterQueueProps {
  /**
   * How long a dead letter is kept. A standard queue's DLQ keeps each message's original enqueue time, so
   * this must outlast the source queue's retention, or messages expire on arrival.
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly retentionPeriod?: Duration;
  /**
   * Why no SQS queue redrives into this one, when it is the target of something else (a Lambda async destination,
   * EventBridge Scheduler): acknowledges cdk-nag's SQS3 with this reason.
   * @default - the queue is some queue's redrive target
   */
  readonly notARedriveTargetBecause?: string;
}

/** A standard SQS dead-letter queue (SSE, TLS only, 1 MiB messages); its alarm lives with the other alarms. */
export class DeadLetterQueue extends Construct {
  /** The queue. */
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps = {}) {
    super(scope, id);

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
    });
    if (props.notARedriveTargetBecause !== undefined) {
      Validations.of(this.queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: props.notARedriveTargetBecause,
      });
    }
  }

  /** Messages waiting in the queue, the highest count in each minute. */
  metricWaiting(): Metric {
    return this.queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: Stats.MAXIMUM,
    });
  }
}
