import type { MessageQueue } from '../ports/message-queue.js';
import type { WebhookEnvelope } from './envelope.js';

/*
 * How an envelope travels through the inbox queue. A JSON body is embedded as it is, not as a JSON string:
 *
 *   {"version":1,"source":"shopify",…,"signed":true,"body":{"id":820982911946154508,…}}
 *
 * Escaping a body into a string (every quote, every newline) and unescaping it again in the process worker cost
 * more CPU than parsing the body itself, and grew the message by up to a tenth. Embedded, the message is still
 * JSON (the ops tools and `jq` read it), the body keeps its exact bytes (large ids included), and the worker
 * takes the envelope fields from the short head of the message and the body as a slice of it, without a parse.
 * A body that is not a JSON object or array travels as a string, as before, and so does one the queue refuses raw
 * (SQS takes no control characters); both forms are read.
 */

/**
 * The largest message queued: SQS takes 1 MiB, less 8 KiB kept free for the failure attributes the process worker
 * adds when it parks a message in the DLQ (its reason is capped at 4,000 characters).
 */
const MAX_MESSAGE_BYTES = 1024 * 1024 - 8 * 1024;

/** Joins the envelope fields to an embedded body: envelope fields never contain it (quotes in values are escaped). */
const BODY_KEY = ',"body":';

/** Only a body that opens like a JSON object or array is embedded, so the reader can tell the two forms apart. */
const opensJsonContainer = (code: number): boolean => code === 123 /* { */ || code === 91; /* [ */

/**
 * The inbox message for an envelope, its body embedded when it looks like a JSON object or array. The result is
 * valid JSON whenever the body is; a body that only looks like JSON stays readable by the worker, which parks it.
 */
export const encodeInboxMessage = (envelope: WebhookEnvelope): string => {
  const { body, ...fields } = envelope;
  if (!opensJsonContainer(body.charCodeAt(0))) return encodeInboxMessageEscaped(envelope);
  const head = JSON.stringify(fields);
  return `${head.slice(0, -1)}${BODY_KEY}${body}}`;
};

/** Characters SQS refuses in a message body (it takes #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000+). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the control characters SQS refuses is the point.
const REFUSED_BY_SQS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Whether SQS would refuse a message body raw (InvalidMessageContents). */
export const refusedBySqs = (body: string): boolean => REFUSED_BY_SQS.test(body);

/**
 * The envelope with its body as a JSON string: carries any body. JSON.stringify escapes control characters but
 * leaves U+FFFE and U+FFFF raw, which SQS refuses; inside a JSON string they are escaped too.
 */
const encodeInboxMessageEscaped = (envelope: WebhookEnvelope): string =>
  JSON.stringify(envelope).replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

/**
 * Reads an inbox message in either form into the envelope object (still to be validated). Throws SyntaxError
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

/** What became of an envelope handed to the inbox. */
type EnqueueResult = 'sent' | 'too_large';

/**
 * Queues an envelope in its embedded form, or refuses it as too large for the queue. When the queue refuses the
 * message and the body holds characters SQS refuses raw (never in valid JSON), sends the escaped form instead,
 * so a signed but malformed body still reaches the worker, which parks it with its reason. Other send failures
 * are thrown.
 */
export const enqueueEnvelope = async (
  queue: MessageQueue,
  envelope: WebhookEnvelope,
): Promise<EnqueueResult> => {
  const message = encodeInboxMessage(envelope);
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) return 'too_large';
  try {
    await queue.send({ body: message });
    return 'sent';
  } catch (error) {
    if (!refusedBySqs(message)) throw error;
  }
  const escaped = encodeInboxMessageEscaped(envelope);
  if (Buffer.byteLength(escaped) > MAX_MESSAGE_BYTES) return 'too_large';
  await queue.send({ body: escaped });
  return 'sent';
};
