import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { SqsMessageQueue, SqsSourceQueue, UnconfiguredQueue } from '../adapters/sqs-message-queue.js';
import type { FailureOrigin } from '../failures/failure.js';
import { systemClock } from '../ports/clock.js';
import type { MessageQueue } from '../ports/message-queue.js';
import type { Telemetry } from '../ports/telemetry.js';
import { type BatchWork, type RecordCorrelation, runSqsRecords } from '../queue-worker/sqs-record-runner.js';

/** The retry variables every SQS worker's environment has (shared/config/env.ts). */
interface WorkerEnv {
  readonly MAX_ATTEMPTS: number;
  readonly RETRY_BASE_SECONDS: number;
  readonly RETRY_MAX_SECONDS: number;
  readonly SOURCE_QUEUE_URL?: string;
}

/** How one SQS worker fails its records. */
export interface SqsWorkerOptions {
  readonly env: WorkerEnv;
  readonly sqs: SQSClient;
  readonly origin: FailureOrigin;
  /** The source queue's DLQ URL, and the variable it comes from (named when it is missing). */
  readonly deadLetters: { readonly url: string | undefined; readonly variable: string };
  readonly correlate: (body: string) => RecordCorrelation;
  readonly telemetry: Telemetry;
  /** Wraps the DLQ, e.g. to record each parked message in the activity record. */
  readonly wrapDeadLetters?: (deadLetters: MessageQueue) => MessageQueue;
}

/** Wraps batch work in the shared failure policy (shared/queue-worker), built once per container. */
export const sqsWorker = (
  options: SqsWorkerOptions,
): ((records: readonly SQSRecord[], work: BatchWork) => Promise<SQSBatchResponse>) => {
  const { env, sqs, deadLetters } = options;
  const dlq: MessageQueue = deadLetters.url
    ? new SqsMessageQueue(sqs, deadLetters.url)
    : new UnconfiguredQueue(deadLetters.variable);
  const deps = {
    origin: options.origin,
    policy: {
      maxAttempts: env.MAX_ATTEMPTS,
      baseSeconds: env.RETRY_BASE_SECONDS,
      maxSeconds: env.RETRY_MAX_SECONDS,
    },
    source: new SqsSourceQueue(sqs, env.SOURCE_QUEUE_URL),
    deadLetters: options.wrapDeadLetters?.(dlq) ?? dlq,
    correlate: options.correlate,
    clock: systemClock,
    telemetry: options.telemetry,
  };
  return (records, work) => runSqsRecords(records, work, deps);
};
