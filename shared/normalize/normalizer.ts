import * as z from 'zod';
import type { CanonicalEventDraft } from '../canonical/events.js';
import type { PersonDeletion, PersonUpdate, ProfileMerge } from '../canonical/person.js';
import { PayloadValidationError } from '../errors.js';
import type { WebhookEnvelope } from '../ingest/envelope.js';

/**
 * A fact a normalizer hands to the process stages beside the events (cart activity for recovery, identity links
 * for stitching...). Each stage defines its own signal types and picks them out by `type`.
 */
export interface Signal {
  readonly type: string;
}

/** The canonical output of one delivery. */
export interface Normalized {
  readonly kind: 'normalized';
  readonly events: CanonicalEventDraft[];
  readonly people: PersonUpdate[];
  readonly signals: Signal[];
  /** Privacy deletions of people (a redact request), emitted like people updates. */
  readonly deletions?: PersonDeletion[];
  /** Profiles to merge in Customer.io (set by the identity stage), emitted before the people updates. */
  readonly merges?: ProfileMerge[];
}

/** What one delivery turns into. */
export type NormalizeResult = { readonly kind: 'ignored'; readonly reason: string } | Normalized;

/** Per-shop settings a normalizer may need (resolved by the process worker from its validated environment). */
export interface NormalizeContext {
  /** ISO 3166 alpha-2 country for phone numbers written without a country code, when no address says it. */
  readonly phoneCountry?: string;
}

/** Turns a parsed, verified payload of one topic into canonical output; throws PayloadValidationError on bad shape. */
export type TopicNormalizer = (
  payload: unknown,
  envelope: WebhookEnvelope,
  context?: NormalizeContext,
) => NormalizeResult;

/** Topic → normalizer, per source. */
export type NormalizerRegistry = Readonly<Record<string, Readonly<Record<string, TopicNormalizer>>>>;

/** Parses a payload with a schema, turning a mismatch into a PayloadValidationError with a readable summary. */
export const parsePayload = <S extends z.ZodType>(schema: S, payload: unknown, label: string): z.infer<S> => {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const summary = z.prettifyError(result.error);
    throw new PayloadValidationError(`${label} payload does not match its schema`, summary, {
      cause: result.error,
    });
  }
  return result.data;
};

/** Nothing to emit for this delivery (acknowledged, counted). */
export const ignored = (reason: string): NormalizeResult => ({ kind: 'ignored', reason });

/** Canonical output of a delivery. */
export const normalized = (
  events: CanonicalEventDraft[],
  people: PersonUpdate[] = [],
  signals: Signal[] = [],
): Normalized => ({
  kind: 'normalized',
  events,
  people,
  signals,
});
