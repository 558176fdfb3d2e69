import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DeliverEnvSchema, parseEnv } from '../../shared/config/env.js';
import { powertoolsTelemetry } from '../../shared/runtime/telemetry.js';
import { wireDeliver } from '../../shared/runtime/wire-deliver.js';

const telemetry = powertoolsTelemetry('deliver');
const deliver = wireDeliver(parseEnv(DeliverEnvSchema, process.env), telemetry);

/** Outbox queue → one Customer.io Track v2 batch call; rejected items fail as records, the rest succeed. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(telemetry.logger))
  .use(logMetrics(telemetry.metrics))
  .handler(async (event) => {
    const failed = await deliver(event.Records.map((r) => ({ messageId: r.messageId, body: r.body })));
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  });
