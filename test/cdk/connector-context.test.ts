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

  it('takes the region, identifier strategy and existing secret from context', () => {
    // Prepare
    const arn = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:connector-AbCdEf';

    // Act
    const context = readConnectorContext(
      contextOf({ cioRegion: 'eu', identifierStrategy: 'email', existingSecretArn: arn }),
    );

    // Assess
    expect(context).toEqual({ cioRegion: 'eu', identifierStrategy: 'email', existingSecretArn: arn });
  });

  it('reads storefront shops as an object (cdk.json) or a JSON string (-c on the command line)', () => {
    // Prepare
    const shops = {
      'demo.myshopify.com': { publicKey: 'pk_demo_12345', origins: ['https://shop.demo.example'] },
    };

    // Act
    const fromJson = readConnectorContext(contextOf({ storefrontShops: shops }));
    const fromCli = readConnectorContext(contextOf({ storefrontShops: JSON.stringify(shops) }));

    // Assess
    expect(fromJson.storefrontShops).toEqual(shops);
    expect(fromCli.storefrontShops).toEqual(shops);
  });

  it('rejects bad values, naming every one', () => {
    // Act & Assess
    expect(() =>
      readConnectorContext(
        contextOf({
          cioRegion: 'ap',
          identifierStrategy: 'phone',
          existingSecretArn: 'my-secret',
          storefrontShops: '{not json',
        }),
      ),
    ).toThrow(/cioRegion[\s\S]*identifierStrategy[\s\S]*existingSecretArn[\s\S]*storefrontShops/);
  });
});
