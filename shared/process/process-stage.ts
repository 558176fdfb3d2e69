import type { WebhookEnvelope } from '../ingest/envelope.js';
import type { Normalized } from '../normalize/normalizer.js';

/**
 * A step between normalization and emission with side effects of its own (identity stitching, cart recovery...).
 * Stages run in order inside the delivery's dedupe claim, so a failed delivery re-runs them: they must be
 * idempotent (conditional writes, deterministic keys). A stage may enrich or replace the output it passes on.
 */
export interface ProcessStage {
  readonly name: string;
  apply(output: Normalized, envelope: WebhookEnvelope): Promise<Normalized>;
}
