import { randomUUID } from 'node:crypto';
import { scrubReason } from '../shared/failures/safe-reason.js';

/**
 * The record Lambda sends to an asynchronous function's on-failure destination once its retries are exhausted
 * (version 1.0 invocation record): the request, the condition, and the error type and message. The local stack
 * sends it to the local cart-check DLQ, as the CDK app's `onFailure: SqsDestination` does in AWS. The message is
 * scrubbed here (AWS copies it as thrown; the connector's messages hold no payload values either way).
 */
export const invocationRecord = (
  functionName: string,
  payload: unknown,
  error: unknown,
  attempts: number,
  now: Date = new Date(),
): Record<string, unknown> => ({
  version: '1.0',
  timestamp: now.toISOString(),
  requestContext: {
    requestId: randomUUID(),
    functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}:$LATEST`,
    condition: 'RetriesExhausted',
    approximateInvokeCount: attempts,
  },
  requestPayload: payload,
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: {
    errorType: error instanceof Error ? error.name : typeof error,
    errorMessage: error instanceof Error ? scrubReason(error.message) : '',
  },
});
