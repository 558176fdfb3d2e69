import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { asError } from '../errors.js';
import type { Log } from '../ports/telemetry.js';

/** Middy middleware: anything unexpected becomes a generic 500 with no internals; the error name is logged. */
export const httpErrorBoundary = (
  log: Log,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  onError: (request) => {
    log.error('unhandled error', { error: asError(request.error).name });
    request.response = {
      statusCode: 500,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'internal_error' }),
    };
  },
});
