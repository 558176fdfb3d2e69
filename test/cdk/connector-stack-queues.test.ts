import { describe, expect, it } from 'vitest';
import { buildConnectorStack } from './helpers/connector-stacks.js';

const prod = buildConnectorStack('prod');
const { template, queues, queueId, variablesOf } = prod;
const ref = (prefix: string) => ({ Ref: queueId(prefix) });

describe('ConnectorStack: queues, DLQs and the retry budget', () => {
  it('gives process and deliver their retry budget, own queue and DLQ (CONTRACTS.md), cart-check its DLQs', () => {
    // Assess
    expect(variablesOf('process')).toMatchObject({
      MAX_ATTEMPTS: '15',
      RETRY_BASE_SECONDS: '30',
      RETRY_MAX_SECONDS: '900',
      SOURCE_QUEUE_URL: ref('InboxQueue'),
      INBOX_DLQ_URL: ref('InboxDlq'),
      OUTBOX_QUEUE_URL: ref('OutboxQueue'),
    });
    expect(variablesOf('deliver')).toMatchObject({
      MAX_ATTEMPTS: '20',
      RETRY_BASE_SECONDS: '30',
      RETRY_MAX_SECONDS: '1800',
      SOURCE_QUEUE_URL: ref('OutboxQueue'),
      OUTBOX_DLQ_URL: ref('OutboxDlq'),
    });
    expect(variablesOf('cart-check')).toMatchObject({
      CART_CHECK_DLQ_URL: ref('CartRecoveryCartCheckDlq'),
      SCHEDULER_DLQ_ARN: { 'Fn::GetAtt': [queueId('CartRecoverySchedulerDlq'), 'Arn'] },
    });
    expect(variablesOf('process').SCHEDULER_DLQ_ARN).toEqual(variablesOf('cart-check').SCHEDULER_DLQ_ARN);
  });

  it('redrives after the worker budget plus three (inbox 18, outbox 23), keeping queues 4 days and DLQs 14', () => {
    // Assess
    expect(queues[queueId('InboxQueue')]?.Properties).toMatchObject({
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [queueId('InboxDlq'), 'Arn'] },
        maxReceiveCount: 18,
      },
      MessageRetentionPeriod: 4 * 86_400,
    });
    expect(queues[queueId('OutboxQueue')]?.Properties).toMatchObject({
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [queueId('OutboxDlq'), 'Arn'] },
        maxReceiveCount: 23,
      },
      MessageRetentionPeriod: 4 * 86_400,
    });
    for (const dlq of ['InboxDlq', 'OutboxDlq', 'CartRecoveryCartCheckDlq', 'CartRecoverySchedulerDlq']) {
      expect(queues[queueId(dlq)]?.Properties.MessageRetentionPeriod, dlq).toBe(14 * 86_400);
    }
    expect(Object.keys(queues)).toHaveLength(6);
  });

  it('keeps each queue invisible for at least six timeouts of its consumer', () => {
    // Assess
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) {
      const queue = queues[mapping.Properties.EventSourceArn['Fn::GetAtt'][0]];
      const consumer = prod.functions[mapping.Properties.FunctionName.Ref];
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * consumer?.Properties.Timeout);
    }
  });
});
