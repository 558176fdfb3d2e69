import { describe, expect, it } from 'vitest';
import { StaticSecretProvider } from '../../../shared/adapters/secret-providers.js';
import { WebhookSecretsSchema } from '../../../shared/config/secrets.js';
import { ConfigurationError } from '../../../shared/errors.js';

describe('StaticSecretProvider', () => {
  it('parses a secret document with its schema', async () => {
    const json = JSON.stringify({
      shops: { 'a.myshopify.com': { shopify: { clientSecrets: ['s3cr3t-value'] } } },
    });
    const provider = new StaticSecretProvider(json, WebhookSecretsSchema, 'LOCAL_WEBHOOK_SECRETS_JSON');
    expect(await provider.get()).toEqual({
      shops: { 'a.myshopify.com': { shopify: { clientSecrets: ['s3cr3t-value'] } } },
    });
  });

  it.each([
    [
      'a secret listed for two shops',
      {
        'a.myshopify.com': { shopify: { clientSecrets: ['s3cr3t-value-that-must-not-leak'] } },
        'b.myshopify.com': { shopify: { clientSecrets: ['s3cr3t-value-that-must-not-leak'] } },
      },
      'shops.b.myshopify.com.shopify',
    ],
    [
      'a token the route could never match',
      { 'b.myshopify.com': { yotpo: { tokens: ['s3cr3t.value.that.must.not.leak'], appKey: 'k' } } },
      'shops.b.myshopify.com.yotpo.tokens.0',
    ],
  ])('names the broken path of %s, never the value (the error reaches the logs)', (_label, shops, path) => {
    let error: unknown;
    try {
      new StaticSecretProvider(JSON.stringify({ shops }), WebhookSecretsSchema, 'LOCAL_WEBHOOK_SECRETS_JSON');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toContain(path);
    expect(message).not.toContain('s3cr3t');
  });
});
