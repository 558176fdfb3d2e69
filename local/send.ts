import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { signShopifyBody } from '../shared/signatures/shopify-signature.js';
import { LOCAL_DEFAULTS, localShopifySecret } from './local-config.js';

const USAGE = `usage: npm run send -- shopify <topic> <file.json> [--url URL] [--shop DOMAIN] [--webhook-id ID] [--repeat N]
  Signs the file's exact bytes with the local Shopify secret and posts it like Shopify would.`;

/** `npm run send`: posts a signed fixture to the local (or any) connector. */
const main = async (): Promise<void> => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? LOCAL_DEFAULTS.apiPort}` },
      shop: { type: 'string', default: LOCAL_DEFAULTS.shop },
      'webhook-id': { type: 'string' },
      repeat: { type: 'string', default: '1' },
    },
  });
  const [source, topic, file] = positionals;
  if (source !== 'shopify' || !topic || !file) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const body = readFileSync(file);
  const webhookId = values['webhook-id'] ?? randomUUID();
  const repeat = Math.max(1, Number(values.repeat));
  for (let i = 0; i < repeat; i += 1) {
    const response = await fetch(`${values.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-hmac-sha256': signShopifyBody(body, localShopifySecret()),
        'x-shopify-shop-domain': values.shop,
        'x-shopify-api-version': '2026-07',
        'x-shopify-webhook-id': webhookId,
        'x-shopify-event-id': randomUUID(),
        'x-shopify-triggered-at': new Date().toISOString(),
      },
      body,
    });
    process.stdout.write(
      `POST ${topic} webhook-id=${webhookId} → ${response.status} ${await response.text()}\n`,
    );
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`send failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
