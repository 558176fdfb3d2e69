import type { PersonAttributes, PersonUpdate } from '../canonical/person.js';
import { identifyOrdering } from '../delivery/identify-ordering.js';
import type { Normalized, Signal } from '../normalize/normalizer.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { ProcessStage } from '../process/process-stage.js';
import { type AttributeScopeSignal, attributeScopes } from './attribute-scope.js';
import { hashedEmail } from './identity-hash.js';
import type { PersonVersionStore } from './person-version-store.js';

/**
 * The person an update's attribute versions are kept under: shop, source and the person's strongest identifier
 * (emails hashed: keys hold no personal data). Undefined when the update names nobody.
 */
export const personVersionKey = (update: PersonUpdate): string | undefined => {
  const { person } = update;
  const id = person.customer_id
    ? `customer:${person.customer_id}`
    : person.recharge_customer_id
      ? `recharge:${person.recharge_customer_id}`
      : person.email
        ? `email:${hashedEmail(person.email)}`
        : undefined;
  return id === undefined ? undefined : `${update.shop}#${update.source}#${id}`;
};

/** The source time (epoch ms) of every attribute an update sets, clears or covers. */
const versionsOf = (
  update: PersonUpdate,
  scope: AttributeScopeSignal | undefined,
): Record<string, number> => {
  const at = Date.parse(update.occurred_at);
  const names = [...Object.keys(update.attributes), ...(scope?.cleared ?? []), ...(scope?.covered ?? [])];
  return Object.fromEntries(
    names.map((name) => {
      const own = scope?.times[name as keyof PersonAttributes];
      return [name, own === undefined ? at : Date.parse(own)];
    }),
  );
};

/** What one person update states: its person's version key and the source time of each attribute it touches. */
export interface StatedVersions {
  readonly key: string;
  readonly versions: Readonly<Record<string, number>>;
}

/**
 * The versions a delivery's person updates state, as the stage records them (updates naming nobody state none).
 * The backfill feeder reads them to tell a record whose attributes are all recorded already.
 */
export const statedVersions = (output: Pick<Normalized, 'people' | 'signals'>): StatedVersions[] => {
  const scopes = attributeScopes(output.signals);
  return output.people.flatMap((update) => {
    const key = personVersionKey(update);
    return key === undefined ? [] : [{ key, versions: versionsOf(update, scopes.get(update.dedupe_key)) }];
  });
};

/**
 * Per-attribute ordering of person updates (webhooks arrive out of order, and a late one must not undo a newer
 * one). Every attribute an update sets or clears carries a source time, the update's `occurred_at` unless the
 * source dates it separately (consent by its consent timestamp). An attribute goes out only if no newer update
 * set, cleared or covered it; the rest of the update still goes out, and an update left with nothing is dropped.
 * Cleared attributes that win are sent empty, so Customer.io forgets them too. Events are never dropped here.
 */
export const staleUpdateStage = (store: PersonVersionStore, telemetry: Telemetry): ProcessStage => ({
  name: 'stale-person-updates',
  async apply(output) {
    const scopes = attributeScopes(output.signals);
    const people: PersonUpdate[] = [];
    const signals: Signal[] = [...output.signals];
    for (const update of output.people) {
      const key = personVersionKey(update);
      if (key === undefined) {
        people.push(update);
        continue;
      }
      const scope = scopes.get(update.dedupe_key);
      const versions = versionsOf(update, scope);
      const allowed = await store.advance(key, versions);
      const attributes: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(update.attributes)) {
        if (allowed.has(name)) attributes[name] = value;
      }
      for (const name of scope?.cleared ?? []) {
        if (allowed.has(name) && attributes[name] === undefined) attributes[name] = '';
      }
      const stale = Object.keys(versions).filter((name) => !allowed.has(name));
      if (stale.length > 0) {
        telemetry.counters.count('StalePersonUpdate');
        telemetry.log.info('older person attributes dropped', {
          source: update.source,
          shop: update.shop,
          attributes: stale.sort().join(','),
          kept: Object.keys(attributes).length,
        });
      }
      if (Object.keys(attributes).length > 0) {
        people.push({ ...update, attributes: attributes as PersonAttributes });
        // The same order holds at delivery: deliver sends an attribute only if no newer version of it went out.
        const delivered = Object.fromEntries(Object.entries(versions).filter(([name]) => allowed.has(name)));
        signals.push(identifyOrdering(update.dedupe_key, { kind: 'attributes', key, versions: delivered }));
      }
    }
    return { ...output, people, signals };
  },
});
