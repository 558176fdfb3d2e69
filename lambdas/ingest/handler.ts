import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { IngestEnvSchema, parseEnv } from '../../shared/config/env.js';
import { fromApiGatewayV2, toApiGatewayV2 } from '../../shared/http/http-types.js';
import { httpErrorBoundary } from '../../shared/runtime/http-error-boundary.js';
import { powertoolsTelemetry } from '../../shared/runtime/telemetry.js';
import { wireIngest } from '../../shared/runtime/wire-ingest.js';

const telemetry = powertoolsTelemetry('ingest');
const ingest = wireIngest(parseEnv(IngestEnvSchema, process.env), telemetry);

/** API Gateway HTTP API → verify → inbox queue; answers in milliseconds. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(telemetry.logger))
  .use(logMetrics(telemetry.metrics))
  .use(httpErrorBoundary(telemetry.log))
  .handler(async (event) => toApiGatewayV2(await ingest(fromApiGatewayV2(event))));
