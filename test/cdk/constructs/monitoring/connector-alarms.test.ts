import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { describe, expect, it } from 'vitest';
import { ALARM_RUNBOOK_ANCHORS, AlarmTopic } from '../../../../cdk/constructs/monitoring/alarm-topic.js';
import { buildConnectorStack } from '../../helpers/connector-stacks.js';
import { createTestApp, nagFindings } from '../../helpers/test-app.js';

// Every alarm's section, and the incident sections the runbook also promises (CONTRACTS.md "Runbook anchors").
const RUNBOOK_ANCHORS = [
  ...ALARM_RUNBOOK_ANCHORS,
  'poison-payloads',
  'redact-request',
  'backlog',
  'rotated-secret',
];

const { template } = buildConnectorStack('prod');
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
const anchorOf = (alarm: (typeof alarms)[number]): string =>
  /docs\/runbook\.md#([a-z0-9-]+)$/.exec(alarm.Properties.AlarmDescription)?.[1] ?? 'none';
const byAnchor = (anchor: string) => alarms.filter((alarm) => anchorOf(alarm) === anchor);
/** The metric names an alarm reads, directly or inside its metric math. */
const metricNamesOf = (alarm: (typeof alarms)[number]): string[] =>
  alarm.Properties.MetricName !== undefined
    ? [alarm.Properties.MetricName]
    : alarm.Properties.Metrics.flatMap(
        (query: { MetricStat?: { Metric: { MetricName: string } } }) =>
          query.MetricStat?.Metric.MetricName ?? [],
      );

