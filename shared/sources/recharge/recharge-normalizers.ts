import type { TopicNormalizer } from '../../normalize/normalizer.js';
import {
  normalizeChargeFailed,
  normalizeChargeMaxRetries,
  normalizeChargePaid,
  normalizeOrderCreated,
} from './billing-normalizers.js';
import { normalizeCustomer } from './customer-normalizers.js';
import {
  normalizeSubscriptionActivated,
  normalizeSubscriptionCancelled,
  normalizeSubscriptionCreated,
  normalizeSubscriptionIdentityOnly,
  normalizeSubscriptionSkipped,
} from './subscription-normalizers.js';

/** Recharge topic → normalizer. Topics not listed (address/*, charge/created, ...) are acknowledged and ignored. */
export const rechargeNormalizers: Readonly<Record<string, TopicNormalizer>> = {
  'subscription/created': normalizeSubscriptionCreated,
  'subscription/activated': normalizeSubscriptionActivated,
  'subscription/cancelled': normalizeSubscriptionCancelled,
  'subscription/skipped': normalizeSubscriptionSkipped,
  'subscription/unskipped': normalizeSubscriptionIdentityOnly,
  'subscription/updated': normalizeSubscriptionIdentityOnly,
  'charge/paid': normalizeChargePaid,
  'charge/failed': normalizeChargeFailed,
  'charge/max_retries_reached': normalizeChargeMaxRetries,
  'order/created': normalizeOrderCreated,
  'customer/created': normalizeCustomer,
  'customer/updated': normalizeCustomer,
};
