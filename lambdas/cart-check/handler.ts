import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { CartCheckOutcome } from '../../shared/cart/check-cart.js';
import { CartCheckInputSchema } from '../../shared/cart/recovery-scheduler.js';
import { wireCartCheck } from '../../shared/cart/wire-cart-check.js';
import { CartCheckEnvSchema, parseEnv } from '../../shared/config/env.js';
import { powertoolsTelemetry } from '../../shared/runtime/telemetry.js';

const telemetry = powertoolsTelemetry('cart-check');
const check = wireCartCheck(parseEnv(CartCheckEnvSchema, process.env), telemetry);

/** EventBridge Scheduler → one cart check; a thrown error lets the invocation be retried (a repeat is safe). */
export const handler = middy<unknown, CartCheckOutcome>()
  .use(injectLambdaContext(telemetry.logger))
  .use(logMetrics(telemetry.metrics))
  .handler(async (event) => check(CartCheckInputSchema.parse(event)));
