import type { PersonDeletion } from '../canonical/person.js';
import { classifyFailure } from '../failures/classify-failure.js';
import type { WebhookEnvelope } from '../ingest/envelope.js';
import type { Clock } from '../ports/clock.js';
import type { MessageQueue, QueueMessage } from '../ports/message-queue.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { ActivityRecord } from './activity-entry.js';
import type { ActivityEraser, ActivityLog } from './activity-log.js';
import { subjectOf } from './activity-subject.js';
import {
  type CheckOutcome,
  cartCheckRecord,
  type ParkedSubjectOf,
  parkedRecord,
} from './check-and-park-entries.js';
import { deliveryRecord, type ProcessedDelivery, shortHash } from './delivery-entry.js';
import { type CustomerIdOf, type SentRecord, sentRecords } from './sent-entry.js';

/** What the recorder needs. */
export interface ActivityRecorderDeps {
  readonly log: ActivityLog;
  /** Deletes a redacted person's records (process only). */
  readonly eraser?: ActivityEraser;
  /** The person a delivery names before stitching (a duplicate is not stitched again). */
  readonly subjectOfEnvelope?: (envelope: WebhookEnvelope) => string | undefined;
  readonly customerIdOf?: CustomerIdOf;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}

/** The metric counted for every record that could not be written. */
export const ACTIVITY_WRITE_FAILED = 'ActivityWriteFailed';

/**
 * Writes the activity record at the few points where the pipeline decides something: a delivery processed, a
 * Customer.io call made, a cart check fired, a record parked. Best effort, on purpose: the record is for people
 * looking at one shopper; failing a webhook because its diary could not be written would retry work that
 * succeeded (and, with the delivery already claimed, record it as a duplicate) and would let a diary outage hold
 * up Customer.io. So each call is awaited (nothing runs after the Lambda returns) and never throws: a failure is
 * counted as `ActivityWriteFailed` and logged with its code, never silently lost.
 */
export class ActivityRecorder {
  constructor(private readonly deps: ActivityRecorderDeps) {}

  /** Process: one delivery and what it became (a redact replaces the person's records with one tombstone). */
  async processed(delivery: ProcessedDelivery): Promise<void> {
    await this.guard('delivery', async () => {
      const deletions = delivery.envelope.signed ? (delivery.output?.deletions ?? []) : [];
      if (deletions.length > 0 && this.deps.eraser) return this.redacted(delivery, deletions);
      const fallback =
        delivery.verdict === 'duplicate_delivery'
          ? this.deps.subjectOfEnvelope?.(delivery.envelope)
          : undefined;
      const record = deliveryRecord(delivery, fallback);
      return record ? [record] : [];
    });
  }

  /** Deliver: the outcome of one Customer.io call, per person. */
  async sent(records: readonly SentRecord[], errors: ReadonlyMap<string, unknown>): Promise<void> {
    await this.guard('sent', async () =>
      sentRecords(records, errors, this.deps.clock(), this.deps.customerIdOf),
    );
  }

  /** Cart-check: what one fired check did. */
  async cartChecked(
    input: { shop: string; cart_token: string; step: number },
    outcome: CheckOutcome,
  ): Promise<void> {
    await this.guard('cart-check', async () => [cartCheckRecord(input, outcome, this.deps.clock())]);
  }

  /** A DLQ that also records each message parked in it, under the person its body names. */
  recordingParks(deadLetters: MessageQueue, subjectOfBody: ParkedSubjectOf): MessageQueue {
    const recorded = (messages: readonly QueueMessage[]) =>
      this.guard('parked', async () =>
        messages.flatMap((message) => {
          const record = parkedRecord(message, subjectOfBody, this.deps.clock());
          return record ? [record] : [];
        }),
      );
    return {
      send: async (message: QueueMessage) => {
        await deadLetters.send(message);
        await recorded([message]);
      },
      sendBatch: async (messages: readonly QueueMessage[]) => {
        await deadLetters.sendBatch(messages);
        await recorded(messages);
      },
    };
  }

  private async redacted(
    delivery: ProcessedDelivery,
    deletions: readonly PersonDeletion[],
  ): Promise<ActivityRecord[]> {
    const { shop, deliveryId, receivedAt } = delivery.envelope;
    const subjects = [
      ...new Set(
        deletions.flatMap((d) => [
          ...(d.person.customer_id ? [subjectOf('customer', d.person.customer_id)] : []),
          ...(d.person.email ? [subjectOf('email', d.person.email)] : []),
        ]),
      ),
    ];
    const removed = (await this.deps.eraser?.forget(shop, subjects)) ?? 0;
    return subjects.map((subject) => ({
      shop,
      subject,
      at: receivedAt,
      uniqueness: shortHash('redacted', deliveryId),
      entry: { kind: 'redacted' as const, deliveryId: deliveryId.slice(0, 256), removed },
    }));
  }

  private async guard(kind: string, build: () => Promise<ActivityRecord[]>): Promise<void> {
    try {
      const records = await build();
      if (records.length > 0) await this.deps.log.append(records);
    } catch (error) {
      const failure = classifyFailure(error);
      this.deps.telemetry.counters.count(ACTIVITY_WRITE_FAILED);
      this.deps.telemetry.log.warn('activity record not written (best effort; the pipeline goes on)', {
        activity: kind,
        code: failure.code,
        reason: failure.reason,
      });
    }
  }
}
