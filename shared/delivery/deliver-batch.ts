import * as z from 'zod';
import { isAnonymous } from '../identity/identifiers.js';
import { tryParseJson } from '../json/lossless-json.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { CioOperation, CustomerIoTrack } from './customerio-client.js';
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
    attributes: { ...event.properties, source: event.source, shop: event.shop },
  };
};

/**
 * Delivers a batch of outbox records in one Track API v2 batch call. Returns the message ids that failed: records
 * that are not valid outbox messages, and items Customer.io rejected (207). A transport failure throws, failing
 * the whole batch for retry.
 */
export const deliverOutboxRecords = async (
  records: readonly OutboxRecord[],
  deps: DeliverDeps,
): Promise<string[]> => {
  const { log, counters } = deps.telemetry;
  const failed: string[] = [];
  const sendable: { messageId: string; operation: CioOperation }[] = [];
  for (const record of records) {
    const parsed = OutboxMessageSchema.safeParse(tryParseJson(record.body));
    if (!parsed.success) {
      log.error('outbox record is not a valid message', {
        message_id: record.messageId,
        issues: z.prettifyError(parsed.error).slice(0, 500),
      });
      failed.push(record.messageId);
      continue;
    }
    const addressed =
      parsed.data.type === 'merge' ? [parsed.data.primary, parsed.data.secondary] : [parsed.data.identifiers];
    if (parsed.data.type !== 'event' && addressed.some(isAnonymous)) {
      log.error('an anonymous id cannot be identified, merged or deleted', { message_id: record.messageId });
      failed.push(record.messageId);
      continue;
    }
    sendable.push({ messageId: record.messageId, operation: toOperation(parsed.data, deps.eventNames) });
  }
  if (sendable.length === 0) return failed;
  const result = await deps.track.batch(sendable.map((s) => s.operation));
  for (const [index, reason] of result.rejected) {
    const item = sendable[index];
    if (!item) continue;
    log.error('Customer.io rejected an item', { message_id: item.messageId, reason: reason.slice(0, 300) });
    failed.push(item.messageId);
  }
  counters.count('DeliveredOperations', sendable.length - result.rejected.size);
  if (result.rejected.size > 0) counters.count('RejectedOperations', result.rejected.size);
  return failed;
};
