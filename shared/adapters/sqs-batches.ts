import type { QueueMessage } from '../ports/message-queue.js';

/** SendMessageBatch takes at most 10 entries. */
const MAX_BATCH_ENTRIES = 10;
/** …and at most 1 MiB in all (the sum of the messages' sizes, attributes included). */
export const MAX_BATCH_BYTES = 1024 * 1024;

/** Bytes SQS counts for a message: its body plus each attribute's name, type and value. */
export const messageBytes = (message: QueueMessage): number =>
  Buffer.byteLength(message.body) +
  Object.entries(message.attributes ?? {}).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + 'String'.length + Buffer.byteLength(value),
    0,
  );

/**
 * Splits messages into SendMessageBatch requests, in order: at most 10 entries and 1 MiB per request. A message
 * larger than a whole request still gets one of its own (SQS then refuses it, with its reason).
 */
export const sqsBatches = <M extends QueueMessage>(messages: readonly M[]): M[][] => {
  const batches: M[][] = [];
  let current: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = messageBytes(message);
    if (current.length > 0 && (current.length === MAX_BATCH_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};
