import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConnectorFunction } from '../../../cdk/constructs/connector-function.js';
import { ConnectorSecret } from '../../../cdk/constructs/connector-secret.js';
import { DestinationSecretsSchema, WebhookSecretsSchema } from '../../../shared/config/secrets.js';
import { createTestApp, FIXTURE_ENTRY, nagFindings } from '../helpers/test-app.js';

const EXISTING_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:connector-AbCdEf';

const build = (existingSecretArn?: string, initialValue: object = { shops: {} }) => {
  const stack = new Stack(createTestApp(), 'Test');
  const secret = new ConnectorSecret(stack, 'Secret', {
    description: 'webhook verification secrets',
    initialValue,
    existingSecretArn,
  });
  return { stack, secret };
};

describe('ConnectorSecret', () => {
  it.each([
    ['webhook', { shops: {} }, WebhookSecretsSchema],
    ['destination', { workspaces: {} }, DestinationSecretsSchema],
  ] as const)(
    'creates a %s secret whose first value is its empty document, valid for its schema',
    (_name, empty, schema) => {
      // Act
      const { stack } = build(undefined, empty);

      // Assess
      const [secret] = Object.values(Template.fromStack(stack).findResources('AWS::SecretsManager::Secret'));
      expect(secret?.Properties.GenerateSecretString).toBeUndefined();
      const initial = JSON.parse(secret?.Properties.SecretString);
      expect(initial).toEqual(empty);
      expect(schema.parse(initial)).toEqual(empty);
    },
  );

  it('leaves no cdk-nag finding unacknowledged (rotation is manual)', () => {
    // Act
    const { stack } = build();

    // Assess
    expect(nagFindings(stack)).toEqual([]);
  });

  it('imports an existing secret instead of creating one', () => {
    // Act
    const { stack, secret } = build(EXISTING_ARN);

    // Assess
    Template.fromStack(stack).resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(secret.secretArn).toBe(EXISTING_ARN);
  });

  it('grants a function GetSecretValue on this secret and nothing more', () => {
    // Prepare
    const { stack, secret } = build(EXISTING_ARN);
    const fn = new ConnectorFunction(stack, 'Reader', {
      entry: FIXTURE_ENTRY,
      envSchema: z.object({}),
      environment: {},
      serviceName: 'reader',
    });

    // Act
    secret.grantRead(fn);

    // Assess
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policy?.Properties.PolicyDocument.Statement).toContainEqual({
      Action: 'secretsmanager:GetSecretValue',
      Effect: 'Allow',
      Resource: EXISTING_ARN,
    });
    expect(JSON.stringify(policy?.Properties.PolicyDocument)).not.toMatch(/DescribeSecret|kms:/);
  });
});
