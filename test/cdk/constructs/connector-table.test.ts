import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConnectorFunction } from '../../../cdk/constructs/connector-function.js';
import { ConnectorTable } from '../../../cdk/constructs/connector-table.js';
import { createTestApp, FIXTURE_ENTRY, nagFindings } from '../helpers/test-app.js';

describe('ConnectorTable', () => {
  it('has pk/sk keys, gsi1, TTL on expiresAt, on-demand billing and point-in-time recovery', () => {
    // Prepare
    const stack = new Stack(createTestApp(), 'Test');

    // Act
    new ConnectorTable(stack, 'Table');

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it('is retained with deletion protection by default, and follows its props', () => {
    // Prepare
    const retained = new Stack(createTestApp(), 'Retained');
    const throwaway = new Stack(createTestApp(), 'Throwaway');

    // Act
    new ConnectorTable(retained, 'Table');
    new ConnectorTable(throwaway, 'Table', {
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
    });

    // Assess
    Template.fromStack(retained).hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
    });
    Template.fromStack(throwaway).hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] }),
    });
  });

  it('grants exactly the listed actions, and Query on gsi1 by name: no wildcard to acknowledge', () => {
    // Prepare
    const stack = new Stack(createTestApp(), 'Test');
    const table = new ConnectorTable(stack, 'Table');
    const worker = (id: string) =>
      new ConnectorFunction(stack, id, {
        entry: FIXTURE_ENTRY,
        envSchema: z.object({}),
        environment: {},
        serviceName: id.toLowerCase(),
      });
    const querying = worker('Querying');
    const reading = worker('Reading');

    // Act
    table.grant(querying, ['GetItem', 'Query']);
    table.grant(reading, ['GetItem', 'BatchGetItem']);

    // Assess
    const template = Template.fromStack(stack);
    const tableArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^QueryingRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: tableArn }),
          Match.objectLike({
            Action: 'dynamodb:Query',
            Resource: { 'Fn::Join': ['', [tableArn, '/index/gsi1']] },
          }),
        ]),
      },
    });
    const readingPolicy = Object.values(template.findResources('AWS::IAM::Policy')).find((policy) =>
      policy.Properties.Roles[0].Ref.startsWith('ReadingRole'),
    );
    expect(JSON.stringify(readingPolicy)).not.toMatch(/index|Query|\*/);
    expect(nagFindings(stack)).toEqual([]);
  });
});
