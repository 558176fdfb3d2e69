import { classifyFailure } from '../failures/classify-failure.js';
import { deadLetterMessage } from '../failures/dead-letter.js';
import type { Failure, FailureOrigin, ParkCode } from '../failures/failure.js';
import type { Clock } from '../ports/clock.js';
import { withLogKeys } from '../ports/log-keys.js';
import type { MessageQueue, SourceQueue } from '../ports/message-queue.js';
import type { LogFields, Telemetry } from '../ports/telemetry.js';
import { type RetryPolicy, retryDelaySeconds } from './retry-policy.js';

/** The parts of a Lambda SQS record the runner reads (SQSRecord satisfies it). */
export interface QueueRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: { readonly ApproximateReceiveCount: string };
  readonly eventSourceARN?: string;
}

/** The ids that tie a record's log lines together; `delivery_id` is also copied onto a parked message. */
export interface RecordCorrelation {
  readonly delivery_id?: string;
  readonly event_id?: string;
}

/** Work on a batch: resolves to the error of every record that failed, by message id (the rest succeeded). */
export type BatchWork = (records: readonly QueueRecord[]) => Promise<ReadonlyMap<string, unknown>>;

/** What the runner needs besides the work. */
export interface RecordRunnerDeps {
  readonly origin: FailureOrigin;
  readonly policy: RetryPolicy;
  /** The queue the records came from (their visibility is changed to the backoff). */
  readonly source: SourceQueue;
  /** The source queue's DLQ, where the runner parks records itself, with their reason. */
  readonly deadLetters: MessageQueue;
  /** Reads the correlation ids from a body; must not throw (a body may be anything). */
  readonly correlate: (body: string) => RecordCorrelation;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
  /** For the backoff's jitter (tests pass a fixed one). */
  readonly random?: () => number;
}

/** Lambda's partial batch response (SQSBatchResponse satisfies it). */
export interface BatchItemFailures {
  readonly batchItemFailures: { itemIdentifier: string }[];
}

/** What became of a failed record. */
type Settled = 'parked' | 'retried' | 'failed';

/** The receive count SQS reports (1 on the first receive). */
const attemptOf = (record: QueueRecord): number => {
  const count = Number.parseInt(record.attributes.ApproximateReceiveCount, 10);
  return Number.isFinite(count) && count > 0 ? count : 1;
};

const park = async (
  record: QueueRecord,
  parked: { code: ParkCode; reason: string; failureClass: 'permanent' | 'exhausted' },
  fields: LogFields,
  deps: RecordRunnerDeps,
): Promise<Settled> => {
  const { log, counters } = deps.telemetry;
  const correlation = deps.correlate(record.body);
  try {
    await deps.deadLetters.send(
      deadLetterMessage({
        body: record.body,
        ...parked,
        attempts: attemptOf(record),
        origin: deps.origin,
        deliveryId: correlation.delivery_id,
        failedAt: deps.clock(),
      }),
    );
  } catch (error) {
    // The record stays in its queue; its next receive parks it at once (or the redrive backstop moves it).
    const why = classifyFailure(error);
    log.error('record failed and could not be parked; it will be received again', {
      ...fields,
      park_failure: why.code,
      park_failure_reason: why.reason,
    });
    return 'failed';
  }
  counters.count('RecordParked');
  counters.count(`RecordParked_${parked.code}`);
  log.error('record parked in the dead-letter queue', {
    ...fields,
    failure_class: parked.failureClass,
    parked_code: parked.code,
  });
  return 'parked';
};

const logFields = (record: QueueRecord, failure: Failure, deps: RecordRunnerDeps): LogFields => ({
  origin: deps.origin,
  message_id: record.messageId,
  attempt: attemptOf(record),
  max_attempts: deps.policy.maxAttempts,
  code: failure.code,
  class: failure.class,
  reason: failure.reason,
});

