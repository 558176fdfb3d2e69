import { pixelNormalizers } from '../sources/pixel/pixel-normalizers.js';
import { rechargeNormalizers } from '../sources/recharge/recharge-normalizers.js';
import { judgemeNormalizers } from '../sources/reviews/judgeme-normalizers.js';
import { okendoNormalizers } from '../sources/reviews/okendo-normalizers.js';
import { stampedNormalizers } from '../sources/reviews/stamped-normalizers.js';
import { yotpoNormalizers } from '../sources/reviews/yotpo-normalizers.js';
import { shopifyNormalizers } from '../sources/shopify/shopify-normalizers.js';
import type { NormalizerRegistry } from './normalizer.js';

/** Every source's topic normalizers. */
export const normalizerRegistry: NormalizerRegistry = {
  shopify: shopifyNormalizers,
  recharge: rechargeNormalizers,
  judgeme: judgemeNormalizers,
  okendo: okendoNormalizers,
  stamped: stampedNormalizers,
  yotpo: yotpoNormalizers,
  pixel: pixelNormalizers,
};
