import { SecretsManagerSecretProvider, StaticSecretProvider } from '../adapters/secret-providers.js';
import { SqsMessageQueue } from '../adapters/sqs-message-queue.js';
import type { IngestEnv } from '../config/env.js';
import { type WebhookSecrets, WebhookSecretsSchema } from '../config/secrets.js';
import { shopDirectory } from '../config/shops.js';
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
import { type AwsClients, lazySecrets, lazySqs } from './aws-clients.js';

/** Every webhook source the ingress accepts, by URL segment. */
export const webhookSources: ReadonlyMap<string, WebhookSource> = new Map([
  [shopifySource.name, shopifySource],
  [rechargeSource.name, rechargeSource],
  [judgemeSource.name, judgemeSource],
  [okendoSource.name, okendoSource],
  [stampedSource.name, stampedSource],
  [yotpoSource.name, yotpoSource],
]);

/** The webhook-verification secret: the only secret the ingest function can read. */
const webhookSecretProvider = (
  env: IngestEnv,
  clients: Pick<AwsClients, 'secrets'>,
  clock: Clock = systemClock,
): SecretProvider<WebhookSecrets> =>
  env.LOCAL_WEBHOOK_SECRETS_JSON !== undefined
    ? new StaticSecretProvider(
        env.LOCAL_WEBHOOK_SECRETS_JSON,
        WebhookSecretsSchema,
        'LOCAL_WEBHOOK_SECRETS_JSON',
      )
    : new SecretsManagerSecretProvider(
        clients.secrets(),
        env.WEBHOOK_SECRETS_ARN ?? '',
        env.SECRETS_CACHE_SECONDS,
        clock,
        WebhookSecretsSchema,
        'webhook secret',
      );

/** Builds the ingress function from a validated environment; clients are created once, here. */
export const wireIngest = (
  env: IngestEnv,
  telemetry: Telemetry,
  clients: Pick<AwsClients, 'sqs' | 'secrets'> = { sqs: lazySqs(env), secrets: lazySecrets(env) },
): ((request: HttpRequest) => Promise<HttpResponse>) => {
  const shops = shopDirectory(env.SHOPS);
  const deps = {
    sources: webhookSources,
    secrets: webhookSecretProvider(env, clients),
    shops,
    inbox: new SqsMessageQueue(clients.sqs(), env.INBOX_QUEUE_URL),
    clock: systemClock,
    maxBodyBytes: env.MAX_BODY_BYTES,
    telemetry,
  };
  const beaconDeps = {
    shops,
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
