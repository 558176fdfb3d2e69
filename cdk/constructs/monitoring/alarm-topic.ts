import { Annotations, Validations } from 'aws-cdk-lib';
import { Alarm, type ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Sections of docs/runbook.md an alarm can point to (CONTRACTS.md "Runbook anchors"). */
export const ALARM_RUNBOOK_ANCHORS = [
  'dlq-inbox',
  'dlq-outbox',
  'dlq-cart-check',
  'dlq-scheduler',
  'queue-age',
  'lambda-errors',
  'lambda-throttles',
  'ingest-5xx',
  'signature-rejections',
  'customerio-auth',
  'customerio-failures',
  'cart-check-failures',
  'schedule-failures',
  'dynamodb-throttling',
  'reconciliation-missing',
  'webhook-subscriptions',
  'reconciliation-failures',
] as const;
type RunbookAnchor = (typeof ALARM_RUNBOOK_ANCHORS)[number];

/** Props of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** Subscribe this address (AWS sends a confirmation email first). @default - no subscription */
  readonly email?: string;
  /** Notify this existing topic (e.g. a chat integration's) instead of creating one. @default - a new topic */
  readonly existingTopicArn?: string;
  /** The runbook alarm descriptions link to, e.g. `docs/runbook.md` or your fork's URL of it. */
  readonly runbookUrl: string;
}

/** One alarm: what it watches, when it fires, and which runbook section explains it. */
export interface RunbookAlarmProps {
  /** One or two sentences for the on-call: what broke, in their words. */
  readonly summary: string;
  /** The runbook section that says what to do. */
  readonly runbook: RunbookAnchor;
  readonly metric: IMetric;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  /** Periods looked at. */
  readonly evaluationPeriods: number;
  /** Of those, how many must breach. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /**
   * Idle queues and counters that were never counted publish nothing; for every alarm here silence is health.
   * @default TreatMissingData.NOT_BREACHING
   */
  readonly treatMissingData?: TreatMissingData;
}

/**
 * The one SNS topic every alarm notifies, on ALARM and again on OK, with an optional email subscription. Alarms are
 * made through {@link alarm}, so none can miss its actions or its runbook link.
 */
export class AlarmTopic extends Construct {
  /** The topic. */
  readonly topic: ITopic;
  /** Every alarm made through this topic, in creation order. */
  readonly alarms: Alarm[] = [];
  private readonly runbookUrl: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.runbookUrl = props.runbookUrl;

    if (props.existingTopicArn !== undefined) {
      this.topic = Topic.fromTopicArn(this, 'Topic', props.existingTopicArn);
    } else {
      const topic = new Topic(this, 'Topic', { displayName: 'Commerce connector alarms', enforceSSL: true });
      Validations.of(topic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'The topic carries alarm state changes only (alarm name, metric, threshold), no customer data. Encrypting ' +
          'it would need a customer-managed KMS key whose policy admits CloudWatch (the AWS-managed SNS key does not).',
      });
      this.topic = topic;
    }
    if (props.email !== undefined) this.topic.addSubscription(new EmailSubscription(props.email));
    // Shown by `cdk synth` and `cdk deploy`: a topic nobody subscribes to pages nobody.
    if (props.email === undefined && props.existingTopicArn === undefined) {
      Annotations.of(this).addWarningV2(
        'connector:alarms-unsubscribed',
        'The alarms notify a topic nobody is subscribed to: set alarms.email (or alarms.topicArn) in ' +
          'connector.config.json, or subscribe to the AlarmTopicArn output, so a dead letter pages someone.',
      );
    }
    if (!/^https?:\/\//.test(props.runbookUrl)) {
      Annotations.of(this).addWarningV2(
        'connector:runbook-not-a-link',
        `Alarm descriptions name the runbook as "${props.runbookUrl}", which is not a link in an alarm email: set ` +
          'alarms.runbookUrl to the runbook in your fork (https://…/docs/runbook.md).',
      );
    }
    this.action = new SnsAction(this.topic);
  }

  /** An alarm that notifies the topic on ALARM and on OK, its description naming its runbook section. */
  alarm(scope: Construct, id: string, props: RunbookAlarmProps): Alarm {
    const alarm = new Alarm(scope, id, {
      alarmDescription: `${props.summary} Runbook: ${this.runbookUrl}#${props.runbook}`,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: props.comparisonOperator,
      evaluationPeriods: props.evaluationPeriods,
      datapointsToAlarm: props.datapointsToAlarm,
      treatMissingData: props.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
