/** Defaults of the local stack, shared by `npm start`, `npm run send` and the integration tests. */
export const LOCAL_DEFAULTS = {
  apiPort: 8787,
  capturePort: 8788,
  shop: 'local-dev.myshopify.com',
  /** The Shopify client secret the local stack verifies with and the sender signs with (override: SHOPIFY_CLIENT_SECRET). */
  shopifySecret: 'local-shopify-client-secret',
  dataDir: '.local-data',
  /** The storefront beacon key and origin of the local shop (a public key: not a secret). */
  storefrontKey: 'pk_local_storefront',
  storefrontOrigin: 'http://localhost:3000',
} as const;

/**
 * Local signing secrets of the other platforms (fixed, documented values: the local stack is not exposed), with
 * the platform store ids their payloads must name. The Okendo one is a Svix-style `whsec_` + base64 key.
 */
export const LOCAL_PLATFORM_SECRETS = {
  recharge: { clientSecrets: ['local-recharge-client-secret'] },
  judgeme: { secrets: ['local-judgeme-token'] },
  okendo: {
    secrets: [`whsec_${Buffer.from('local-okendo-signing-key').toString('base64')}`],
    subscriberId: 'local-okendo-store',
  },
  stamped: { secrets: ['local-stamped-secret'] },
  yotpo: { tokens: ['local-yotpo-url-token'], appKey: 'local-yotpo-app-key' },
} as const;

/** The local Shopify secret, honouring the environment override. */
export const localShopifySecret = (): string =>
  process.env.SHOPIFY_CLIENT_SECRET ?? LOCAL_DEFAULTS.shopifySecret;

/** SHOPS for the local shop (storefront key and origin included), unless the environment sets its own. */
export const localShops = (): string =>
  process.env.SHOPS ??
  JSON.stringify({
    [LOCAL_DEFAULTS.shop]: {
      storefront: { publicKey: LOCAL_DEFAULTS.storefrontKey, origins: [LOCAL_DEFAULTS.storefrontOrigin] },
    },
  });

/** The local webhook-verification secret: every platform's local secret, for the local shop. */
export const localWebhookSecrets = (): string =>
  JSON.stringify({
    shops: {
      [LOCAL_DEFAULTS.shop]: {
        shopify: { clientSecrets: [localShopifySecret()] },
        ...LOCAL_PLATFORM_SECRETS,
      },
    },
  });
