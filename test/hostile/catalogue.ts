import { LOCAL_DEFAULTS, LOCAL_PLATFORM_SECRETS, localShopifySecret } from '../../local/local-config.js';
import type { HostileCase } from './hostile-kit.js';
import { OTHER_SHOP } from './hostile-kit.js';
import { PAYLOAD_CASES } from './payload-cases.js';
import { PIXEL_CASES } from './pixel-cases.js';
import { RECHARGE_CASES } from './recharge-cases.js';
import { REVIEW_CASES } from './review-cases.js';
import { REVIEW_PUSH_CASES } from './review-push-cases.js';
import { OTHER_SHOP_SHOPIFY_SECRET, ROTATED_SHOPIFY_SECRET, SHOPIFY_EDGE_CASES } from './shopify-cases.js';

/**
 * The seed of the catalogue's variants (each case draws from its own fork of it): fixed for CI; set HOSTILE_SEED to
 * try other variants of every case.
 */
export const HOSTILE_SEED = Number(process.env.HOSTILE_SEED ?? 8);

/** Every case, by source: Shopify edge and payload, Recharge, the review platforms, /collect. */
export const HOSTILE_CASES: readonly HostileCase[] = [
  ...SHOPIFY_EDGE_CASES,
  ...PAYLOAD_CASES,
  ...RECHARGE_CASES,
  ...REVIEW_CASES,
  ...REVIEW_PUSH_CASES,
  ...PIXEL_CASES,
];

/** SHOPS of the catalogue's stack: the local shop (with its storefront) and a second shop without one. */
export const hostileShops = (): Record<string, unknown> => ({
  [LOCAL_DEFAULTS.shop]: {
    storefront: { publicKey: LOCAL_DEFAULTS.storefrontKey, origins: [LOCAL_DEFAULTS.storefrontOrigin] },
  },
  [OTHER_SHOP]: {},
});

/**
 * The webhook secret of the catalogue's stack: the local shop's secrets with a Shopify rotation in progress (the
 * new secret first, the previous one still listed), and another shop with secrets of its own on every platform.
 */
export const hostileSecrets = (): Record<string, unknown> => ({
  shops: {
    [LOCAL_DEFAULTS.shop]: {
      shopify: { clientSecrets: [localShopifySecret(), ROTATED_SHOPIFY_SECRET] },
      ...LOCAL_PLATFORM_SECRETS,
    },
    [OTHER_SHOP]: {
      shopify: { clientSecrets: [OTHER_SHOP_SHOPIFY_SECRET] },
      recharge: { clientSecrets: ['other-shop-recharge-secret'] },
      judgeme: { secrets: ['other-shop-judgeme-token'] },
      okendo: {
        secrets: [`whsec_${Buffer.from('other-shop-okendo-key').toString('base64')}`],
        subscriberId: 'other-okendo-store',
      },
      stamped: { secrets: ['other-shop-stamped-secret'] },
      yotpo: { tokens: ['other-shop-yotpo-url-token'], appKey: 'other-yotpo-app-key' },
    },
  },
});
