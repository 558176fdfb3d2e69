import type { PersonRef } from '../canonical/common.js';
import type { PersonUpdate } from '../canonical/person.js';
import { type IdentityConfig, isAnonymous, resolveIdentifiers } from '../identity/identifiers.js';
import { mergeKey } from '../identity/identity-stage.js';
import { deliveryKeyOf } from '../ingest/envelope.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { ProcessStage } from '../process/process-stage.js';
import { acquisitionTouches } from './acquisition-signal.js';
import type { AcquisitionStore, StoredTouch } from './acquisition-store.js';
import { hashedEmail } from './identity-hash.js';

/** What the acquisition stage needs. */
export interface AcquisitionStageDeps {
  readonly store: AcquisitionStore;
  readonly identity: IdentityConfig;
  readonly telemetry: Telemetry;
}

/** The Customer.io person a first touch belongs to (emails hashed: keys hold no personal data). */
const personKeyOf = (shop: string, person: PersonRef, identity: IdentityConfig): string | undefined => {
  const identifiers = resolveIdentifiers(person, identity, shop);
  if (!identifiers || isAnonymous(identifiers)) return undefined;
  return `${shop}#${'id' in identifiers ? `id:${identifiers.id}` : `email:${hashedEmail(identifiers.email)}`}`;
};

/**
 * First-touch attribution (`acquisition_source`, `acquisition_medium`, `acquisition_campaign`,
 * `first_landing_page`, `first_referrer`), set once per person and never overwritten. A storefront browser's
 * landing (an entry page view) is kept for that browser; when a signed delivery merges the browser into a person,
 * its landing becomes the person's first touch. Otherwise the person's first order (Shopify `landing_site`,
 * `referring_site`, `source_name`) sets it. A conditional write decides, so a later touch, a retry or a concurrent
 * delivery never overwrites it; the identify goes out once (key `acquisition#<person>#<touch origin>`).
 */
export const acquisitionStage = (deps: AcquisitionStageDeps): ProcessStage => ({
  name: 'acquisition',
  async apply(output, envelope) {
    const { shop } = envelope;
    const touches = acquisitionTouches(output.signals);
    const browserTouches = new Map<string, StoredTouch>();
    for (const touch of touches) {
      if (touch.origin !== 'browser') continue;
      const stored = {
        attributes: touch.attributes,
        at: touch.observed_at,
        origin: `browser:${touch.anonymous_id}`,
      };
      browserTouches.set(touch.anonymous_id, stored);
      await deps.store.recordBrowserTouch(shop, touch.anonymous_id, stored);
    }

    /** Per person: the touch to claim (the earliest merged browser first, else the order) and who it is. */
    const candidates = new Map<string, { touch: StoredTouch; person: PersonRef; occurredAt: string }>();
    const merged = output.people.flatMap((update) => {
      const anonymousId = update.attributes.anonymous_id;
      if (!envelope.signed || !anonymousId || update.dedupe_key !== mergeKey(shop, anonymousId)) return [];
      const key = personKeyOf(shop, update.person, deps.identity);
      return key ? [{ update, anonymousId, key }] : [];
    });
    // The merged browsers' landings, read at once.
    const mergedTouches = await Promise.all(
      merged.map(
        ({ anonymousId }) => browserTouches.get(anonymousId) ?? deps.store.browserTouch(shop, anonymousId),
      ),
    );
    for (const [i, { update, key }] of merged.entries()) {
      const touch = mergedTouches[i];
      const known = candidates.get(key);
      if (touch && (!known || touch.at < known.touch.at)) {
        candidates.set(key, { touch, person: update.person, occurredAt: touch.at });
      }
    }
    for (const touch of touches) {
      if (touch.origin !== 'order' || !envelope.signed) continue;
      const key = personKeyOf(shop, touch.person, deps.identity);
      if (!key || candidates.has(key)) continue;
      candidates.set(key, {
        touch: { attributes: touch.attributes, at: touch.observed_at, origin: `order:${touch.order_id}` },
        person: touch.person,
        occurredAt: touch.observed_at,
      });
    }

    const people: PersonUpdate[] = [...output.people];
    for (const [key, { touch, person, occurredAt }] of candidates) {
      if (!(await deps.store.claimPersonTouch(key, touch, deliveryKeyOf(envelope)))) continue;
      deps.telemetry.counters.count('AcquisitionSet');
      people.push({
        // Once per person and touch: a retry is a duplicate; after a privacy redact the new profile gets its own.
        dedupe_key: `acquisition#${key}#${touch.origin}`,
        source: envelope.source,
        shop,
        occurred_at: occurredAt,
        person,
        attributes: touch.attributes,
      });
    }
    if (envelope.signed) {
      for (const deletion of output.deletions ?? []) {
        const key = personKeyOf(deletion.shop, deletion.person, deps.identity);
        if (key) await deps.store.forgetPerson(key);
      }
    }
    return { ...output, people };
  },
});
