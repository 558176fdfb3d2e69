import { createHash } from 'node:crypto';
import type { PersonUpdate } from '../canonical/person.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { ProcessStage } from '../process/process-stage.js';
import { hashedEmail } from './identity-hash.js';
import type { PersonVersionStore } from './person-version-store.js';

/**
 * The key an update's ordering is tracked under: shop, source, the person's strongest identifier and the set of
 * attributes it writes. Only updates of the same attributes can overwrite each other, so a consent update (an
 * unsubscribe) is never dropped as "older" than a profile update that does not touch consent.
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
  if (!id) return undefined;
  const fields = Object.keys(update.attributes).sort().join(',');
  const signature = createHash('sha256').update(fields).digest('hex').slice(0, 12);
  return `${update.shop}#${update.source}#${id}#${signature}`;
};

/**
 * Drops person updates older than one already sent for the same person and source (webhooks arrive out of
 * order; a late customers/update must not overwrite newer attributes). Events are never dropped here.
 */
export const staleUpdateStage = (store: PersonVersionStore, telemetry: Telemetry): ProcessStage => ({
  name: 'stale-person-updates',
  async apply(output) {
    const people: PersonUpdate[] = [];
    for (const update of output.people) {
      const key = personVersionKey(update);
      if (key === undefined || (await store.advance(key, update.occurred_at))) {
        people.push(update);
      } else {
        telemetry.counters.count('StalePersonUpdate');
        telemetry.log.info('older person update dropped', { source: update.source, shop: update.shop });
      }
    }
    return { ...output, people };
  },
});
