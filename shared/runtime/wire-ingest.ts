import { SecretsManagerSecretProvider, StaticSecretProvider } from '../adapters/secret-providers.js';
import { SqsMessageQueue } from '../adapters/sqs-message-queue.js';
import type { IngestEnv } from '../config/env.js';
import type { HttpRequest, HttpResponse } from '../http/http-types.js';
import { BEACON_PATH, handleBeacon } from '../ingest/handle-beacon.js';
import { handleWebhook } from '../ingest/handle-webhook.js';
import { judgemeSource } from '../ingest/judgeme-source.js';
import { okendoSource } from '../ingest/okendo-source.js';
import { rechargeSource } from '../ingest/recharge-source.js';
import { shopifySource } from '../ingest/shopify-source.js';
import { stampedSource } from '../ingest/stamped-source.js';
import type { WebhookSource } from '../ingest/webhook-source.js';
import { yotpoSource } from '../ingest/yotpo-source.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { SecretProvider } from '../ports/secret-provider.js';
import type { Telemetry } from '../ports/telemetry.js';
import { secretsClient, sqsClient } from './aws-clients.js';

/** Every webhook source the ingress accepts, by URL segment. */
export const webhookSources: ReadonlyMap<string, WebhookSource> = new Map([
  [shopifySource.name, shopifySource],
  [rechargeSource.name, rechargeSource],
  [judgemeSource.name, judgemeSource],
  [okendoSource.name, okendoSource],
  [stampedSource.name, stampedSource],
  [yotpoSource.name, yotpoSource],
]);

/** The secret provider an environment asks for. */
export const secretProviderFor = (
  env: Pick<IngestEnv, 'SECRETS_ARN' | 'LOCAL_SECRETS_JSON' | 'SECRETS_CACHE_SECONDS' | 'AWS_REGION'>,
  clock: Clock = systemClock,
): SecretProvider =>
  env.LOCAL_SECRETS_JSON !== undefined
    ? new StaticSecretProvider(env.LOCAL_SECRETS_JSON)
    : new SecretsManagerSecretProvider(
        secretsClient(env),
        env.SECRETS_ARN ?? '',
        env.SECRETS_CACHE_SECONDS,
        clock,
      );

/** Builds the ingress function from a validated environment; clients are created once, here. */
export const wireIngest = (
  env: IngestEnv,
  telemetry: Telemetry,
): ((request: HttpRequest) => Promise<HttpResponse>) => {
  const deps = {
    sources: webhookSources,
    secrets: secretProviderFor(env),
    inbox: new SqsMessageQueue(sqsClient(env), env.INBOX_QUEUE_URL),
    clock: systemClock,
    maxBodyBytes: env.MAX_BODY_BYTES,
    telemetry,
  };
  const beaconDeps = {
    shops: env.STOREFRONT_SHOPS,
    inbox: deps.inbox,
    clock: systemClock,
    maxBeaconBytes: env.MAX_BEACON_BYTES,
    telemetry,
  };
  return (request) =>
    request.path.replace(/\/$/, '') === BEACON_PATH
      ? handleBeacon(request, beaconDeps)
      : handleWebhook(request, deps);
};
