import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ProcessEnvSchema, parseEnv } from '../../shared/config/env.js';
import { powertoolsTelemetry } from '../../shared/runtime/telemetry.js';
import { wireProcess } from '../../shared/runtime/wire-process.js';

const telemetry = powertoolsTelemetry('process');
const processRecords = wireProcess(parseEnv(ProcessEnvSchema, process.env), telemetry);

/**
 * Inbox queue → normalize, dedupe → outbox queue. Each record fails on its own: permanent failures park in the
 * inbox DLQ with their reason, transient ones come back after a backoff (partial batch failures).
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(telemetry.logger))
  .use(logMetrics(telemetry.metrics))
  .handler(async (event) => processRecords(event.Records));