/** Parks a permanent failure or one out of attempts, or delays the record by the backoff. Logs once. */
const settle = async (record: QueueRecord, failure: Failure, deps: RecordRunnerDeps): Promise<Settled> => {
  const attempt = attemptOf(record);
  const fields = logFields(record, failure, deps);
  if (failure.class === 'permanent') {
    return park(
      record,
      { code: failure.code, reason: failure.reason, failureClass: 'permanent' },
      fields,
      deps,
    );
  }
  if (attempt >= deps.policy.maxAttempts) {
    const reason = `${failure.code} on attempt ${attempt} of ${deps.policy.maxAttempts}: ${failure.reason}`;
    return park(record, { code: failure.exhaustedCode, reason, failureClass: 'exhausted' }, fields, deps);
  }
  const seconds = retryDelaySeconds(attempt, deps.policy, failure.retryAfterSeconds, deps.random);
  let delayFailure: string | undefined;
  try {
    await deps.source.delay(record, seconds);
  } catch (error) {
    // The record still comes back, after the queue's own visibility timeout.
    delayFailure = classifyFailure(error).code;
  }
  deps.telemetry.counters.count('RecordRetried');
  deps.telemetry.log.warn('record failed; it will be retried', {
    ...fields,
    retry_in_seconds: delayFailure ? undefined : seconds,
    delay_failure: delayFailure,
  });
  return 'retried';
};

/** A record received more often than allowed: earlier receives ended in a crash or a timeout, without a result. */
const settleOverdue = (record: QueueRecord, deps: RecordRunnerDeps): Promise<Settled> => {
  const reason =
    `received ${attemptOf(record)} times (${deps.policy.maxAttempts} allowed): ` +
    'earlier receives ended without a result (a timeout or a crash)';
  const failure: Failure = {
    class: 'transient',
    code: 'dependency_failed',
    reason,
    exhaustedCode: 'dependency_exhausted',
  };
  const fields = logFields(record, failure, deps);
  return park(record, { code: 'dependency_exhausted', reason, failureClass: 'exhausted' }, fields, deps);
};

const withRecordKeys = <T>(
  record: QueueRecord,
  deps: RecordRunnerDeps,
  work: () => Promise<T>,
): Promise<T> => {
  const { delivery_id, event_id } = deps.correlate(record.body);
  return withLogKeys({ delivery_id, event_id }, work);
};

/**
 * Runs a batch of SQS records through `work` with the failure policy of every worker: a permanent failure is parked
 * at once in the DLQ with its code and reason; a transient one is delayed by the backoff (or the Retry-After asked
 * for) and reported as a batch item failure; on its last allowed attempt it is parked with its last error; a record
 * received more often than allowed (earlier receives crashed or timed out) is parked without work. Each failure is
 * logged exactly once, with the record's correlation ids. Parked records count as processed, so Lambda deletes them.
 */
export const runSqsRecords = async (
  records: readonly QueueRecord[],
  work: BatchWork,
  deps: RecordRunnerDeps,
): Promise<BatchItemFailures> => {
  const due = records.filter((record) => attemptOf(record) <= deps.policy.maxAttempts);
  const overdue = records.filter((record) => attemptOf(record) > deps.policy.maxAttempts);
  let errors: ReadonlyMap<string, unknown>;
  try {
    errors = due.length > 0 ? await work(due) : new Map();
  } catch (error) {
    errors = new Map(due.map((record) => [record.messageId, error]));
  }
  const failed = due.filter((record) => errors.has(record.messageId));
  const settled = await Promise.all([
    ...overdue.map(async (record) => ({
      record,
      settled: await withRecordKeys(record, deps, () => settleOverdue(record, deps)),
    })),
    ...failed.map(async (record) => ({
      record,
      settled: await withRecordKeys(record, deps, () =>
        settle(record, classifyFailure(errors.get(record.messageId)), deps),
      ),
    })),
  ]);
  return {
    batchItemFailures: settled
      .filter((outcome) => outcome.settled !== 'parked')
      .map((outcome) => ({ itemIdentifier: outcome.record.messageId })),
  };
};

/**
 * BatchWork from a handler of one record body: the records are handled concurrently, each with its correlation ids
 * on every log line written while it is handled.
 */
export const eachRecord =
  (handle: (body: string) => Promise<unknown>, correlate: (body: string) => RecordCorrelation): BatchWork =>
  async (records) => {
    const errors = new Map<string, unknown>();
    await Promise.all(
      records.map((record) => {
        const { delivery_id, event_id } = correlate(record.body);
        return withLogKeys({ delivery_id, event_id }, async () => {
          try {
            await handle(record.body);
          } catch (error) {
            errors.set(record.messageId, error);
          }
        });
      }),
    );
    return errors;
  };
