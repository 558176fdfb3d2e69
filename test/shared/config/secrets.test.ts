import { describe, expect, it } from 'vitest';
import { DestinationSecretsSchema, WebhookSecretsSchema } from '../../../shared/config/secrets.js';

const A = 'shop-a.myshopify.com';
const B = 'shop-b.myshopify.com';

describe('WebhookSecretsSchema', () => {
  it('keys the secrets by shop, normalizing the domain', () => {
    const parsed = WebhookSecretsSchema.parse({
      shops: { 'Shop-A.myshopify.com.': { shopify: { clientSecrets: ['s'] } } },
    });
    expect(parsed).toEqual({ shops: { [A]: { shopify: { clientSecrets: ['s'] } } } });
    expect(WebhookSecretsSchema.parse({})).toEqual({ shops: {} });
  });

  it('refuses the old combined document instead of silently verifying nothing', () => {
    const old = { shopify: { clientSecrets: ['s'] }, customerio: { siteId: 'x', apiKey: 'y' } };
    expect(WebhookSecretsSchema.safeParse(old).success).toBe(false);
  });

  it('refuses a Yotpo token the webhook route could never match, at load time instead of 404 per delivery', () => {
    const yotpo = (token: string) => ({ shops: { [A]: { yotpo: { tokens: [token], appKey: 'k' } } } });
    expect(WebhookSecretsSchema.safeParse(yotpo('tok.en+1/x=')).success).toBe(false);
    expect(WebhookSecretsSchema.safeParse(yotpo('short')).success).toBe(false);
    expect(WebhookSecretsSchema.safeParse(yotpo('a-valid_token-1234')).success).toBe(true);
  });

  it.each([
    ['shopify', { shopify: { clientSecrets: ['same'] } }],
    ['recharge', { recharge: { clientSecrets: ['same'] } }],
    ['stamped', { stamped: { secrets: ['same'] } }],
    ['yotpo', { yotpo: { tokens: ['same-token-123'], appKey: 'k' } }],
    ['okendo', { okendo: { secrets: ['whsec_x'], subscriberId: 'same' } }],
  ])('refuses a %s secret listed for two shops: nothing else would tell them apart', (platform, secrets) => {
    const result = WebhookSecretsSchema.safeParse({ shops: { [A]: secrets, [B]: secrets } });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(platform);
  });

  it('allows one Judge.me OAuth app secret for several shops (the signed body names the shop)', () => {
    const judgeme = { judgeme: { secrets: ['oauth-app-secret'] } };
    expect(WebhookSecretsSchema.safeParse({ shops: { [A]: judgeme, [B]: judgeme } }).success).toBe(true);
  });
});

describe('DestinationSecretsSchema', () => {
  it('holds Customer.io workspaces by name, and nothing else', () => {
    expect(
      DestinationSecretsSchema.parse({ workspaces: { default: { siteId: 's', apiKey: 'k', region: 'eu' } } }),
    ).toEqual({ workspaces: { default: { siteId: 's', apiKey: 'k', region: 'eu' } } });
    expect(DestinationSecretsSchema.safeParse({ customerio: { siteId: 's', apiKey: 'k' } }).success).toBe(
      false,
    );
  });
});
