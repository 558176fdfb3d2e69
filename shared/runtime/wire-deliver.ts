import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { outboxSubject } from '../activity/sent-entry.js';
import type { DeliverEnv } from '../config/env.js';
import {
  type CioOperation,
  type CustomerIoTrack,
  HttpCustomerIoTrack,
  TRACK_BASE_URLS,
} from '../delivery/customerio-client.js';
import { deliverOutboxRecords, outboxCorrelation } from '../delivery/deliver-batch.js';
import { ConfigurationError } from '../errors.js';
import { systemClock } from '../ports/clock.js';
import type { SecretProvider } from '../ports/secret-provider.js';
import type { Telemetry } from '../ports/telemetry.js';
import { dynamoClient, sqsClient } from './aws-clients.js';
import { sqsWorker } from './sqs-worker.js';
import { activityRecorderFor } from './wire-activity.js';
import { secretProviderFor } from './wire-ingest.js';

/** Reads Customer.io credentials from the secrets on each call (cached by the provider), so rotation applies. */
class SecretBackedTrack implements CustomerIoTrack {
  constructor(
    private readonly secrets: SecretProvider,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}
  async batch(operations: readonly CioOperation[]) {
    const { customerio } = await this.secrets.get();
    if (!customerio)
      throw new ConfigurationError('Customer.io credentials are missing from the connector secret');
    return new HttpCustomerIoTrack({ baseUrl: this.baseUrl, timeoutMs: this.timeoutMs, ...customerio }).batch(
      operations,
    );
  }
}

/** Builds the outbox deliverer from a validated environment: one Customer.io call per batch, failures per record. */
export const wireDeliver = (
  env: DeliverEnv,
  telemetry: Telemetry,
): ((records: readonly SQSRecord[]) => Promise<SQSBatchResponse>) => {
  const deps = {
    track: new SecretBackedTrack(
      secretProviderFor(env),
      env.CIO_TRACK_URL ?? TRACK_BASE_URLS[env.CIO_REGION],
      env.CIO_TIMEOUT_MS,
    ),
    eventNames: env.EVENT_NAME_OVERRIDES,
    clock: systemClock,
    telemetry,
  };
  const activity = activityRecorderFor(env, () => dynamoClient(env), telemetry);
  const run = sqsWorker({
    env,
    sqs: sqsClient(env),
    origin: 'outbox',
    deadLetters: { url: env.OUTBOX_DLQ_URL, variable: 'OUTBOX_DLQ_URL' },
    correlate: outboxCorrelation,
    telemetry,
    wrapDeadLetters: activity && ((dlq) => activity.recordingParks(dlq, outboxSubject())),
  });
  return (records) =>
    run(records, async (due) => {
      const errors = await deliverOutboxRecords(due, deps);
      await activity?.sent(due, errors);
      return errors;
    });
};
