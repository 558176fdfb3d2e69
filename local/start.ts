import { resolve } from 'node:path';
import { LOCAL_DEFAULTS } from './local-config.js';
import { startLocalStack } from './local-stack.js';

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
  });
  const lines = [
    '',
    'Commerce webhook connector — local stack is up',
    `  Webhooks     POST ${stack.apiUrl}/webhooks/shopify`,
    `  DynamoDB     dynalite, data in ${dataDir}/dynamodb (kept across restarts)`,
    '  SQS          fauxqs: inbox (+DLQ) → process → outbox (+DLQ) → deliver',
    stack.capture
      ? `  Customer.io  local capture at ${stack.capture.url}; batches appended to ${dataDir}/customerio-capture.jsonl`
      : `  Customer.io  REAL Track API (${region}) with CIO_SITE_ID=${siteId}`,
    '',
    'Send a signed sample order (in another terminal):',
    '  npm run send -- shopify orders/create local/samples/orders-create.json',
    'Send it again with the same webhook id to see the retry deduplicated:',
    '  npm run send -- shopify orders/create local/samples/orders-create.json --webhook-id demo-1 --repeat 2',
    '',
    'Ctrl+C stops it.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  if (stack.capture) {
    const capture = stack.capture;
    let seen = 0;
    setInterval(() => {
      const ops = capture.operations();
      for (const op of ops.slice(seen)) {
        const label =
          op.action === 'event' ? `event "${String(op.name)}" id=${String(op.id)}` : String(op.action);
        process.stdout.write(`[customer.io capture] ${label} → ${JSON.stringify(op.identifiers)}\n`);
      }
      seen = ops.length;
    }, 250).unref();
  }
  const shutdown = () => {
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