describe('ConnectorAlarms', () => {
  it('notifies the one alarm topic on ALARM and on OK from every alarm', () => {
    // Assess
    // 21 of the pipeline, 4 of reconciliation (cdk/constructs/reconciliation.ts).
    expect(alarms).toHaveLength(25);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('names a runbook section of CONTRACTS.md in every description', () => {
    // Assess
    for (const alarm of alarms) {
      expect(RUNBOOK_ANCHORS, alarm.Properties.AlarmDescription).toContain(anchorOf(alarm));
    }
  });

  it('alarms on the first message in each of the four DLQs', () => {
    // Assess
    for (const anchor of ['dlq-inbox', 'dlq-outbox', 'dlq-cart-check', 'dlq-scheduler']) {
      expect(
        byAnchor(anchor).map((alarm) => alarm.Properties),
        anchor,
      ).toEqual([
        expect.objectContaining({
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Statistic: 'Maximum',
          Period: 60,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        }),
      ]);
    }
  });

  it('alarms when the oldest inbox or outbox message reaches 10 minutes, held 3 minutes', () => {
    // Assess
    expect(byAnchor('queue-age').map((alarm) => alarm.Properties)).toEqual([
      expect.objectContaining({
        MetricName: 'ApproximateAgeOfOldestMessage',
        Threshold: 600,
        EvaluationPeriods: 3,
      }),
      expect.objectContaining({
        MetricName: 'ApproximateAgeOfOldestMessage',
        Threshold: 600,
        EvaluationPeriods: 3,
      }),
    ]);
  });

  it('alarms on errors and throttles of each of the four functions, and on ingest 5xx', () => {
    // Assess (reconcile's errors alarm is the fifth: cdk/constructs/reconciliation.ts)
    expect(byAnchor('lambda-errors').map(metricNamesOf)).toEqual(Array(5).fill(['Errors']));
    expect(byAnchor('lambda-throttles').map(metricNamesOf)).toEqual(Array(4).fill(['Throttles']));
    expect(byAnchor('ingest-5xx').map((alarm) => alarm.Properties)).toEqual([
      expect.objectContaining({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', Threshold: 5 }),
    ]);
  });

  it('alarms on a spike of signature and shop rejections with metric math over accepted and rejected webhooks', () => {
    // Assess
    const [alarm] = byAnchor('signature-rejections');
    expect(metricNamesOf(alarm as (typeof alarms)[number]).sort()).toEqual([
      'WebhookAccepted',
      'WebhookRejected_invalid_signature',
      'WebhookRejected_not_configured',
      'WebhookRejected_shop_mismatch',
      'WebhookRejected_stale_timestamp',
      'WebhookRejected_unknown_shop',
    ]);
    const expression = alarm?.Properties.Metrics.find((query: { Expression?: string }) => query.Expression);
    expect(expression.Expression).toMatch(/^IF\(.*>= 5 AND .*>= 0\.2 \* \(FILL\(accepted, 0\)/);
  });

  it('alarms at once on a Customer.io auth failure, and on a sustained Customer.io failure rate', () => {
    // Assess
    const [auth] = byAnchor('customerio-auth');
    expect(metricNamesOf(auth as (typeof alarms)[number])).toEqual(['CustomerIoAuthFailed']);
    expect(auth?.Properties).toMatchObject({
      Threshold: 1,
      EvaluationPeriods: 1,
      Metrics: [{ MetricStat: { Period: 60, Stat: 'Sum' } }],
    });
    const [rate] = byAnchor('customerio-failures');
    expect(metricNamesOf(rate as (typeof alarms)[number]).sort()).toEqual([
      'CustomerIoAccepted',
      'CustomerIoRateLimited',
      'CustomerIoRejected',
      'CustomerIoServerError',
      'CustomerIoTimeout',
    ]);
    expect(rate?.Properties).toMatchObject({ Threshold: 10, EvaluationPeriods: 3 });
    for (const query of rate?.Properties.Metrics ?? []) {
      if (query.MetricStat)
        expect(query.MetricStat.Metric.Dimensions).toEqual([{ Name: 'service', Value: 'deliver' }]);
    }
  });

  it('alarms on cart-check failures, schedule-creation failures and DynamoDB throttling', () => {
    // Assess
    expect(byAnchor('cart-check-failures').map(metricNamesOf)).toEqual([['CartCheckFailed']]);
    expect(byAnchor('schedule-failures').map(metricNamesOf)).toEqual([
      ['ScheduleCreateFailed', 'ScheduleCreateFailed'],
    ]);
    expect(byAnchor('dynamodb-throttling').map(metricNamesOf)).toEqual([
      ['ReadThrottleEvents', 'WriteThrottleEvents'],
    ]);
  });

  it('builds one dashboard with the breakdowns, queues, DLQs, delivery lag, Customer.io outcomes and the funnel', () => {
    // Assess
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const part of [
      'stats count(*) as webhooks by source, topic',
      'MetricName=WebhookRejected',
      'ApproximateAgeOfOldestMessage',
      'ApproximateNumberOfMessagesVisible',
      'DeliveryLag',
      'p99',
      'CustomerIoAccepted',
      'CustomerIoTimeout',
      'CartCheckScheduled',
      'Emitted_CartAbandoned',
      'Emitted_CheckoutAbandoned',
      'MetricName=CartCheckExit',
      'AlarmsInboxDlqNotEmpty',
    ]) {
      expect(body, part).toContain(part);
    }
  });
});

describe('AlarmTopic', () => {
  it('subscribes the configured email, and can notify an existing topic instead of a new one', () => {
    // Prepare
    const stack = new Stack(createTestApp(), 'Test');
    const existingTopicArn = 'arn:aws:sns:us-east-1:123456789012:chat-alerts';

    // Act
    new AlarmTopic(stack, 'Own', { email: 'oncall@brand.example', runbookUrl: 'docs/runbook.md' });
    const chat = new AlarmTopic(stack, 'Chat', {
      existingTopicArn,
      runbookUrl: 'https://example.com/runbook.md',
    });
    const metric = new Metric({ namespace: 'Test', metricName: 'Thing' });
    chat.alarm(stack, 'Alarm', {
      summary: 'Something broke.',
      runbook: 'backlog' as never,
      metric,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold' as never,
      evaluationPeriods: 1,
    });

    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@brand.example',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'Something broke. Runbook: https://example.com/runbook.md#backlog',
      AlarmActions: [existingTopicArn],
      OKActions: [existingTopicArn],
    });
    expect(nagFindings(stack)).toEqual([]);
  });

  it('warns at synth when nobody is subscribed or the runbook is not a link, and only then', () => {
    const quiet = new Stack(createTestApp(), 'Quiet');
    new AlarmTopic(quiet, 'Topic', { runbookUrl: 'docs/runbook.md' });
    const warnings = Annotations.fromStack(quiet).findWarning('*', Match.anyValue());
    expect(warnings.map((w) => String(w.entry.data))).toEqual([
      expect.stringContaining('nobody is subscribed'),
      expect.stringContaining('not a link in an alarm email'),
    ]);

    const paged = new Stack(createTestApp(), 'Paged');
    new AlarmTopic(paged, 'Topic', {
      email: 'oncall@brand.example',
      runbookUrl: 'https://github.com/brand/connector/blob/main/docs/runbook.md',
    });
    expect(Annotations.fromStack(paged).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
