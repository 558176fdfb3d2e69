import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { parseEnv } from '../../shared/config/env.js';
import { ReconcileEnvSchema } from '../../shared/config/sync-env.js';
import { powertoolsTelemetry } from '../../shared/runtime/telemetry.js';
import { type ReconcileOutcome, wireReconcile } from '../../shared/runtime/wire-reconcile.js';

const telemetry = powertoolsTelemetry('reconcile');
const reconcile = wireReconcile(parseEnv(ReconcileEnvSchema, process.env), telemetry);

/**
 * EventBridge Scheduler (one recurring schedule per shop, input `{ "shop": "<name>.myshopify.com" }`) → pull what
 * changed since the watermark, feed what webhooks missed into the inbox, check the webhook subscriptions.
 */
export const handler = middy<unknown, ReconcileOutcome>()
  .use(injectLambdaContext(telemetry.logger))
  .use(logMetrics(telemetry.metrics))
  .handler(async (event) => reconcile(event));
