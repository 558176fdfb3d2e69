import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { actionsOf, buildConnectorStack, resourcesOf } from './helpers/connector-stacks.js';

const { template, queueId, statementsOf, statementsWith, variablesOf } = buildConnectorStack('prod');
const arn = (prefix: string) => JSON.stringify({ 'Fn::GetAtt': [queueId(prefix), 'Arn'] });

describe('ConnectorStack: least privilege', () => {
  it('keeps three secrets: ingest reads only the webhook secret, deliver the destination, reconcile the Admin API one', () => {
    // Assess
    template.resourceCountIs('AWS::SecretsManager::Secret', 3);
    const secretReaders = (service: string) =>
      statementsWith(service, 'secretsmanager:GetSecretValue').flatMap(resourcesOf);
    expect(secretReaders('ingest')).toEqual([expect.stringMatching(/"Ref":"WebhookSecret/)]);
    expect(secretReaders('deliver')).toEqual([expect.stringMatching(/"Ref":"DestinationSecret/)]);
    expect(secretReaders('reconcile')).toEqual([expect.stringMatching(/"Ref":"AdminSecret/)]);
    expect(variablesOf('reconcile').ADMIN_SECRETS_ARN).toEqual({
      Ref: expect.stringMatching(/^AdminSecret/),
    });
    for (const service of ['ingest', 'process', 'deliver', 'cart-check', 'reconcile']) {
      const actions = statementsOf(service).flatMap(actionsOf);
      expect(
        actions.filter(
          (action) => action.startsWith('secretsmanager:') && action !== 'secretsmanager:GetSecretValue',
        ),
      ).toEqual([]);
    }
    expect(secretReaders('process')).toEqual([]);
    expect(secretReaders('cart-check')).toEqual([]);
    expect(variablesOf('ingest').WEBHOOK_SECRETS_ARN).toEqual({
      Ref: expect.stringMatching(/^WebhookSecret/),
    });
    expect(variablesOf('deliver').DESTINATION_SECRETS_ARN).toEqual({
      Ref: expect.stringMatching(/^DestinationSecret/),
    });
    expect(variablesOf('ingest').DESTINATION_SECRETS_ARN).toBeUndefined();
    expect(variablesOf('deliver').WEBHOOK_SECRETS_ARN).toBeUndefined();
  });

  it('grants only the DynamoDB actions each function sends, Query on gsi1 by name, no wildcard', () => {
    // Assess
    const dynamo = (service: string) =>
      statementsOf(service)
        .filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')))
        .map((statement) => ({ actions: actionsOf(statement).sort(), resources: resourcesOf(statement) }));
    const table = JSON.stringify({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    expect(dynamo('process')).toEqual([
      {
        actions: [
          'dynamodb:BatchGetItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        resources: [expect.stringMatching(/^\{"Fn::GetAtt":\["Table\w+","Arn"\]\}$/)],
      },
      { actions: ['dynamodb:Query'], resources: [expect.stringMatching(/\/index\/gsi1"\]\]\}$/)] },
    ]);
    expect(dynamo('cart-check')).toEqual([
      {
        actions: [
          'dynamodb:BatchGetItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        resources: [expect.stringMatching(/^\{"Fn::GetAtt":\["Table\w+","Arn"\]\}$/)],
      },
    ]);
    expect(dynamo('ingest')).toEqual([]);
    // Identify ordering: claim an identify's version (UpdateItem), read versions when a claim loses (GetItem);
    // the activity record (on by default) adds PutItem.
    expect(dynamo('deliver')).toEqual([
      {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [expect.stringMatching(/^\{"Fn::GetAtt":\["Table\w+","Arn"\]\}$/)],
      },
    ]);
    expect(table).toBeDefined();
  });

  it('lets each consumer back off (ChangeMessageVisibility) and park (SendMessage) only on its own queues', () => {
    // Assess
    const on = (service: string, action: string) =>
      statementsWith(service, action).flatMap(resourcesOf).sort();
    expect(on('process', 'sqs:ChangeMessageVisibility')).toEqual([arn('InboxQueue')]);
    expect(on('deliver', 'sqs:ChangeMessageVisibility')).toEqual([arn('OutboxQueue')]);
    expect(on('ingest', 'sqs:ChangeMessageVisibility')).toEqual([]);
    expect(on('cart-check', 'sqs:ChangeMessageVisibility')).toEqual([]);
    expect(on('process', 'sqs:SendMessage')).toEqual([arn('InboxDlq'), arn('OutboxQueue')].sort());
    expect(on('deliver', 'sqs:SendMessage')).toEqual([arn('OutboxDlq')]);
    expect(on('cart-check', 'sqs:SendMessage')).toEqual(
      [arn('CartRecoveryCartCheckDlq'), arn('OutboxQueue')].sort(),
    );
    expect(on('ingest', 'sqs:SendMessage')).toEqual([arn('InboxQueue')]);
  });

  it('passes the scheduler role to EventBridge Scheduler only, and the role trusts only this schedule group', () => {
    // Assess
    for (const service of ['process', 'cart-check']) {
      expect(statementsWith(service, 'iam:PassRole'), service).toEqual([
        expect.objectContaining({
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^CartRecoverySchedulerRole/), 'Arn'] },
        }),
      ]);
      expect(statementsWith(service, 'scheduler:CreateSchedule').flatMap(actionsOf).sort(), service).toEqual([
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
      ]);
    }
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
  });

  it('has no wildcard action anywhere, and no resource wildcard but the schedule group', () => {
    // Assess
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        expect(actionsOf(statement).filter((action) => action.endsWith('*'))).toEqual([]);
        for (const resource of resourcesOf(statement)) {
          if (resource.includes('*')) expect(resource).toMatch(/:schedule\/[\w-]+\/\*"/);
        }
      }
    }
  });
});
