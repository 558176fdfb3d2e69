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

  it('is retained by default and follows the removalPolicy prop', () => {
    // Prepare
    const retained = new Stack(createTestApp(), 'Retained');
    const throwaway = new Stack(createTestApp(), 'Throwaway');

    // Act
    new ConnectorTable(retained, 'Table');
    new ConnectorTable(throwaway, 'Table', { removalPolicy: RemovalPolicy.DESTROY });

    // Assess
    Template.fromStack(retained).hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    Template.fromStack(throwaway).hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
  });

  it('grants read/write on the table and its indexes, acknowledging only that index wildcard', () => {
    // Prepare
    const stack = new Stack(createTestApp(), 'Test');
    const table = new ConnectorTable(stack, 'Table');
    const fn = new ConnectorFunction(stack, 'Worker', {
      entry: FIXTURE_ENTRY,
      envSchema: z.object({}),
      environment: {},
      serviceName: 'worker',
    });

    // Act
    table.grantReadWriteData(fn);

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']),
            Resource: [
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'] },
              { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'] }, '/index/*']] },
            ],
          }),
        ]),
      },
    });
    expect(nagFindings(stack)).toEqual([]);
  });
});
