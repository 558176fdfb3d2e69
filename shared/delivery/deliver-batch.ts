import * as z from 'zod';
import { EnvelopeInvalidError } from '../errors.js';
import { isAnonymous } from '../identity/identifiers.js';
import { tryParseJson } from '../json/lossless-json.js';
import type { Clock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { BatchResult, CioOperation, CustomerIoTrack } from './customerio-client.js';
import { CUSTOMER_IO_FAILURE_METRICS, DestinationRejectedError } from './customerio-errors.js';
import { type OutboxMessage, OutboxMessageSchema } from './outbox-message.js';

/** One queued outbox record. */
export interface OutboxRecord {
  readonly messageId: string;
  readonly body: string;
}

/** What the deliver core needs. */
export interface DeliverDeps {
  readonly track: CustomerIoTrack;
  /** Canonical name → name sent to Customer.io (deployments that follow Segment's spec rename events). */
  readonly eventNames: Readonly<Record<string, string>>;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}

const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** Maps an outbox message to its Customer.io operation. */
export const toOperation = (
  message: OutboxMessage,
  eventNames: Readonly<Record<string, string>>,
): CioOperation => {
  if (message.type === 'identify') {
    return {
      type: 'person',
      identifiers: message.identifiers,
      action: 'identify',
      timestamp: unixSeconds(message.update.occurred_at),
      attributes: { ...message.update.attributes },
    };
  }
  if (message.type === 'merge') {
    return { type: 'person', action: 'merge', primary: message.primary, secondary: message.secondary };
  }
  if (message.type === 'delete') {
    return { type: 'person', identifiers: message.identifiers, action: 'delete' };
  }
  const { event } = message;
  return {
    type: 'person',
    identifiers: message.identifiers,
    action: 'event',
    name: eventNames[event.name] ?? event.name,
    id: event.id,
    timestamp: unixSeconds(event.occurred_at),
    attributes: {
      ...event.properties,
      source: event.source,
      shop: event.shop,
      ...(event.backfill ? { backfill: true } : {}),
    },
  };
};

/** Reads an outbox record, or says why it is not a deliverable message (a permanent failure). */
const readRecord = (record: OutboxRecord): OutboxMessage | EnvelopeInvalidError => {
  const parsed = OutboxMessageSchema.safeParse(tryParseJson(record.body));
  if (!parsed.success) {
    return new EnvelopeInvalidError(
      `outbox record is not a valid message: ${z.prettifyError(parsed.error)}`,
      {
        cause: parsed.error,
      },
    );
  }
  const addressed =
    parsed.data.type === 'merge' ? [parsed.data.primary, parsed.data.secondary] : [parsed.data.identifiers];
  if (parsed.data.type !== 'event' && addressed.some(isAnonymous)) {
    return new EnvelopeInvalidError(`an anonymous id cannot be the subject of a ${parsed.data.type}`);
  }
  return parsed.data;
};

/**
 * Delivers a batch of outbox records in one Track API v2 batch call and resolves to the error of every record that
 * failed, by message id: records that are not valid outbox messages and items Customer.io rejected (permanent),
 * items whose call failed (transient: auth, rate limit, 5xx, timeout), and the records of a call that could not be
 * made (the track threw: credentials unreadable). Counts the Customer.io outcome metrics and, per accepted item,
 * DeliveryLag from the webhook's receipt at ingest.
 */
export const deliverOutboxRecords = async (
  records: readonly OutboxRecord[],
  deps: DeliverDeps,
): Promise<Map<string, unknown>> => {
  const { counters } = deps.telemetry;
  const errors = new Map<string, unknown>();
  const sendable: { messageId: string; message: OutboxMessage }[] = [];
  for (const record of records) {
    const message = readRecord(record);
    if (message instanceof EnvelopeInvalidError) errors.set(record.messageId, message);
    else sendable.push({ messageId: record.messageId, message });
  }
  if (sendable.length === 0) return errors;

  let result: BatchResult;
  try {
    result = await deps.track.batch(sendable.map((s) => toOperation(s.message, deps.eventNames)));
  } catch (error) {
    // No call was made (credentials unreadable or missing): the records sent fail with the error, classified by
    // the worker like any other; records already refused above keep their own (permanent) error.
    for (const { messageId } of sendable) errors.set(messageId, error);
    return errors;
  }
  for (const call of result.calls) {
    if (call !== 'accepted' && call !== 'partial' && call !== 'rejected') {
      counters.count(CUSTOMER_IO_FAILURE_METRICS[call]);
    }
  }
  const now = deps.clock().getTime();
  let accepted = 0;
  let rejected = 0;
  sendable.forEach(({ messageId, message }, index) => {
    const outcome = result.items[index];
    if (!outcome) return;
    if (!outcome.ok) {
      errors.set(messageId, outcome.error);
      if (outcome.error instanceof DestinationRejectedError) rejected += 1;
      return;
    }
    accepted += 1;
    const receivedAt = message.trace ? Date.parse(message.trace.received_at) : Number.NaN;
    if (Number.isFinite(receivedAt)) counters.timing('DeliveryLag', Math.max(0, now - receivedAt));
  });
  if (accepted > 0) {
    counters.count('CustomerIoAccepted', accepted);
    counters.count('DeliveredOperations', accepted);
  }
  if (rejected > 0) {
    counters.count('CustomerIoRejected', rejected);
    counters.count('RejectedOperations', rejected);
  }
  return errors;
};

/** The correlation ids of an outbox record (none when the body is unreadable). */
export const outboxCorrelation = (body: string): { delivery_id?: string; event_id?: string } => {
  const parsed = tryParseJson(body);
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { trace, event } = parsed as { trace?: { delivery_id?: unknown }; event?: { id?: unknown } };
  return {
    ...(typeof trace?.delivery_id === 'string' ? { delivery_id: trace.delivery_id.slice(0, 256) } : {}),
    ...(typeof event?.id === 'string' ? { event_id: event.id.slice(0, 64) } : {}),
  };
};
