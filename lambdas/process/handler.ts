import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ProcessEnvSchema, parseEnv } from '../../shared/config/env.js';
import { powertoolsTelemetry } from '../../shared/runtime/telemetry.js';
import { wireProcess } from '../../shared/runtime/wire-process.js';

const telemetry = powertoolsTelemetry('process');
const processMessage = wireProcess(parseEnv(ProcessEnvSchema, process.env), telemetry);
const processor = new BatchProcessor(EventType.SQS);

/** Inbox queue → normalize, dedupe → outbox queue; each record fails (and retries) on its own. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(telemetry.logger))
  .use(logMetrics(telemetry.metrics))
  .handler((event, context) =>
    processPartialResponse(event, (record: SQSRecord) => processMessage(record.body), processor, { context }),
  );
