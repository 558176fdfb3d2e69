import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { CartRecovery } from '../../../cdk/constructs/cart-recovery.js';
import { ConnectorFunction } from '../../../cdk/constructs/connector-function.js';
import { ConnectorTable } from '../../../cdk/constructs/connector-table.js';
import { createTestApp, FIXTURE_ENTRY, nagFindings } from '../helpers/test-app.js';

const build = () => {
  const stack = new Stack(createTestApp(), 'Test');
  const table = new ConnectorTable(stack, 'Table');
  const outbox = new Queue(stack, 'Outbox');
  const recovery = new CartRecovery(stack, 'CartRecovery', { table, outbox, entry: FIXTURE_ENTRY });
  const processor = new ConnectorFunction(stack, 'Process', {
    entry: FIXTURE_ENTRY,
    envSchema: z.object({}),
    environment: {},
    serviceName: 'process',
  });
  recovery.grantScheduling(processor);
  return { stack, recovery, processor, template: Template.fromStack(stack) };
};
const { stack, recovery, processor, template } = build();
const cartCheckVariables = () => {
  const [fn] = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'cart-check' } } },
    }),
  );
  return fn?.Properties.Environment.Variables;
};

describe('CartRecovery', () => {
  it('creates the schedule group whose name it hands out', () => {
    // Assess
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
      Name: recovery.schedulerEnvironment.SCHEDULE_GROUP_NAME,
    });
    expect(recovery.schedulerEnvironment.SCHEDULE_GROUP_NAME).toMatch(/^[0-9a-zA-Z-_.]{1,64}$/);
  });

  it('has a scheduler role, for this account and schedule group only, that may invoke cart-check and fill its DLQ', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                'aws:SourceArn': {
                  'Fn::GetAtt': [Match.stringLikeRegexp('^CartRecoveryScheduleGroup'), 'Arn'],
                },
              },
            },
          }),
        ],
      },
    });
    const cartCheckArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^CartRecoveryCartCheckFunction'), 'Arn'] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^CartRecoverySchedulerRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: [cartCheckArn, { 'Fn::Join': ['', [cartCheckArn, ':$LATEST']] }],
          }),
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CartRecoverySchedulerDlqQueue'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('keeps two standard, encrypted DLQs for 14 days: one for Scheduler, one for failed cart-check runs', () => {
    // Assess
    const queues = template.findResources('AWS::SQS::Queue', {
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 },
    });
    expect(Object.keys(queues).sort()).toEqual([
      expect.stringMatching(/^CartRecoveryCartCheckDlqQueue/),
      expect.stringMatching(/^CartRecoverySchedulerDlqQueue/),
    ]);
    for (const queue of Object.values(queues)) expect(queue.Properties.FifoQueue).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CartRecoveryCartCheckDlqQueue'), 'Arn'] },
        },
      },
    });
  });

  it('gives cart-check its table, outbox and the scheduler variables, with its own ARN built from its name', () => {
    // Prepare
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: Match.anyValue() } }),
    );

    // Assess
    expect(cartCheckVariables()).toMatchObject({
      TABLE_NAME: { Ref: expect.stringMatching(/^Table/) },
      OUTBOX_QUEUE_URL: { Ref: expect.stringMatching(/^Outbox/) },
      SCHEDULE_GROUP_NAME: recovery.schedulerEnvironment.SCHEDULE_GROUP_NAME,
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^CartRecoverySchedulerRole/), 'Arn'] },
      SCHEDULER_DLQ_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^CartRecoverySchedulerDlqQueue/), 'Arn'] },
      CART_CHECK_DLQ_URL: { Ref: expect.stringMatching(/^CartRecoveryCartCheckDlqQueue/) },
    });
    expect(JSON.stringify(stack.resolve(recovery.schedulerEnvironment.CART_CHECK_TARGET_ARN))).toContain(
      `:function:${fn?.Properties.FunctionName}`,
    );
  });

  it('lets the scheduling functions create and delete schedules in the group, and pass the role to Scheduler only', () => {
    // Assess
    for (const role of ['^ProcessRole', '^CartRecoveryCartCheckRole']) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp(role) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'] }),
            Match.objectLike({
              Action: 'iam:PassRole',
              Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CartRecoverySchedulerRole'), 'Arn'] },
            }),
          ]),
        },
      });
    }
  });

  it('leaves no cdk-nag finding unacknowledged in it or in the scheduling function', () => {
    // Assess
    expect([...nagFindings(recovery), ...nagFindings(processor)]).toEqual([]);
  });
});
