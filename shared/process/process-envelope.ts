import * as z from 'zod';
import type { ActivityRecorder } from '../activity/activity-recorder.js';
import type { EmitVerdict } from '../activity/delivery-entry.js';
import type { DedupeStore, OwnershipStore } from '../dedupe/dedupe-store.js';
import { giveBack } from '../dedupe/give-back.js';
import { ClaimInProgressError, EnvelopeInvalidError, PayloadValidationError } from '../errors.js';
import { scrubReason } from '../failures/safe-reason.js';
import type { IdentityConfig } from '../identity/identifiers.js';
import { deliveryKeyOf, type WebhookEnvelope, WebhookEnvelopeSchema } from '../ingest/envelope.js';
import { tryDecodeInboxMessage } from '../ingest/inbox-message.js';
import { parseJsonLossless } from '../json/lossless-json.js';
import type { Normalized, NormalizerRegistry, TopicNormalizer } from '../normalize/normalizer.js';
import type { Clock } from '../ports/clock.js';
import type { MessageQueue } from '../ports/message-queue.js';
import type { Telemetry } from '../ports/telemetry.js';
import { emitPlan } from './emit-plan.js';
import { applyOriginPolicy } from './origin-policy.js';
import { planOutputs } from './plan-outputs.js';
import type { ProcessStage } from './process-stage.js';

/** What the process core needs. */
export interface ProcessDeps {
  /** Delivery claims (claim, complete) and the one-write ownership of each emitted business key. */
  readonly dedupe: DedupeStore & OwnershipStore;
  readonly outbox: MessageQueue;
  readonly normalizers: NormalizerRegistry;
  /** The default phone country of a shop (numbers without a country code and no address to tell). */
  readonly phoneCountryFor?: (shop: string) => string | undefined;
  /** Stages run after normalization, in order (identity, cart recovery...). */
  readonly stages: readonly ProcessStage[];
  readonly identity: IdentityConfig;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
  /** The activity record (best effort, never throws); absent when ACTIVITY_LOG is off. */
  readonly activity?: Pick<ActivityRecorder, 'processed'>;
}

/** What happened to one inbox message. */
export type ProcessOutcome = 'processed' | 'duplicate_delivery' | 'ignored';

