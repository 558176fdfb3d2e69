import { type CartCheckInput, CartCheckInputSchema } from '../cart/recovery-scheduler.js';
import { decodeInboxMessage } from '../ingest/inbox-message.js';
import { parseJsonLossless } from '../json/lossless-json.js';
import type { DlqName } from './dead-letter-queues.js';
import { maskPii, maskText } from './pii-mask.js';

/** The parts of an SQS message a dead letter is read from (structurally the SDK's `Message`). */
export interface RawMessage {
  readonly MessageId?: string;
  readonly Body?: string;
  readonly Attributes?: Partial<Record<string, string>>;
  readonly MessageAttributes?: Record<string, { readonly StringValue?: string }>;
}

/** Who put the message in the DLQ. */
type ParkedBy = 'worker' | 'lambda-async' | 'scheduler' | 'sqs-max-receives' | 'unknown';

/** What the message carries. */
type LetterKind = 'delivery' | 'operation' | 'cart-check' | 'unknown';

/** Why it is there. */
interface Failure {
  /** A contract failure code, or one the CLI derives for platform-written messages (see {@link PLATFORM_CODES}). */
  readonly code: string;
  /** `permanent`, `exhausted`, or `backstop` (moved by the queue's maxReceiveCount, no reason attached). */
  readonly class: string | undefined;
  readonly reason: string | undefined;
  readonly failedAt: string | undefined;
  /** Attempts before it was parked, as the worker or platform counted them (not the DLQ's own receive count). */
  readonly attempts: number | undefined;
  /** The queue or function it came from. */
  readonly origin: string | undefined;
}

/** The payload as stored: JSON (big integers kept exact, as strings) or text that is not JSON. */
type Payload =
  | { readonly format: 'json'; readonly value: unknown }
  | { readonly format: 'text'; readonly bytes: number; readonly text: string };

/** One dead letter as the on-call engineer reads it. */
export interface DeadLetter {
  readonly messageId: string;
  readonly dlq: DlqName;
  readonly kind: LetterKind;
  readonly parkedBy: ParkedBy;
  /** When SQS accepted it into the DLQ (for a message moved by maxReceiveCount: its original send time). */
  readonly sentAt: string | undefined;
  /** The DLQ copy's ApproximateReceiveCount: includes every look by this tool; redrive ignores it. */
  readonly dlqReceiveCount: number;
  readonly failure: Failure;
  readonly source: string | undefined;
  readonly topic: string | undefined;
  readonly shop: string | undefined;
  readonly deliveryId: string | undefined;
  readonly eventId: string | undefined;
  /** When ingest received the original webhook. */
  readonly receivedAt: string | undefined;
  /** The platform API version the delivery was sent with (a poison payload often follows a version change). */
  readonly apiVersion: string | undefined;
  /** One line of routing facts: never payload values or personal data. */
  readonly summary: string;
  /** The business payload: a delivery's raw body, an outbox operation, a cart check's input. */
  readonly payload: Payload;
  /** For the cart-check and Scheduler DLQs: the check to run again. */
  readonly cartCheck: CartCheckInput | undefined;
  /** The Lambda function the platform tried to invoke, when the message names it. */
  readonly functionArn: string | undefined;
}

/** Failure codes the CLI gives platform-written dead letters (they carry no contract `failure_code`). */
export const PLATFORM_CODES = {
  maxReceives: 'max_receive_count',
  schedulerInvoke: 'scheduler_invoke_failed',
  unknown: 'unknown',
} as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;
const num = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};
const snake = (camel: string): string =>
  camel
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase();

const parseBody = (body: string): Payload => {
  try {
    return { format: 'json', value: parseJsonLossless(body) };
  } catch {
    return { format: 'text', bytes: Buffer.byteLength(body), text: body };
  }
};

/**
 * A stored message as JSON: an inbox message in either form (its body embedded or a JSON string) is read as an
 * envelope with its body as text, so a delivery's body is shown exactly whichever form it travelled in.
 */
const parseMessage = (dlq: DlqName, body: string): Payload => {
  if (dlq === 'inbox') {
    try {
      return { format: 'json', value: decodeInboxMessage(body) };
    } catch {
      // Not an inbox message: read it like any other.
    }
  }
  return parseBody(body);
};

const attributesOf = (m: RawMessage): Record<string, string> =>
  Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {}).flatMap(([k, v]) =>
      v.StringValue === undefined ? [] : [[k, v.StringValue]],
    ),
  );

