import * as z from 'zod';
import type { Signal } from '../normalize/normalizer.js';

/**
 * Where an identify stands in its person's history, so the deliver worker can refuse one that is older than an
 * identify already sent: SQS does not keep order, a retry can deliver an old message late, and Customer.io does
 * not order attribute updates by their timestamp (the last one to arrive wins).
 */
export const IdentifyOrderingSchema = z.discriminatedUnion('kind', [
  z.object({
    /** A person rollup: every identify sends all of it, so one version orders it (newer replaces older whole). */
    kind: z.literal('rollup'),
    /** The rollup key (`<shop>#id:<customer id>` or `<shop>#email:<hash>`). */
    key: z.string().min(1).max(512),
    /** The rollup's version, assigned by the conditional write that produced this state. */
    version: z.number().int().nonnegative(),
  }),
  z.object({
    /** Person attributes of one source, each ordered on its own (an update sends only some of them). */
    kind: z.literal('attributes'),
    /** The per-attribute version key (`<shop>#<source>#customer:<id>`, see the stale-update stage). */
    key: z.string().min(1).max(512),
    /** Source time (epoch ms) of each attribute this identify sets, clears or covers. */
    versions: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.number().finite()),
  }),
]);
/** An identify's ordering. */
export type IdentifyOrdering = z.infer<typeof IdentifyOrderingSchema>;

/** "This person update has this ordering": set by the stages that know it, read when the outbox message is built. */
interface IdentifyOrderingSignal extends Signal {
  readonly type: 'identify_ordering';
  /** The person update it describes, by its dedupe key. */
  readonly update_key: string;
  readonly ordering: IdentifyOrdering;
}

/** Builds an ordering signal. */
export const identifyOrdering = (updateKey: string, ordering: IdentifyOrdering): IdentifyOrderingSignal => ({
  type: 'identify_ordering',
  update_key: updateKey,
  ordering,
});

/** The orderings of a delivery's person updates, by update dedupe key. */
export const identifyOrderings = (signals: readonly Signal[]): ReadonlyMap<string, IdentifyOrdering> =>
  new Map(
    signals
      .filter((s): s is IdentifyOrderingSignal => s.type === 'identify_ordering')
      .map((s) => [s.update_key, s.ordering]),
  );
