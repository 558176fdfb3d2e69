import type { QueueMessage } from '../ports/message-queue.js';
import type { FailureOrigin, ParkCode } from './failure.js';
import { scrubReason } from './safe-reason.js';

/**
 * The largest body the connector queues: SQS takes 1 MiB, less 8 KiB kept free for the attributes a worker adds
 * when it parks the message in a DLQ (a reason of at most 1,000 characters, a delivery id of at most 256).
 */
export const MAX_PARKABLE_BODY_BYTES = 1024 * 1024 - 8 * 1024;

/** The longest `delivery_id` attribute kept (platform ids are short; a hostile one is not copied whole). */
const MAX_DELIVERY_ID_CHARS = 256;

/** Why and where from a message was parked. */
export interface ParkedMessage {
  /** The original message body, unchanged, so a redrive replays it as it was. */
  readonly body: string;
  readonly code: ParkCode;
  readonly reason: string;
  /** `permanent`: parked at once; `exhausted`: transient until out of attempts. */
  readonly failureClass: 'permanent' | 'exhausted';
  readonly attempts: number;
  readonly origin: FailureOrigin;
  readonly deliveryId?: string;
  readonly failedAt: Date;
}

/** The dead-letter message of CONTRACTS.md: the body unchanged plus the failure attributes. */
export const deadLetterMessage = (parked: ParkedMessage): QueueMessage => ({
  body: parked.body,
  attributes: {
    failure_code: parked.code,
    failure_reason: scrubReason(parked.reason) || parked.code,
    failure_class: parked.failureClass,
    failed_at: parked.failedAt.toISOString(),
    attempts: String(parked.attempts),
    origin: parked.origin,
    ...(parked.deliveryId ? { delivery_id: parked.deliveryId.slice(0, MAX_DELIVERY_ID_CHARS) } : {}),
  },
});
