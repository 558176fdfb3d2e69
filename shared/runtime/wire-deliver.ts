import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { type CustomerIdOf, outboxSubject } from '../activity/sent-entry.js';
import { SecretsManagerSecretProvider, StaticSecretProvider } from '../adapters/secret-providers.js';
import type { DeliverEnv } from '../config/env.js';
import { type DestinationSecrets, DestinationSecretsSchema } from '../config/secrets.js';
import { shopDirectory } from '../config/shops.js';
import {
  type CioOperation,
  type CustomerIoTrack,
  HttpCustomerIoTrack,
  TRACK_BASE_URLS,
} from '../delivery/customerio-client.js';
import { deliverOutboxRecords, type OutboxRecord, outboxCorrelation } from '../delivery/deliver-batch.js';
import { DynamoDeliveryOrderStore } from '../delivery/delivery-order-store.js';
import { partitionByWorkspace } from '../delivery/workspace-routing.js';
import { ConfigurationError } from '../errors.js';
import { systemClock } from '../ports/clock.js';
import type { SecretProvider } from '../ports/secret-provider.js';
import type { Telemetry } from '../ports/telemetry.js';
import { type AwsClients, lazyDynamo, lazySecrets, lazySqs } from './aws-clients.js';
import { sqsWorker } from './sqs-worker.js';
import { activityRecorderFor } from './wire-activity.js';

/** The workspace of a shop that names none (and of every shop, in a one-workspace deployment). */
const DEFAULT_WORKSPACE = 'default';

/** The destination secret: the only secret the deliver function can read. */
const destinationSecretProvider = (
  env: DeliverEnv,
  clients: Pick<AwsClients, 'secrets'>,
): SecretProvider<DestinationSecrets> =>
  env.LOCAL_DESTINATION_SECRETS_JSON !== undefined
    ? new StaticSecretProvider(
        env.LOCAL_DESTINATION_SECRETS_JSON,
        DestinationSecretsSchema,
        'LOCAL_DESTINATION_SECRETS_JSON',
      )
    : new SecretsManagerSecretProvider(
        clients.secrets(),
        env.DESTINATION_SECRETS_ARN ?? '',
        env.SECRETS_CACHE_SECONDS,
        systemClock,
        DestinationSecretsSchema,
        'destination secret',
      );

/** One workspace's Track API: credentials read from the secret on each call (cached by the provider), so rotation applies. */
class WorkspaceTrack implements CustomerIoTrack {
  constructor(
    private readonly secrets: SecretProvider<DestinationSecrets>,
    private readonly workspace: string,
    private readonly env: DeliverEnv,
  ) {}
  async batch(operations: readonly CioOperation[]) {
    const { workspaces } = await this.secrets.get();
    const credentials = Object.hasOwn(workspaces, this.workspace) ? workspaces[this.workspace] : undefined;
    if (!credentials) {
      // Unquoted: a parked reason masks quoted text, and a workspace name (A-Z a-z 0-9 _ -) is no payload value.
      throw new ConfigurationError(
        `Customer.io workspace ${this.workspace} is missing from the destination secret`,
      );
    }
    const { siteId, apiKey, region } = credentials;
    const baseUrl = this.env.CIO_TRACK_URL ?? TRACK_BASE_URLS[region ?? this.env.CIO_REGION];
    return new HttpCustomerIoTrack({ baseUrl, timeoutMs: this.env.CIO_TIMEOUT_MS, siteId, apiKey }).batch(
      operations,
    );
  }
}

/**
 * The outbox deliverer of a validated environment. Records are grouped by their shop's Customer.io workspace
 * (`SHOPS[shop].workspace`) and each group goes out as its own batch, with that workspace's credentials; resolves
 * to the error of every record that failed, by message id. A workspace whose call fails (or whose credentials
 * cannot be read) fails only its own records; the other workspaces' records are delivered. Each group's identifies
 * are ordered against what was sent before (the connector table, ../delivery/delivery-order.ts).
 */
export const deliverByWorkspace = (
  env: DeliverEnv,
  telemetry: Telemetry,
  clients: Pick<AwsClients, 'dynamo' | 'sqs' | 'secrets'> = {
    dynamo: lazyDynamo(env),
    sqs: lazySqs(env),
    secrets: lazySecrets(env),
  },
): ((records: readonly OutboxRecord[]) => Promise<Map<string, unknown>>) => {
  const secrets = destinationSecretProvider(env, clients);
  const shops = shopDirectory(env.SHOPS);
  const tracks = new Map<string, CustomerIoTrack>();
  const trackFor = (workspace: string): CustomerIoTrack => {
    const existing = tracks.get(workspace);
    if (existing) return existing;
    const track = new WorkspaceTrack(secrets, workspace, env);
    tracks.set(workspace, track);
    return track;
  };
  const workspaceOf = (shop: string) => shops.settings(shop)?.workspace ?? DEFAULT_WORKSPACE;
  // Ordering keys carry the shop, and a shop goes to one workspace: one store orders every workspace's identifies.
  const order = {
    store: new DynamoDeliveryOrderStore(clients.dynamo(), env.TABLE_NAME, systemClock),
    inFlightMs: env.DELIVERY_INFLIGHT_SECONDS * 1000,
  };
  return async (records) => {
    const errors = new Map<string, unknown>();
    for (const [workspace, group] of partitionByWorkspace(records, workspaceOf, DEFAULT_WORKSPACE)) {
      const failed = await deliverOutboxRecords(group, {
        track: trackFor(workspace),
        eventNames: env.EVENT_NAME_OVERRIDES,
        clock: systemClock,
        telemetry,
        order,
      });
      for (const [messageId, error] of failed) errors.set(messageId, error);
    }
    return errors;
  };
};

/** Builds the outbox worker: the deliverer wrapped in the failure policy (park or back off, per record). */
export const wireDeliver = (
  env: DeliverEnv,
  telemetry: Telemetry,
  clients: Pick<AwsClients, 'dynamo' | 'sqs' | 'secrets'> = {
    dynamo: lazyDynamo(env),
    sqs: lazySqs(env),
    secrets: lazySecrets(env),
  },
): ((records: readonly SQSRecord[]) => Promise<SQSBatchResponse>) => {
  const deliver = deliverByWorkspace(env, telemetry, clients);
  const shops = shopDirectory(env.SHOPS);
  // Customer.io ids carry the shop's prefix; the activity record files people by the shop's own customer id.
  const customerIdOf: CustomerIdOf = (shop, id) => {
    const prefix = shops.settings(shop)?.customerIdPrefix ?? '';
    return prefix && id.startsWith(prefix) ? id.slice(prefix.length) : id;
  };
  const activity = activityRecorderFor(env, clients.dynamo, telemetry, { customerIdOf });
  const run = sqsWorker({
    env,
    sqs: clients.sqs(),
    origin: 'outbox',
    deadLetters: { url: env.OUTBOX_DLQ_URL, variable: 'OUTBOX_DLQ_URL' },
    correlate: outboxCorrelation,
    telemetry,
    wrapDeadLetters: activity && ((dlq) => activity.recordingParks(dlq, outboxSubject(customerIdOf))),
  });
  return (records) =>
    run(records, async (due) => {
      const errors = await deliver(due);
      await activity?.sent(due, errors);
      return errors;
    });
};
