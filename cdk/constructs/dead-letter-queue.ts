import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** SQS's largest message: 1 MiB (raised from 256 KiB in 2026; some tooling still defaults to the old size). */
export const MAX_MESSAGE_SIZE_BYTES = 1_048_576;

/** Props of {@link DeadLetterQueue}. */
export interface DeadLetterQueueProps {
  /** What lands here, for the alarm description. */
  readonly description: string;
  /**
   * How long a dead letter is kept. A standard queue's DLQ keeps each message's original enqueue time, so
   * this must outlast the source queue's retention, or messages expire on arrival.
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly retentionPeriod?: Duration;
}

/** A standard SQS dead-letter queue (SSE, TLS only, 1 MiB messages) with an alarm on its first message. */
export class DeadLetterQueue extends Construct {
  /** The queue. */
  readonly queue: Queue;
  /** In alarm while any message is waiting in the queue. */
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
    });

    this.alarm = new Alarm(this, 'Alarm', {
      alarmDescription: `${props.description} Inspect, fix, then redrive.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // SQS stops publishing metrics for idle queues; an idle DLQ is a healthy one.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
