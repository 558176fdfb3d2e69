import type { FauxqsServer } from 'fauxqs';
import { tryParseJson } from '../shared/json/lossless-json.js';

/** The local stack's dead-letter queues, by fauxqs queue name. */
export const DEAD_LETTER_QUEUES = ['inbox-dlq', 'outbox-dlq', 'cart-check-dlq'] as const;

/** Why a dead letter is there, in whichever of the three formats CONTRACTS.md lists it came. */
export interface DeadLetterReason {
  /** `worker`: parked by a worker (failure_* attributes); `lambda`: an async invocation record; `scheduler`. */
  readonly format: 'worker' | 'lambda' | 'scheduler';
  readonly code: string;
  readonly reason: string;
}

/** One message in a dead-letter queue, read without receiving it. */
export interface DeadLetter {
  readonly queue: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Undefined when the message carries no reason in any accepted format. */
  readonly why?: DeadLetterReason;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** The Lambda asynchronous invocation record's condition and error (on-failure destination). */
const lambdaReason = (body: string): DeadLetterReason | undefined => {
  const record = tryParseJson(body) as
    | {
        requestContext?: { condition?: unknown };
        responsePayload?: { errorType?: unknown; errorMessage?: unknown };
      }
    | undefined;
  const condition = text(record?.requestContext?.condition);
  const errorType = text(record?.responsePayload?.errorType);
  if (!condition || !errorType) return undefined;
  return {
    format: 'lambda',
    code: condition,
    reason: `${errorType}: ${text(record?.responsePayload?.errorMessage) ?? ''}`,
  };
};

/** The reason a dead letter carries: the workers' attributes, a Lambda invocation record, or the Scheduler's. */
export const deadLetterReason = (
  body: string,
  attributes: Readonly<Record<string, string>>,
): DeadLetterReason | undefined => {
  const code = text(attributes.failure_code);
  const reason = text(attributes.failure_reason);
  if (code && reason) return { format: 'worker', code, reason };
  const errorCode = text(attributes.ERROR_CODE);
  const errorMessage = text(attributes.ERROR_MESSAGE);
  if (errorCode && errorMessage) return { format: 'scheduler', code: errorCode, reason: errorMessage };
  return lambdaReason(body);
};

/**
 * Every message of the local dead-letter queues (ready, delayed and in flight) with its reason, read through the
 * emulator's inspection API: nothing is received, so nothing is hidden or counted as a receive.
 */
export const readDeadLetters = (
  fauxqs: FauxqsServer,
  queues: readonly string[] = DEAD_LETTER_QUEUES,
): DeadLetter[] =>
  queues.flatMap((queue) => {
    const messages = fauxqs.inspectQueue(queue)?.messages;
    if (!messages) return [];
    return [...messages.ready, ...messages.delayed, ...messages.inflight.map((m) => m.message)].map(
      (message) => {
        const attributes = Object.fromEntries(
          Object.entries(message.messageAttributes ?? {}).map(([name, value]) => [
            name,
            value.StringValue ?? '',
          ]),
        );
        const why = deadLetterReason(message.body, attributes);
        return { queue, body: message.body, attributes, ...(why ? { why } : {}) };
      },
    );
  });

/** What a stopping local stack reports: its dead letters at the last moment they can be read. */
export interface LocalStackStopped {
  readonly deadLetters: readonly DeadLetter[];
}

const stopObservers = new Set<(stopped: LocalStackStopped) => void>();

/**
 * Observes every local stack of this process as it stops (the test suite's sweep for dead letters without a
 * reason); returns the function that ends the observation. Kept apart from the stack so observing it is cheap.
 */
export const onLocalStackStop = (observer: (stopped: LocalStackStopped) => void): (() => void) => {
  stopObservers.add(observer);
  return () => stopObservers.delete(observer);
};

/** Tells the observers a stack (or a test's own fauxqs) is stopping, with what its DLQs hold. */
export const notifyStackStopped = (stopped: LocalStackStopped): void => {
  for (const observer of stopObservers) observer(stopped);
};
