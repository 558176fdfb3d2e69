import { shopifyNormalizers } from '../sources/shopify/shopify-normalizers.js';
import type { NormalizerRegistry } from './normalizer.js';

/** Every source's topic normalizers. */
export const normalizerRegistry: NormalizerRegistry = {
  shopify: shopifyNormalizers,
};
