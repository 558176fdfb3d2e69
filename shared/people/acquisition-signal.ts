import type { PersonRef } from '../canonical/common.js';
import type { Signal } from '../normalize/normalizer.js';
import type { AcquisitionAttributes } from './acquisition.js';

/** A storefront browser landed on the shop (an entry page view): untrusted, kept for that browser only. */
export interface BrowserTouchSignal extends Signal {
  readonly type: 'acquisition_touch';
  readonly origin: 'browser';
  readonly anonymous_id: string;
  readonly attributes: AcquisitionAttributes;
  /** When the browser landed (ISO 8601). */
  readonly observed_at: string;
}

/** An order names where its buyer came from (Shopify `landing_site`, `referring_site`, `source_name`). */
export interface OrderTouchSignal extends Signal {
  readonly type: 'acquisition_touch';
  readonly origin: 'order';
  readonly order_id: string;
  readonly person: PersonRef;
  readonly attributes: AcquisitionAttributes;
  readonly observed_at: string;
}

/** A first-touch candidate. */
export type AcquisitionTouchSignal = BrowserTouchSignal | OrderTouchSignal;

/** Builds a browser touch. */
export const browserTouch = (
  anonymousId: string,
  attributes: AcquisitionAttributes,
  observedAt: string,
): BrowserTouchSignal => ({
  type: 'acquisition_touch',
  origin: 'browser',
  anonymous_id: anonymousId,
  attributes,
  observed_at: observedAt,
});

/** Builds an order touch. */
export const orderTouch = (
  orderId: string,
  person: PersonRef,
  attributes: AcquisitionAttributes,
  observedAt: string,
): OrderTouchSignal => ({
  type: 'acquisition_touch',
  origin: 'order',
  order_id: orderId,
  person,
  attributes,
  observed_at: observedAt,
});

/** The touches of a delivery. */
export const acquisitionTouches = (signals: readonly Signal[]): AcquisitionTouchSignal[] =>
  signals.filter((s): s is AcquisitionTouchSignal => s.type === 'acquisition_touch');
