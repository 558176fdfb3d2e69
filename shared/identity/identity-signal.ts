import type { Signal } from '../normalize/normalizer.js';

/** Identifiers a delivery reveals together. */
export interface LinkedIdentifiers {
  readonly anonymous_id?: string;
  readonly cart_token?: string;
  readonly checkout_token?: string;
  readonly customer_id?: string;
  readonly email?: string;
  /** E.164. */
  readonly phone?: string;
  readonly recharge_customer_id?: string;
}

/**
 * "These identifiers belong together", as one delivery states it. Only signed sources are `trusted`; an untrusted
 * link (a storefront beacon) may only attach an anonymous id to a cart token, never decide who a person is.
 */
export interface IdentityLinkSignal extends Signal {
  readonly type: 'identity_link';
  readonly trusted: boolean;
  readonly identifiers: LinkedIdentifiers;
  /** Source time of the statement (ISO 8601), for ordering. */
  readonly observed_at: string;
}

/** Builds an identity link signal. */
export const identityLink = (
  trusted: boolean,
  identifiers: LinkedIdentifiers,
  observedAt: string,
): IdentityLinkSignal => ({
  type: 'identity_link',
  trusted,
  identifiers: Object.fromEntries(Object.entries(identifiers).filter(([, v]) => v !== undefined && v !== '')),
  observed_at: observedAt,
});

/** Picks the identity links out of a delivery's signals. */
export const identityLinks = (signals: readonly Signal[]): IdentityLinkSignal[] =>
  signals.filter((s): s is IdentityLinkSignal => s.type === 'identity_link');

/**
 * "A person was forgotten (privacy redact), and these were their cart and checkout tokens": stages that keep
 * contact data under those tokens (cart records) blank it. Emitted by the identity stage, which alone knows them.
 */
export interface ContactForgottenSignal extends Signal {
  readonly type: 'contact_forgotten';
  readonly shop: string;
  readonly cart_tokens: readonly string[];
  readonly checkout_tokens: readonly string[];
}
