import { describe, expect, it } from 'vitest';
import { readConnectorContext } from '../../cdk/connector-context.js';

const contextOf =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

describe('readConnectorContext', () => {
  it('defaults to the US region and customer ids, with a secret made by the stack', () => {
    // Act
    const context = readConnectorContext(contextOf({}));

    // Assess
    expect(context).toEqual({ cioRegion: 'us', identifierStrategy: 'customer_id' });
  });

  it('takes the region, identifier strategy and existing secrets from context', () => {
    // Prepare
    const webhook = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:webhook-AbCdEf';
    const destination = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:destination-AbCdEf';

    // Act
    const context = readConnectorContext(
      contextOf({
        cioRegion: 'eu',
        identifierStrategy: 'email',
        existingWebhookSecretArn: webhook,
        existingDestinationSecretArn: destination,
      }),
    );

    // Assess
    expect(context).toEqual({
      cioRegion: 'eu',
      identifierStrategy: 'email',
      existingWebhookSecretArn: webhook,
      existingDestinationSecretArn: destination,
    });
  });

  it('reads the shops as an object (cdk.json) or a JSON string (-c on the command line)', () => {
    // Prepare
    const shops = {
      'demo.myshopify.com': {
        storefront: { publicKey: 'pk_demo_12345', origins: ['https://shop.demo.example'] },
      },
    };
    const parsed = {
      'demo.myshopify.com': {
        ...shops['demo.myshopify.com'],
        workspace: 'default',
        customerIdPrefix: '',
        customDomains: [],
      },
    };

    // Act
    const fromJson = readConnectorContext(contextOf({ shops }));
    const fromCli = readConnectorContext(contextOf({ shops: JSON.stringify(shops) }));

    // Assess
    expect(fromJson.shops).toEqual(parsed);
    expect(fromCli.shops).toEqual(parsed);
  });

  it('rejects bad values, naming every one', () => {
    // Act & Assess
    expect(() =>
      readConnectorContext(
        contextOf({
          cioRegion: 'ap',
          identifierStrategy: 'phone',
          existingWebhookSecretArn: 'my-secret',
          shops: '{not json',
        }),
      ),
    ).toThrow(/cioRegion[\s\S]*identifierStrategy[\s\S]*existingWebhookSecretArn[\s\S]*shops/);
  });
});
