import type { TopicNormalizer } from '../../normalize/normalizer.js';
import { normalizeCartActivity } from './cart-normalizers.js';
import {
  normalizeCheckoutCreated,
  normalizeCheckoutDeleted,
  normalizeCheckoutUpdated,
} from './checkout-normalizers.js';
import {
  normalizeAppUninstalled,
  normalizeCustomerRedact,
  normalizeDataRequest,
  normalizeShopRedact,
} from './compliance-normalizers.js';
import {
  normalizeCustomer,
  normalizeEmailConsentUpdate,
  normalizeSmsConsentUpdate,
} from './customer-normalizers.js';
import {
  normalizeOrderCancelled,
  normalizeOrderCreated,
  normalizeOrderFulfilled,
  normalizeOrderUpdated,
} from './order-normalizers.js';
import { normalizeRefundCreated } from './refund-normalizers.js';

/** Shopify topic → normalizer. Topics not listed are acknowledged and counted as ignored. */
export const shopifyNormalizers: Readonly<Record<string, TopicNormalizer>> = {
  'orders/create': normalizeOrderCreated,
  'orders/paid': normalizeOrderCreated,
  'orders/updated': normalizeOrderUpdated,
  'orders/cancelled': normalizeOrderCancelled,
  'orders/fulfilled': normalizeOrderFulfilled,
  'refunds/create': normalizeRefundCreated,
  'customers/create': normalizeCustomer,
  'customers/update': normalizeCustomer,
  'customers_email_marketing_consent/update': normalizeEmailConsentUpdate,
  'customers_marketing_consent/update': normalizeSmsConsentUpdate,
  'app/uninstalled': normalizeAppUninstalled,
  'customers/data_request': normalizeDataRequest,
  'customers/redact': normalizeCustomerRedact,
  'shop/redact': normalizeShopRedact,
  'carts/create': normalizeCartActivity,
  'carts/update': normalizeCartActivity,
  'checkouts/create': normalizeCheckoutCreated,
  'checkouts/update': normalizeCheckoutUpdated,
  'checkouts/delete': normalizeCheckoutDeleted,
};
