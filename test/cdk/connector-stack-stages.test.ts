import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildConnectorStack } from './helpers/connector-stacks.js';
import { acknowledgements, nagFindings } from './helpers/test-app.js';

// Resource types CloudFormation cannot tag.
const UNTAGGABLE = new Set([
  'AWS::SQS::QueuePolicy',
  'AWS::IAM::Policy',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::ApiMapping',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::CDK::Metadata',
]);

const prod = buildConnectorStack('prod');
const { template } = prod;

describe('ConnectorStack: stages and cdk-nag', () => {
  const dev = buildConnectorStack('dev');

  it('prod keeps the table (deletion protection, RETAIN) and pages people; dev can be destroyed and is quiet', () => {
    // Assess
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 25);
    dev.template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] }),
    });
    dev.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    dev.template.resourceCountIs('AWS::SNS::Topic', 0);
    dev.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('keeps logs 30 days in prod, 7 in dev, and caps cart-check in prod only', () => {
    // Assess
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    dev.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    expect(prod.functionByService('cart-check').Properties.ReservedConcurrentExecutions).toBe(10);
    expect(dev.functionByService('cart-check').Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('tags every taggable resource with the app and the stage', () => {
    // Assess
    for (const [stage, built] of [
      ['prod', prod],
      ['dev', dev],
    ] as const) {
      const resources = built.template.toJSON().Resources as Record<
        string,
        { Type: string; Properties: { Tags?: unknown; Replicas?: { Tags: unknown }[] } }
      >;
      for (const [id, resource] of Object.entries(resources)) {
        if (UNTAGGABLE.has(resource.Type)) continue;
        const tags =
          resource.Type === 'AWS::DynamoDB::GlobalTable'
            ? resource.Properties.Replicas?.[0]?.Tags
            : resource.Properties.Tags;
        const asMap = Array.isArray(tags)
          ? Object.fromEntries(tags.map((tag: { Key: string; Value: string }) => [tag.Key, tag.Value]))
          : tags;
        expect(asMap, `${id} (${resource.Type})`).toMatchObject({
          app: 'commerce-webhook-connector',
          stage,
        });
      }
    }
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged in either stage', () => {
    // Assess
    expect(nagFindings(prod.stack)).toEqual([]);
    expect(nagFindings(dev.stack)).toEqual([]);
  });

  it('acknowledges findings only on single resources, never the whole stack, always with a reason', () => {
    // Act
    const found = acknowledgements(prod.stack);

    // Assess
    const listed = found.map(({ path, id }) =>
      `${id} at ${path}`.replace(/ScheduleGroup-\w+/, 'ScheduleGroup-*'),
    );
    const schedules = 'arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule';
    expect(listed.sort()).toEqual([
      'AwsSolutions-APIG4 at Connector/Ingress/Api/ANY--collect',
      'AwsSolutions-APIG4 at Connector/Ingress/Api/POST--webhooks--{source}',
      'AwsSolutions-APIG4 at Connector/Ingress/Api/POST--webhooks--{source}--{token}',
      `AwsSolutions-IAM5[Resource::${schedules}/Connector-CartRecovery-ScheduleGroup-*/*] at Connector/CartRecovery/CartCheck/Role`,
      `AwsSolutions-IAM5[Resource::${schedules}/Connector-CartRecovery-ScheduleGroup-*/*] at Connector/Process/Role`,
      'AwsSolutions-SMG4 at Connector/AdminSecret/Secret',
      'AwsSolutions-SMG4 at Connector/DestinationSecret/Secret',
      'AwsSolutions-SMG4 at Connector/WebhookSecret/Secret',
      'AwsSolutions-SNS2 at Connector/AlarmTopic/Topic',
      'AwsSolutions-SQS3 at Connector/CartRecovery/CartCheckDlq/Queue',
      'AwsSolutions-SQS3 at Connector/CartRecovery/SchedulerDlq/Queue',
    ]);
    for (const { reason } of found) {
      expect(reason.length).toBeGreaterThan(40);
    }
  });
});
