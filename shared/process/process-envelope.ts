import * as z from 'zod';
import { eventIdFor } from '../canonical/event-id.js';
import type { CanonicalEvent } from '../canonical/events.js';
import type { DedupeStore } from '../dedupe/dedupe-store.js';
import type { OutboxMessage } from '../delivery/outbox-message.js';
import { ClaimInProgressError, ConnectorError, PayloadValidationError } from '../errors.js';
import { type IdentityConfig, isAnonymous, resolveIdentifiers } from '../identity/identifiers.js';
import { type WebhookEnvelope, WebhookEnvelopeSchema } from '../ingest/envelope.js';
import { decodeInboxMessage } from '../ingest/inbox-message.js';
import { parseJsonLossless } from '../json/lossless-json.js';
import type { NormalizerRegistry } from '../normalize/normalizer.js';
import type { Clock } from '../ports/clock.js';
import type { MessageQueue } from '../ports/message-queue.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { ProcessStage } from './process-stage.js';

/** What the process core needs. */
export interface ProcessDeps {
  readonly dedupe: DedupeStore;
  readonly outbox: MessageQueue;
  /** The inbox DLQ: permanently invalid deliveries are parked there with their reason. */
  readonly parked: MessageQueue;
  readonly normalizers: NormalizerRegistry;
  /** The default phone country of a shop (numbers without a country code and no address to tell). */
  readonly phoneCountryFor?: (shop: string) => string | undefined;
  /** Stages run after normalization, in order (identity, cart recovery...). */
  readonly stages: readonly ProcessStage[];
  readonly identity: IdentityConfig;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}

/** What happened to one inbox message. */
export type ProcessOutcome = 'processed' | 'duplicate_delivery' | 'ignored' | 'parked';

/** The delivery-level dedupe key: one per platform delivery, stable across its retries (never the SQS id). */
const deliveryKey = (envelope: WebhookEnvelope): string =>
  `delivery#${envelope.source}#${envelope.shop}#${envelope.deliveryId}`;

const parseEnvelope = (body: string): WebhookEnvelope => {
  let json: unknown;
  try {
    json = decodeInboxMessage(body);
  } catch (error) {
    throw new PayloadValidationError('inbox message is not JSON', 'message body is not valid JSON', {
      cause: error,
    });
  }
  const result = WebhookEnvelopeSchema.safeParse(json);
  if (!result.success) {
    throw new PayloadValidationError('inbox message is not an envelope', z.prettifyError(result.error));
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
      {
        cause: error,
      },
    );
  }
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
    await deps.dedupe.release(key, claim.token).catch(() => undefined);
    throw error;
  }
  await deps.dedupe.complete(key, claim.token, deps.clock());
  return 'done';
};

const emit = async (deps: ProcessDeps, message: OutboxMessage, key: string): Promise<void> => {
  const outcome = await once(deps, key, () => deps.outbox.send({ body: JSON.stringify(message) }));
  deps.telemetry.counters.count(
    outcome === 'done' ? `Emitted_${message.type}` : `DuplicateBusinessEvent_${message.type}`,
  );
};

const handleEnvelope = async (envelope: WebhookEnvelope, deps: ProcessDeps): Promise<ProcessOutcome> => {
  const { counters, log } = deps.telemetry;
  const normalizer = deps.normalizers[envelope.source]?.[envelope.topic];
  if (!normalizer) {
    counters.count('IgnoredTopic');
    log.info('topic not handled; acknowledged', { source: envelope.source, topic: envelope.topic });
    return 'ignored';
  }
  let outcome: ProcessOutcome = 'processed';
  const claimed = await once(deps, deliveryKey(envelope), async () => {
    const result = normalizer(parseBody(envelope), envelope, {
      phoneCountry: deps.phoneCountryFor?.(envelope.shop),
    });
    if (result.kind === 'ignored') {
      counters.count('IgnoredDelivery');
      log.info('delivery carries nothing to emit', {
        source: envelope.source,
        topic: envelope.topic,
        reason: result.reason,
      });
      outcome = 'ignored';
      return;
    }
    let output = result;
    for (const stage of deps.stages) output = await stage.apply(output, envelope);
    for (const merge of output.merges ?? []) {
      const primary = resolveIdentifiers(merge.primary, deps.identity);
      const secondary = resolveIdentifiers(merge.secondary, deps.identity);
      if (!primary || !secondary || isAnonymous(primary) || isAnonymous(secondary)) continue;
      if (JSON.stringify(primary) === JSON.stringify(secondary)) continue;
      const { shop, dedupe_key } = merge;
      await emit(deps, { type: 'merge', primary, secondary, shop, dedupe_key }, dedupe_key);
    }
    for (const update of output.people) {
      const identifiers = resolveIdentifiers(update.person, deps.identity);
      if (identifiers) await emit(deps, { type: 'identify', identifiers, update }, update.dedupe_key);
    }
    for (const deletion of output.deletions ?? []) {
      const identifiers = resolveIdentifiers(deletion.person, deps.identity);
      if (!identifiers) continue;
      const { shop, dedupe_key } = deletion;
      await emit(deps, { type: 'delete', identifiers, shop, dedupe_key }, dedupe_key);
    }
    for (const draft of output.events) {
      // Built from a payload its schema validated, typed as canonical, and validated again where the outbox is
      // read (deliver): parsing it here too only cost CPU (tests hold every normalizer to the canonical schema).
      const event: CanonicalEvent = { ...draft, id: eventIdFor(draft.dedupe_key) };
      const identifiers = resolveIdentifiers(event.person, deps.identity);
      if (!identifiers) {
        counters.count('UnidentifiedEvent');
        log.info('event has no known person; not delivered', { name: event.name, source: event.source });
        continue;
      }
      await emit(deps, { type: 'event', identifiers, event }, event.dedupe_key);
    }
  });
  if (claimed === 'duplicate') {
    counters.count('DuplicateDelivery');
    return 'duplicate_delivery';
  }
  return outcome;
};

/**
 * Processes one inbox message: parse the envelope, dedupe the delivery, normalize, dedupe each business event,
 * hand the results to the outbox. A permanently invalid message is parked in the DLQ with its reason (then the
 * record succeeds: it is moved, not dropped); any other failure throws so the record is retried.
 */
export const processInboxMessage = async (body: string, deps: ProcessDeps): Promise<ProcessOutcome> => {
  try {
    return await handleEnvelope(parseEnvelope(body), deps);
  } catch (error) {
    if (!(error instanceof ConnectorError) || !error.permanent) throw error;
    const summary = error instanceof PayloadValidationError ? error.summary : error.message;
    await deps.parked.send({
      body,
      attributes: {
        failure_code: error.code,
        failure_reason: `${error.message}: ${summary}`.slice(0, 4_000),
        failed_at: deps.clock().toISOString(),
      },
    });
    deps.telemetry.counters.count('ParkedInvalidPayload');
    deps.telemetry.log.warn('invalid payload parked in DLQ', { code: error.code });
    return 'parked';
  }
};
