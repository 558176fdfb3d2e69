import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { CartCheckOutcome } from '../../shared/cart/check-cart.js';
import { CartCheckEnvSchema, parseEnv } from '../../shared/config/env.js';
import type { ParkedInvocation } from '../../shared/failures/invocation-guard.js';
import { powertoolsTelemetry } from '../../shared/runtime/telemetry.js';
import { wireCartCheck } from '../../shared/runtime/wire-cart-check.js';

const telemetry = powertoolsTelemetry('cart-check');
const check = wireCartCheck(parseEnv(CartCheckEnvSchema, process.env), telemetry);

/**
 * EventBridge Scheduler → one cart check. A permanent failure is parked in the cart-check DLQ with its reason; a
 * transient one throws, so Lambda retries the invocation (a repeat is safe), then sends it to the on-failure DLQ.
 */
export const handler = middy<unknown, CartCheckOutcome | ParkedInvocation>()
  .use(injectLambdaContext(telemetry.logger))
  .use(logMetrics(telemetry.metrics))
  .handler(async (event) => check(event));
