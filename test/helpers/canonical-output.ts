import { expect } from 'vitest';
import { eventIdFor } from '../../shared/canonical/event-id.js';
import { type CanonicalEvent, CanonicalEventSchema } from '../../shared/canonical/events.js';
import type { Normalized, NormalizeResult } from '../../shared/normalize/normalizer.js';

/**
 * The single canonical event of a normalizer's output, with its deterministic id attached and validated against
 * the canonical schema exactly as the process worker does. Fails the test when the output is ignored or holds
 * anything but one event.
 */
export const onlyEvent = (result: NormalizeResult | Normalized): CanonicalEvent => {
  if (result.kind !== 'normalized') throw new Error(result.reason);
  expect(result.events).toHaveLength(1);
  const [draft] = result.events;
  if (!draft) throw new Error('no event');
  return CanonicalEventSchema.parse({ ...draft, id: eventIdFor(draft.dedupe_key) });
};
