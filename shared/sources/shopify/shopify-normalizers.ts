import type { TopicNormalizer } from '../../normalize/normalizer.js';
import { normalizeOrderCreated } from './order-normalizers.js';

/** Shopify topic → normalizer. Topics not listed are acknowledged and counted as ignored. */
export const shopifyNormalizers: Readonly<Record<string, TopicNormalizer>> = {
  'orders/create': normalizeOrderCreated,
  'orders/paid': normalizeOrderCreated,
};
