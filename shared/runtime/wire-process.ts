import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { DynamoActivityEraser } from '../activity/dynamo-activity-eraser.js';
import { envelopeSubject, inboxSubject } from '../activity/envelope-subject.js';
import { SqsMessageQueue } from '../adapters/sqs-message-queue.js';
import type { ProcessEnv } from '../config/env.js';
import { DynamoDedupeStore } from '../dedupe/dynamo-dedupe-store.js';
import { identityConfig } from '../identity/identifiers.js';
import { normalizerRegistry } from '../normalize/registry.js';
import { systemClock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import { inboxCorrelation, processInboxMessage } from '../process/process-envelope.js';
import { eachRecord } from '../queue-worker/sqs-record-runner.js';
import { type AwsClients, lazyDynamo, lazyScheduler, lazySqs } from './aws-clients.js';
import { buildProcessStages } from './process-stages.js';
import { sqsWorker } from './sqs-worker.js';
import { activityRecorderFor } from './wire-activity.js';

/** Builds the inbox processor from a validated environment; clients are created once, here. */
export const wireProcess = (
  env: ProcessEnv,
  telemetry: Telemetry,
  clients: Pick<AwsClients, 'dynamo' | 'sqs' | 'scheduler'> = {
    dynamo: lazyDynamo(env),
    sqs: lazySqs(env),
    scheduler: lazyScheduler(env),
  },
): ((records: readonly SQSRecord[]) => Promise<SQSBatchResponse>) => {
  const sqs = clients.sqs();
  const dynamo = clients.dynamo();
  const activity = activityRecorderFor(env, () => dynamo, telemetry, {
    eraser: new DynamoActivityEraser(dynamo, env.TABLE_NAME),
    subjectOfEnvelope: (envelope) => envelopeSubject(normalizerRegistry, envelope),
  });
  const deps = {
    dedupe: new DynamoDedupeStore(dynamo, {
      tableName: env.TABLE_NAME,
      leaseSeconds: env.DEDUPE_LEASE_SECONDS,
      retentionDays: env.DEDUPE_RETENTION_DAYS,
    }),
    outbox: new SqsMessageQueue(sqs, env.OUTBOX_QUEUE_URL),
    normalizers: normalizerRegistry,
    phoneCountryFor: (shop: string) =>
      Object.hasOwn(env.SHOPS, shop) ? env.SHOPS[shop]?.phoneCountry : undefined,
    stages: buildProcessStages({ env, dynamo, scheduler: clients.scheduler, clock: systemClock, telemetry }),
    identity: identityConfig(env.IDENTIFIER_STRATEGY, env.SHOPS),
    clock: systemClock,
    telemetry,
    activity,
  };
  const run = sqsWorker({
    env,
    sqs,
    origin: 'inbox',
    deadLetters: { url: env.INBOX_DLQ_URL, variable: 'INBOX_DLQ_URL' },
    correlate: inboxCorrelation,
    telemetry,
    wrapDeadLetters: activity && ((dlq) => activity.recordingParks(dlq, inboxSubject(normalizerRegistry))),
  });
  const work = eachRecord((body) => processInboxMessage(body, deps), inboxCorrelation);
  return (records) => run(records, work);
};
