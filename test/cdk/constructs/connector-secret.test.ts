import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConnectorSecret } from '../../../cdk/constructs/connector-secret.js';
import { DestinationSecretsSchema, WebhookSecretsSchema } from '../../../shared/config/secrets.js';
import { createTestApp, nagFindings } from '../helpers/test-app.js';

const EXISTING_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:connector-AbCdEf';

describe('ConnectorSecret', () => {
  it('creates a secret whose first value is valid, empty JSON for either secret document', () => {
    // Prepare
    const stack = new Stack(createTestApp(), 'Test');

    // Act
    new ConnectorSecret(stack, 'Secret', { description: 'test' });

    // Assess
    const [secret] = Object.values(Template.fromStack(stack).findResources('AWS::SecretsManager::Secret'));
    expect(secret?.Properties.GenerateSecretString).toBeUndefined();
    const initial = JSON.parse(secret?.Properties.SecretString);
    expect(WebhookSecretsSchema.parse(initial)).toEqual({ shops: {} });
    expect(DestinationSecretsSchema.parse(initial)).toEqual({ workspaces: {} });
  });

  it('leaves no cdk-nag finding unacknowledged (rotation is manual)', () => {
    // Prepare
    const stack = new Stack(createTestApp(), 'Test');

    // Act
    new ConnectorSecret(stack, 'Secret', { description: 'test' });

    // Assess
    expect(nagFindings(stack)).toEqual([]);
  });

  it('imports an existing secret instead of creating one', () => {
    // Prepare
    const stack = new Stack(createTestApp(), 'Test');

    // Act
    const { secret } = new ConnectorSecret(stack, 'Secret', {
      existingSecretArn: EXISTING_ARN,
      description: 'test',
    });

    // Assess
    Template.fromStack(stack).resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(secret.secretArn).toBe(EXISTING_ARN);
  });
});
