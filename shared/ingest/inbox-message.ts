import { MAX_PARKABLE_BODY_BYTES } from '../failures/dead-letter.js';
import { sqsSafeJsonText, stringifyForSqs } from '../json/sqs-safe-json.js';
import type { MessageQueue } from '../ports/message-queue.js';
import type { WebhookEnvelope } from './envelope.js';

/*
 * How an envelope travels through the inbox queue. A JSON body is embedded as JSON, not as a JSON string:
 *
 *   {"version":1,"source":"shopify",…,"signed":true,"body":{"id":820982911946154508,…}}
 *
 * Escaping a body into a string (every quote, every newline) and unescaping it again in the process worker cost
 * more CPU than parsing the body itself, and grew the message by up to a tenth. Embedded, the message is still
 * JSON (the ops tools and `jq` read it), the body keeps its exact text (large ids included), and the worker takes
 * the envelope fields from the short head of the message and the body as a slice of it, without a parse.
 *
 * Every message only holds characters SQS (and the local emulator) accepts: an embedded body goes through
 * `sqsSafeJsonText`, which escapes U+FFFE, U+FFFF and astral characters inside its strings (the same JSON value).
 * A body it cannot vouch for (control characters, lone surrogates, an escape it would change), a body that is not
 * a JSON object or array, and every field of the head take main's escaped form, `stringifyForSqs`: the body as a
 * JSON string, exact. The worker reads both forms.
 */

/** Joins the envelope fields to an embedded body: envelope fields never contain it (quotes in values are escaped). */
const BODY_KEY = ',"body":';

/** Only a body that opens like a JSON object or array is embedded, so the reader can tell the two forms apart. */
const opensJsonContainer = (code: number): boolean => code === 123 /* { */ || code === 91; /* [ */

/**
 * The inbox message for an envelope: SQS-safe text that decodes to the envelope, its body embedded when it looks
 * like a JSON object or array and can be made SQS-safe without changing the value it denotes.
 */
export const encodeInboxMessage = (envelope: WebhookEnvelope): string => {
  const { body, ...fields } = envelope;
  const embedded = opensJsonContainer(body.charCodeAt(0)) ? sqsSafeJsonText(body) : undefined;
  if (embedded === undefined) return stringifyForSqs(envelope);
  const head = stringifyForSqs(fields);
  return `${head.slice(0, -1)}${BODY_KEY}${embedded}}`;
};

/**
 * Reads an inbox message in either form into the envelope object (still to be validated). An embedded body is
 * returned as the text it was queued with (SQS-safe escapes included, the same JSON value). Throws SyntaxError
 * when the message is not an envelope in JSON.
 */
export const decodeInboxMessage = (message: string): unknown => {
  const at = message.indexOf(BODY_KEY);
  const bodyStart = at + BODY_KEY.length;
  if (at > 0 && opensJsonContainer(message.charCodeAt(bodyStart)) && message.endsWith('}')) {
    const fields: unknown = JSON.parse(`${message.slice(0, at)}}`);
    if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) {
      return { ...fields, body: message.slice(bodyStart, -1) };
    }
  }
  return JSON.parse(message);
};

/** {@link decodeInboxMessage}, or undefined when the message is not JSON. */
export const tryDecodeInboxMessage = (message: string): unknown => {
  try {
    return decodeInboxMessage(message);
  } catch {
    return undefined;
  }
};

/** What became of an envelope handed to the inbox. */
type EnqueueResult = 'sent' | 'too_large';

/**
 * Queues an envelope, or refuses it as too large for the queue (escaping can grow a body under the ingest cap past
 * what SQS takes, less the room a worker needs to park it: retrying could never succeed). Send failures are thrown.
 */
export const enqueueEnvelope = async (
  queue: MessageQueue,
  envelope: WebhookEnvelope,
): Promise<EnqueueResult> => {
  const message = encodeInboxMessage(envelope);
  if (Buffer.byteLength(message) > MAX_PARKABLE_BODY_BYTES) return 'too_large';
  await queue.send({ body: message });
  return 'sent';
};