const isEnvelope = (v: Json): boolean =>
  v.version === 1 &&
  typeof v.source === 'string' &&
  typeof v.topic === 'string' &&
  typeof v.body === 'string';
const isOperation = (v: Json): boolean =>
  typeof v.type === 'string' && ['event', 'identify', 'merge', 'delete'].includes(v.type);
const isAsyncRecord = (v: Json): boolean => isObject(v.requestContext) && 'requestPayload' in v;
const stripQualifier = (arn: string | undefined): string | undefined =>
  arn?.replace(/^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+):.+$/, '$1');

interface Facts {
  kind: LetterKind;
  source?: string;
  topic?: string;
  shop?: string;
  deliveryId?: string;
  eventId?: string;
  receivedAt?: string;
  apiVersion?: string;
  summary: string;
  payload: Payload;
  cartCheck?: CartCheckInput;
}

const cartCheckFacts = (input: unknown): Facts => {
  const parsed = CartCheckInputSchema.safeParse(input);
  const shop = isObject(input) ? str(input.shop) : undefined;
  return {
    kind: 'cart-check',
    shop,
    summary: parsed.success
      ? `cart check step ${parsed.data.step} shop=${parsed.data.shop} cart=${parsed.data.cart_token}`
      : 'cart check with an input that is not {shop, cart_token, step}',
    payload: { format: 'json', value: input },
    cartCheck: parsed.success ? parsed.data : undefined,
  };
};

const deliveryFacts = (envelope: Json): Facts => {
  const delivery = str(envelope.body) ?? '';
  return {
    kind: 'delivery',
    source: str(envelope.source),
    topic: str(envelope.topic),
    shop: str(envelope.shop),
    deliveryId: str(envelope.deliveryId),
    eventId: str(envelope.eventId),
    receivedAt: str(envelope.receivedAt),
    apiVersion: str(envelope.apiVersion),
    summary: `${String(envelope.source)} ${String(envelope.topic)} shop=${String(envelope.shop)} delivery=${String(envelope.deliveryId)}`,
    payload: parseBody(delivery),
  };
};

const operationFacts = (op: Json): Facts => {
  const event = isObject(op.event) ? op.event : undefined;
  const update = isObject(op.update) ? op.update : undefined;
  const trace = isObject(op.trace) ? op.trace : undefined;
  const shop = str(op.shop) ?? str(event?.shop) ?? str(update?.shop);
  const what = event ? `event "${String(event.name)}" id=${String(event.id)}` : String(op.type);
  return {
    kind: 'operation',
    source: str(event?.source) ?? str(update?.source),
    topic: event ? str(event.name) : str(op.type),
    shop,
    deliveryId: str(trace?.delivery_id),
    eventId: str(event?.id),
    receivedAt: str(trace?.received_at),
    summary: `${what} shop=${shop ?? '?'}`,
    payload: { format: 'json', value: op },
  };
};

const factsOf = (dlq: DlqName, payload: Payload): Facts => {
  if (payload.format === 'json' && isObject(payload.value)) {
    const v = payload.value;
    if (isEnvelope(v)) return deliveryFacts(v);
    if (isOperation(v)) return operationFacts(v);
    if (isAsyncRecord(v)) return cartCheckFacts(v.requestPayload);
    if (dlq === 'cart-check' || dlq === 'scheduler' || ('cart_token' in v && 'step' in v)) {
      return cartCheckFacts(v);
    }
  }
  return {
    kind: 'unknown',
    summary:
      payload.format === 'json' ? 'unrecognised JSON message' : `non-JSON message (${payload.bytes} bytes)`,
    payload,
  };
};

