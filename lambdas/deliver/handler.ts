import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DeliverEnvSchema, parseEnv } from '../../shared/config/env.js';
import { powertoolsTelemetry } from '../../shared/runtime/telemetry.js';
import { wireDeliver } from '../../shared/runtime/wire-deliver.js';

const telemetry = powertoolsTelemetry('deliver');
const deliver = wireDeliver(parseEnv(DeliverEnvSchema, process.env), telemetry);

/**
 * Outbox queue → one Customer.io Track v2 batch call. Refused items park in the outbox DLQ; items of a failed call
 * (401/403, 429, 5xx, timeout) come back after a backoff or the Retry-After; both are partial batch failures.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(telemetry.logger))
  .use(logMetrics(telemetry.metrics))
  .handler(async (event) => deliver(event.Records));
