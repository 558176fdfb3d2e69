import { stringifyForSqs } from '../json/sqs-safe-json.js';
import type { Clock } from '../ports/clock.js';
import type { MessageQueue } from '../ports/message-queue.js';
import type { Telemetry } from '../ports/telemetry.js';
import { classifyFailure } from './classify-failure.js';
import { deadLetterMessage } from './dead-letter.js';
import type { FailureOrigin, ParkCode } from './failure.js';

/** What an invocation that failed permanently returns, once parked (Lambda then does not retry it). */
export interface ParkedInvocation {
  readonly kind: 'parked';
  readonly code: ParkCode;
}

/** What the guard needs. */
export interface InvocationGuardDeps {
  readonly origin: FailureOrigin;
  /** Where a permanent failure is parked, with its reason. */
  readonly deadLetters: MessageQueue;
  /** Counted when the invocation throws (it will be retried by Lambda's async retries). */
  readonly failedMetric: string;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}

/**
 * The failure policy of an asynchronously invoked function: a permanent failure is parked at once in the function's
 * DLQ with its code and reason, and the invocation succeeds (retrying cannot help); a transient one is counted,
 * logged once and thrown, so Lambda's async retries and then the on-failure destination (which carries its own
 * reason) take over. The parked body is the invocation's input, as JSON.
 */
export const guardInvocation = async <T>(
  input: unknown,
  work: () => Promise<T>,
  deps: InvocationGuardDeps,
): Promise<T | ParkedInvocation> => {
  const { log, counters } = deps.telemetry;
  try {
    return await work();
  } catch (error) {
    const failure = classifyFailure(error);
    const fields = { origin: deps.origin, code: failure.code, class: failure.class, reason: failure.reason };
    if (failure.class === 'transient') {
      counters.count(deps.failedMetric);
      log.warn('invocation failed; Lambda retries it', fields);
      throw error;
    }
    try {
      await deps.deadLetters.send(
        deadLetterMessage({
          body: stringifyForSqs(input ?? null),
          code: failure.code,
          reason: failure.reason,
          failureClass: 'permanent',
          // An asynchronous invocation does not tell its attempt number; a permanent failure parks on the first.
          attempts: 1,
          origin: deps.origin,
          failedAt: deps.clock(),
        }),
      );
    } catch (parkError) {
      counters.count(deps.failedMetric);
      log.error('invocation failed and could not be parked; Lambda retries it', {
        ...fields,
        park_failure: classifyFailure(parkError).code,
      });
      throw error;
    }
    counters.count('RecordParked');
    counters.count(`RecordParked_${failure.code}`);
    log.error('invocation parked in the dead-letter queue', fields);
    return { kind: 'parked', code: failure.code };
  }
};