const platformFailure = (
  dlq: DlqName,
  payload: Payload,
  attrs: Record<string, string>,
): { failure: Failure; parkedBy: ParkedBy; functionArn?: string } => {
  const record = payload.format === 'json' && isObject(payload.value) ? payload.value : undefined;
  if (record && isAsyncRecord(record)) {
    const context = record.requestContext as Json;
    const response = isObject(record.responsePayload) ? record.responsePayload : {};
    const condition = str(context.condition) ?? 'Unknown';
    const error = [str(response.errorType), str(response.errorMessage)].filter(Boolean).join(': ');
    return {
      parkedBy: 'lambda-async',
      functionArn: stripQualifier(str(context.functionArn)),
      failure: {
        code: `lambda_${snake(condition)}`,
        class: 'exhausted',
        reason: `Lambda async invocation ${condition}${error ? ` — ${error}` : ''}`,
        failedAt: str(record.timestamp),
        attempts: num(context.approximateInvokeCount),
        origin: 'cart-check',
      },
    };
  }
  if (attrs.ERROR_CODE !== undefined || attrs.SCHEDULE_ARN !== undefined) {
    const retries = num(attrs.RETRY_ATTEMPTS);
    const condition = attrs.EXHAUSTED_RETRY_CONDITION ? ` (${attrs.EXHAUSTED_RETRY_CONDITION})` : '';
    return {
      parkedBy: 'scheduler',
      functionArn: stripQualifier(attrs.TARGET_ARN),
      failure: {
        code: PLATFORM_CODES.schedulerInvoke,
        class: 'exhausted',
        reason:
          `Scheduler could not invoke the target${condition}: ${attrs.ERROR_CODE ?? '?'}: ${attrs.ERROR_MESSAGE ?? ''}`.trim(),
        failedAt: undefined,
        attempts: retries === undefined ? undefined : retries + 1,
        origin: 'scheduler',
      },
    };
  }
  if (dlq === 'inbox' || dlq === 'outbox') {
    return {
      parkedBy: 'sqs-max-receives',
      failure: {
        code: PLATFORM_CODES.maxReceives,
        class: 'backstop',
        reason:
          "no reason attached: SQS moved it after the queue's maxReceiveCount receives (the worker crashed or timed out each time); search the logs by its delivery id",
        failedAt: undefined,
        attempts: undefined,
        origin: dlq,
      },
    };
  }
  return {
    parkedBy: 'unknown',
    failure: {
      code: PLATFORM_CODES.unknown,
      class: undefined,
      reason: undefined,
      failedAt: undefined,
      attempts: undefined,
      origin: undefined,
    },
  };
};

/** Reads one received DLQ message: what it is, why it is there, where it goes back to. Pure. */
export const readDeadLetter = (dlq: DlqName, message: RawMessage): DeadLetter => {
  const attrs = attributesOf(message);
  const stored = parseMessage(dlq, message.Body ?? '');
  const facts = factsOf(dlq, stored);
  const sent = num(message.Attributes?.SentTimestamp);
  const platform = attrs.failure_code === undefined ? platformFailure(dlq, stored, attrs) : undefined;
  const failure: Failure = platform?.failure ?? {
    code: attrs.failure_code ?? PLATFORM_CODES.unknown,
    class: attrs.failure_class,
    reason: attrs.failure_reason,
    failedAt: attrs.failed_at,
    attempts: num(attrs.attempts),
    origin: attrs.origin,
  };
  return {
    messageId: message.MessageId ?? '',
    dlq,
    kind: facts.kind,
    parkedBy: platform?.parkedBy ?? 'worker',
    sentAt: sent === undefined ? undefined : new Date(sent).toISOString(),
    dlqReceiveCount: num(message.Attributes?.ApproximateReceiveCount) ?? 0,
    failure,
    source: facts.source,
    topic: facts.topic,
    shop: facts.shop,
    deliveryId: attrs.delivery_id ?? facts.deliveryId,
    eventId: facts.eventId,
    receivedAt: facts.receivedAt,
    apiVersion: facts.apiVersion,
    summary: facts.summary,
    payload: facts.payload,
    cartCheck: facts.cartCheck,
    functionArn: platform?.functionArn,
  };
};

/** Whether a dead letter matches `--id` (an SQS message id or a platform delivery id). */
export const matchesId = (letter: DeadLetter, ids: readonly string[]): boolean =>
  ids.includes(letter.messageId) || (letter.deliveryId !== undefined && ids.includes(letter.deliveryId));

/** A dead letter made fit to print: payload and reason masked unless `raw`; reports how many values were hidden. */
export const presentDeadLetter = (letter: DeadLetter, raw: boolean): DeadLetter & { masked: number } => {
  if (raw) return { ...letter, masked: 0 };
  const reason = letter.failure.reason === undefined ? undefined : maskText(letter.failure.reason);
  let payload: Payload;
  let masked = reason?.masked ?? 0;
  if (letter.payload.format === 'json') {
    const m = maskPii(letter.payload.value);
    payload = { format: 'json', value: m.value };
    masked += m.masked;
  } else {
    // Text that is not JSON has no keys to tell a name or an address by: it is withheld, not guessed at.
    payload = {
      format: 'text',
      bytes: letter.payload.bytes,
      text: `[${letter.payload.bytes} bytes of non-JSON text withheld; --raw shows it]`,
    };
    masked += 1;
  }
  return { ...letter, failure: { ...letter.failure, reason: reason?.value }, payload, masked };
};
