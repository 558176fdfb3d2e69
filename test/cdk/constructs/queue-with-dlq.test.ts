import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConnectorFunction } from '../../../cdk/constructs/connector-function.js';
import { QueueWithDlq } from '../../../cdk/constructs/queue-with-dlq.js';
import {
  budgetSeconds,
  INBOX_RETRY_BUDGET,
  OUTBOX_RETRY_BUDGET,
} from '../../../cdk/constructs/retry-budget.js';
import { createTestApp, FIXTURE_ENTRY, nagFindings } from '../helpers/test-app.js';

const FOUR_DAYS = 4 * 24 * 3600;
const FOURTEEN_DAYS = 14 * 24 * 3600;

const build = (functionTimeout = Duration.seconds(30)) => {
  const stack = new Stack(createTestApp(), 'Test');
  const queue = new QueueWithDlq(stack, 'Work', {
    consumerTimeout: Duration.seconds(30),
    retryBudget: { maxAttempts: 5, baseSeconds: 10, maxSeconds: 60 },
  });
  const consumer = new ConnectorFunction(stack, 'Worker', {
    entry: FIXTURE_ENTRY,
    envSchema: z.object({}),
    environment: {},
    serviceName: 'worker',
    timeout: functionTimeout,
  });
  return { stack, queue, consumer };
};

describe('QueueWithDlq', () => {
  it('redrives to its DLQ three receives after the worker budget, with a visibility timeout of six consumer timeouts', () => {
    // Act
    const { stack } = build();

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 180,
      MessageRetentionPeriod: FOUR_DAYS,
      MaximumMessageSize: 1_048_576,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkDlqQueue'), 'Arn'] },
        maxReceiveCount: 8,
      },
    });
  });

  it('hands the consumer its retry budget and its own queue URL', () => {
    // Act
    const { stack, queue } = build();

    // Assess
    expect(stack.resolve(queue.retryEnvironment)).toEqual({
      MAX_ATTEMPTS: '5',
      RETRY_BASE_SECONDS: '10',
      RETRY_MAX_SECONDS: '60',
      SOURCE_QUEUE_URL: { Ref: expect.stringMatching(/^WorkQueue/) },
    });
  });

  it('keeps messages longer than either contract budget lasts, and refuses a budget that outlasts retention', () => {
    // Assess
    expect(budgetSeconds(INBOX_RETRY_BUDGET)).toBe(30 + 60 + 120 + 240 + 480 + 9 * 900);
    expect(budgetSeconds(OUTBOX_RETRY_BUDGET)).toBeLessThan(8 * 3600);
    const stack = new Stack(createTestApp(), 'Test');
    expect(
      () =>
        new QueueWithDlq(stack, 'Short', {
          consumerTimeout: Duration.seconds(30),
          retryBudget: OUTBOX_RETRY_BUDGET,
          retentionPeriod: Duration.hours(6),
        }),
    ).toThrow(/retention must outlast the retry budget/);
  });

  it('keeps dead letters 14 days, longer than the source queue keeps messages', () => {
    // Act
    const { stack } = build();

    // Assess
    const queues = Template.fromStack(stack).findResources('AWS::SQS::Queue');
    const source = Object.values(queues).find((queue) => queue.Properties.RedrivePolicy !== undefined);
    const dlqId = source?.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    const dlq = queues[dlqId];
    expect(dlq?.Properties).toMatchObject({
      MessageRetentionPeriod: FOURTEEN_DAYS,
      MaximumMessageSize: 1_048_576,
      SqsManagedSseEnabled: true,
    });
    expect(dlq?.Properties.MessageRetentionPeriod).toBeGreaterThan(source?.Properties.MessageRetentionPeriod);
  });

  it('denies requests without TLS on both queues', () => {
    // Act
    const { stack } = build();

    // Assess
    const policies = Template.fromStack(stack).findResources('AWS::SQS::QueuePolicy', {
      Properties: {
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ],
        },
      },
    });
    expect(Object.keys(policies)).toHaveLength(2);
  });

  it('subscribes a consumer that reports partial batch failures and may park records in the DLQ', () => {
    // Prepare
    const { stack, queue, consumer } = build();

    // Act
    queue.addConsumer(consumer, { batchSize: 10, maxConcurrency: 4 });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkQueue'), 'Arn'] },
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 4 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^WorkerRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:ChangeMessageVisibility']),
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkQueue'), 'Arn'] },
          }),
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkDlqQueue'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('refuses a consumer whose timeout outgrows the visibility timeout', () => {
    // Prepare
    const { queue, consumer } = build(Duration.seconds(31));

    // Act & Assess
    expect(() => queue.addConsumer(consumer, { batchSize: 10, maxConcurrency: 2 })).toThrow(
      /consumerTimeout/,
    );
  });

  it('leaves no cdk-nag finding unacknowledged', () => {
    // Prepare
    const { stack, queue, consumer } = build();

    // Act
    queue.addConsumer(consumer, { batchSize: 10, maxConcurrency: 2 });

    // Assess
    expect(nagFindings(stack)).toEqual([]);
  });
});
