/** Defaults of the local stack, shared by `npm start`, `npm run send` and the integration tests. */
export const LOCAL_DEFAULTS = {
  apiPort: 8787,
  capturePort: 8788,
  shop: 'local-dev.myshopify.com',
  /** The Shopify client secret the local stack verifies with and the sender signs with (override: SHOPIFY_CLIENT_SECRET). */
  shopifySecret: 'local-shopify-client-secret',
  dataDir: '.local-data',
} as const;

/** The local Shopify secret, honouring the environment override. */
export const localShopifySecret = (): string =>
  process.env.SHOPIFY_CLIENT_SECRET ?? LOCAL_DEFAULTS.shopifySecret;