const parseEnvelope = (body: string): WebhookEnvelope => {
  const json = tryDecodeInboxMessage(body);
  if (json === undefined) throw new EnvelopeInvalidError('inbox message is not JSON');
  const result = WebhookEnvelopeSchema.safeParse(json);
  if (!result.success) {
    throw new EnvelopeInvalidError(`inbox message is not an envelope: ${z.prettifyError(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
};

const parseBody = (envelope: WebhookEnvelope): unknown => {
  try {
    return parseJsonLossless(envelope.body);
  } catch (error) {
    throw new PayloadValidationError(
      `${envelope.source} ${envelope.topic} body is not JSON`,
      'body is not valid JSON',
      { cause: error },
    );
  }
};

/** The normalizer of a topic; an own property only, so a topic named `constructor` or `__proto__` has none. */
const normalizerFor = (
  registry: NormalizerRegistry,
  envelope: WebhookEnvelope,
): TopicNormalizer | undefined => {
  const topics = Object.hasOwn(registry, envelope.source) ? registry[envelope.source] : undefined;
  return topics && Object.hasOwn(topics, envelope.topic) ? topics[envelope.topic] : undefined;
};

/** Runs `work` once per key: claim, act, complete; releases the claim when the work fails so a retry can act. */
const once = async (
  deps: ProcessDeps,
  key: string,
  work: () => Promise<void>,
): Promise<'done' | 'duplicate'> => {
  const claim = await deps.dedupe.claim(key, deps.clock());
  if (claim.status === 'duplicate') return 'duplicate';
  if (claim.status === 'in_progress') throw new ClaimInProgressError(key);
  try {
    await work();
  } catch (error) {
    await giveBack(key, () => deps.dedupe.release(key, claim.token), deps.telemetry);
    throw error;
  }
  await deps.dedupe.complete(key, claim.token, deps.clock());
  return 'done';
};

/**
 * Storefront beacons (unsigned) skip the delivery claim: their ids are chosen by the browser, so a claim protects
 * nothing a sender could not bypass, and costs two DynamoDB writes per beacon. A redelivered beacon re-runs
 * idempotent stages and resends its event under the same deterministic id, which Customer.io drops.
 */
const deliveryOnce = (
  deps: ProcessDeps,
  envelope: WebhookEnvelope,
  work: () => Promise<void>,
): Promise<'done' | 'duplicate'> =>
  envelope.signed ? once(deps, deliveryKeyOf(envelope), work) : work().then(() => 'done' as const);

const handleEnvelope = async (envelope: WebhookEnvelope, deps: ProcessDeps): Promise<ProcessOutcome> => {
  const { counters, log } = deps.telemetry;
  const normalizer = normalizerFor(deps.normalizers, envelope);
  if (!normalizer) {
    counters.count('IgnoredTopic');
    log.info('topic not handled; acknowledged', { source: envelope.source, topic: envelope.topic });
    return 'ignored';
  }
  let outcome: ProcessOutcome = 'processed';
  const seen: { output?: Normalized; note?: string; emits?: ReadonlyMap<string, EmitVerdict> } = {};
  const claimed = await deliveryOnce(deps, envelope, async () => {
    const result = normalizer(parseBody(envelope), envelope, {
      phoneCountry: deps.phoneCountryFor?.(envelope.shop),
    });
    if (result.kind === 'ignored') {
      counters.count('IgnoredDelivery');
      log.info('delivery carries nothing to emit', {
        source: envelope.source,
        topic: envelope.topic,
        // Normalizers write these reasons, and some quote payload values (a data request's id).
        reason: scrubReason(result.reason, 300),
      });
      outcome = 'ignored';
      seen.note = result.reason;
      return;
    }
    let output = result;
    for (const stage of deps.stages) output = await stage.apply(output, envelope);
    output = applyOriginPolicy(output, envelope, counters);
    // Every output is validated before the first is emitted: a deterministic failure emits nothing.
    const plan = planOutputs(output, deps.identity, {
      delivery_id: envelope.deliveryId,
      received_at: envelope.receivedAt,
    });
    for (const event of plan.unidentified) {
      counters.count('UnidentifiedEvent');
      log.info('event has no known person; not delivered', { name: event.name, source: event.source });
    }
    seen.output = output;
    seen.emits = await emitPlan(plan, envelope.signed ? deliveryKeyOf(envelope) : undefined, {
      ownership: deps.dedupe,
      outbox: deps.outbox,
      clock: deps.clock,
      telemetry: deps.telemetry,
    });
  });
  if (claimed === 'duplicate') {
    counters.count('DuplicateDelivery');
    outcome = 'duplicate_delivery';
  }
  await deps.activity?.processed({ envelope, verdict: outcome, ...seen });
  return outcome;
};

/**
 * Processes one inbox message: parse the envelope, dedupe the delivery, normalize, run the stages, validate every
 * output, then hand each to the outbox once (business-event dedupe). Any failure throws, typed: the SQS record
 * runner classifies it and parks it (permanent) or retries it with backoff (transient).
 */
export const processInboxMessage = async (body: string, deps: ProcessDeps): Promise<ProcessOutcome> =>
  handleEnvelope(parseEnvelope(body), deps);

/** The correlation ids of an inbox message: its platform delivery id and event id (none when unreadable). */
export const inboxCorrelation = (body: string): { delivery_id?: string; event_id?: string } => {
  const parsed = tryDecodeInboxMessage(body);
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { deliveryId, eventId } = parsed as { deliveryId?: unknown; eventId?: unknown };
  return {
    ...(typeof deliveryId === 'string' ? { delivery_id: deliveryId.slice(0, 256) } : {}),
    ...(typeof eventId === 'string' ? { event_id: eventId.slice(0, 256) } : {}),
  };
};
