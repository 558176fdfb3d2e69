import type { WebhookEnvelope } from '../ingest/envelope.js';
import type { Normalized } from '../normalize/normalizer.js';
import type { Counters } from '../ports/telemetry.js';

/**
 * What a delivery's origin allows it to emit. A backfill replays history: by default it updates people (their
 * attributes, identity merges and rollups, which the stages already derived from its events) and sends no event, so
 * no campaign fires on a years-old purchase. With `backfillEvents` its events go out flagged `backfill: true`, under
 * the same business keys as live webhooks (a live event already sent stays the only one). Webhooks and
 * reconciliation (records a webhook should have delivered) emit everything.
 */
export const applyOriginPolicy = (
  output: Normalized,
  envelope: WebhookEnvelope,
  counters: Counters,
): Normalized => {
  if (envelope.origin !== 'backfill' || output.events.length === 0) return output;
  if (envelope.backfillEvents !== true) {
    counters.count('BackfillEventsWithheld', output.events.length);
    return { ...output, events: [] };
  }
  return { ...output, events: output.events.map((event) => ({ ...event, backfill: true as const })) };
};
