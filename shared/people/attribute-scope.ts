import type { PersonAttributes } from '../canonical/person.js';
import type { Signal } from '../normalize/normalizer.js';

/** A person attribute name. */
export type AttributeName = keyof PersonAttributes;

/**
 * What a person update states beyond the attributes it sets, for per-attribute ordering (the stale-update stage):
 * the attributes the source reported empty, those it speaks for without setting, and attribute times that are not
 * the update's `occurred_at` (consent has its own timestamp).
 */
export interface AttributeScopeSignal extends Signal {
  readonly type: 'attribute_scope';
  /** The person update this describes, by its dedupe key. */
  readonly update_key: string;
  /** Reported empty by the source (a phone removed): ordered like a set attribute, and cleared in Customer.io. */
  readonly cleared: readonly AttributeName[];
  /**
   * Spoken for without a value to send: ordered, never sent. An email consent statement covers `unsubscribed`,
   * which is only ever sent as `true`, so an older unsubscribe cannot land after a newer subscribe.
   */
  readonly covered: readonly AttributeName[];
  /** Source time (ISO 8601) of attributes stated at another time than the update (consent_updated_at). */
  readonly times: Readonly<Partial<Record<AttributeName, string>>>;
}

/** Builds an attribute scope signal (empty parts may be omitted). */
export const attributeScope = (
  updateKey: string,
  parts: {
    readonly cleared?: readonly AttributeName[];
    readonly covered?: readonly AttributeName[];
    readonly times?: Partial<Record<AttributeName, string>>;
  },
): AttributeScopeSignal => ({
  type: 'attribute_scope',
  update_key: updateKey,
  cleared: parts.cleared ?? [],
  covered: parts.covered ?? [],
  times: parts.times ?? {},
});

/** The scope signals of a delivery, by the dedupe key of the update each describes. */
export const attributeScopes = (signals: readonly Signal[]): ReadonlyMap<string, AttributeScopeSignal> =>
  new Map(
    signals
      .filter((s): s is AttributeScopeSignal => s.type === 'attribute_scope')
      .map((s) => [s.update_key, s]),
  );
