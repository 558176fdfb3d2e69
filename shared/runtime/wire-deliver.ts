import type { DeliverEnv } from '../config/env.js';
import {
  type CioOperation,
  type CustomerIoTrack,
  HttpCustomerIoTrack,
  TRACK_BASE_URLS,
} from '../delivery/customerio-client.js';
import { deliverOutboxRecords, type OutboxRecord } from '../delivery/deliver-batch.js';
import { ConfigurationError } from '../errors.js';
import type { SecretProvider } from '../ports/secret-provider.js';
import type { Telemetry } from '../ports/telemetry.js';
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

/** Builds the outbox deliverer from a validated environment. */
export const wireDeliver = (
  env: DeliverEnv,
  telemetry: Telemetry,
): ((records: readonly OutboxRecord[]) => Promise<string[]>) => {
  const deps = {
    track: new SecretBackedTrack(
      secretProviderFor(env),
      env.CIO_TRACK_URL ?? TRACK_BASE_URLS[env.CIO_REGION],
      env.CIO_TIMEOUT_MS,
    ),
    eventNames: env.EVENT_NAME_OVERRIDES,
    telemetry,
  };
  return (records) => deliverOutboxRecords(records, deps);
};
