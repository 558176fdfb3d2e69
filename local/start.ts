import { resolve } from 'node:path';
import { removeLocalStackFile, writeLocalStackFile } from '../shared/operations/local-stack-file.js';
import { LOCAL_DEFAULTS } from './local-config.js';
import { startLocalStack } from './local-stack.js';

/** The rollup figures an identify carries (no personal data), for the capture log: what a backfill shows. */
const rollupOf = (op: Record<string, unknown>): string => {
  const attributes = op.attributes as Record<string, unknown> | undefined;
  if (op.action !== 'identify' || !attributes || !('orders_count' in attributes)) return '';
  const shown = [
    'orders_count',
    'total_spent',
    'average_order_value',
    'top_categories',
    'active_subscriptions',
    'last_review_rating',
  ];
  return ` rollup ${shown
    .filter((k) => k in attributes)
    .map((k) => `${k}=${String(attributes[k])}`)
    .join(' ')}`;
};

/** `npm start`: the connector on embedded services, no AWS account and no Docker. */
const main = async (): Promise<void> => {
  const dataDir = resolve(process.env.LOCAL_DATA_DIR ?? LOCAL_DEFAULTS.dataDir);
  const siteId = process.env.CIO_SITE_ID;
  const apiKey = process.env.CIO_API_KEY;
  const region = process.env.CIO_REGION === 'eu' ? 'eu' : 'us';
  const stack = await startLocalStack({
    apiPort: Number(process.env.PORT ?? LOCAL_DEFAULTS.apiPort),
    dataDir,
    customerio: siteId && apiKey ? { siteId, apiKey, region } : undefined,
    // --fast: cart recovery steps after 15 s and 30 s of quiet instead of 1 h and 24 h.
    cartRecoveryStepsMinutes: process.argv.includes('--fast') ? '0.25,0.5' : undefined,
  });
  // The ops CLI (`npm run ops`) finds this stack through this file; it goes when the stack stops.
  const stackFile = writeLocalStackFile(dataDir, {
    pid: process.pid,
    sqsEndpoint: stack.sqsEndpoint,
    dynamoEndpoint: stack.dynamoEndpoint,
    apiUrl: stack.apiUrl,
    tableName: stack.tableName,
    schedulerFile: stack.scheduler.path,
    queues: stack.queues,
  });
  const lines = [
    '',
    'Commerce webhook connector — local stack is up',
    `  Webhooks     POST ${stack.apiUrl}/webhooks/{shopify,recharge,judgeme,okendo,stamped,yotpo/<token>}`,
    `  Inspector    ${stack.inspectorUrl}  (one shopper's timeline; read-only, 127.0.0.1 only)`,
    `  Storefront   POST ${stack.apiUrl}/collect (shop ${LOCAL_DEFAULTS.shop}, key ${LOCAL_DEFAULTS.storefrontKey}, origin ${LOCAL_DEFAULTS.storefrontOrigin})`,
    `  DynamoDB     dynalite, data in ${dataDir}/dynamodb (kept across restarts)`,
    '  SQS          fauxqs: inbox (+DLQ) → process → outbox (+DLQ) → deliver',
    `  Scheduler    local cart checks (steps ${process.env.CART_RECOVERY_STEPS_MINUTES} min) in ${stack.scheduler.path}`,
    stack.capture
      ? `  Customer.io  local capture at ${stack.capture.url}; batches appended to ${dataDir}/customerio-capture.jsonl`
      : `  Customer.io  REAL Track API (${region}) with CIO_SITE_ID=${siteId}`,
    '',
    'Send a signed sample order (in another terminal):',
    '  npm run send -- shopify orders/create local/samples/orders-create.json',
    'Send it again with the same webhook id to see the retry deduplicated:',
    '  npm run send -- shopify orders/create local/samples/orders-create.json --webhook-id demo-1 --repeat 2',
    '',
    'Storefront beacons (Web Pixel) from the local shop:',
    '  npm run send -- pixel test/fixtures/samples/shopify/web-pixel-product-viewed.json',
    'Cart recovery (start with `npm start -- --fast` for 15 s / 30 s steps):',
    '  npm run demo:cart-recovery',
    `Dead letters (finds this stack through ${stackFile}):`,
    `  npm run ops -- stats${process.env.LOCAL_DATA_DIR ? ` --local-data ${dataDir}` : ''}`,
    '  npm run ops -- --help',
    '',
    'Ctrl+C stops it.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  if (stack.capture) {
    const capture = stack.capture;
    let seen = 0;
    setInterval(() => {
      for (const request of capture.requests.slice(seen)) {
        const body = request.body as {
          batch?: Record<string, unknown>[];
          name?: string;
          anonymous_id?: string;
        };
        if (request.path === '/api/v1/events') {
          process.stdout.write(
            `[customer.io capture] anonymous event "${body.name}" → {"anonymous_id":"${body.anonymous_id}"}\n`,
          );
        }
        for (const op of body.batch ?? []) {
          const label =
            op.action === 'event' ? `event "${String(op.name)}" id=${String(op.id)}` : String(op.action);
          const who =
            op.action === 'merge'
              ? `${JSON.stringify(op.secondary)} into ${JSON.stringify(op.primary)}`
              : JSON.stringify(op.identifiers);
          process.stdout.write(`[customer.io capture] ${label} → ${who}${rollupOf(op)}\n`);
        }
      }
      seen = capture.requests.length;
    }, 250).unref();
  }
  const shutdown = () => {
    removeLocalStackFile(dataDir);
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
};

main().catch((error: unknown) => {
  process.stderr.write(
    `local stack failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
