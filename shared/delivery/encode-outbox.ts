import { ItemTooLargeError } from '../errors.js';
import { stringifyForSqs } from '../json/sqs-safe-json.js';
import { MAX_ITEM_BYTES, operationBytes } from './customerio-client.js';
import { toOperation } from './deliver-batch.js';
import { type OutboxMessage, OutboxMessageSchema } from './outbox-message.js';

/**
 * Validates an outbox message the way its consumers will read it and returns its queue body: the schema (a ZodError
 * is permanent), Customer.io's item size (measured as deliver sends it, before any event rename), and SQS's
 * characters (escaped). The 32 KB item limit is the binding size: escaping at most triples a body, far below the
 * 1 MiB SQS takes. Producers encode every output of a delivery first, so a deterministic failure leaves
 * Customer.io untouched rather than half-updated.
 */
export const encodeOutboxMessage = (message: OutboxMessage): string => {
  const valid = OutboxMessageSchema.parse(message);
  const itemBytes = operationBytes(toOperation(valid, {}));
  if (itemBytes > MAX_ITEM_BYTES) {
    throw new ItemTooLargeError(
      `${valid.type} item is ${itemBytes} bytes, over the ${MAX_ITEM_BYTES} bytes Customer.io accepts`,
    );
  }
  return stringifyForSqs(valid);
};
