import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LOCAL_DEFAULTS } from './local-config.js';
import { postShopifyWebhook } from './post-shopify-webhook.js';

const USAGE = `usage:
  npm run send -- shopify <topic> <file.json> [--url URL] [--shop DOMAIN] [--webhook-id ID] [--repeat N]
      Signs the file's exact bytes with the local Shopify secret and posts it like Shopify would.
  npm run send -- pixel <event.json> [--url URL] [--shop DOMAIN] [--client-id ID]
      Posts a Web Pixel event (a standard event envelope) to /collect like the custom pixel would.`;

type Options = { url: string; shop: string; 'webhook-id'?: string; repeat: string; 'client-id'?: string };

const sendShopify = async (topic: string, file: string, values: Options): Promise<void> => {
  const body = readFileSync(file);
  const webhookId = values['webhook-id'] ?? randomUUID();
  const repeat = Math.max(1, Number(values.repeat));
  for (let i = 0; i < repeat; i += 1) {
    const response = await postShopifyWebhook(values.url, body, { topic, shop: values.shop, webhookId });
    process.stdout.write(
      `POST ${topic} webhook-id=${webhookId} → ${response.status} ${await response.text()}\n`,
    );
  }
};

const sendPixel = async (file: string, values: Options): Promise<void> => {
  const event = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const { pixelEventLabel: _capturedLabel, ...standard } = event;
  const beacon = {
    shop: values.shop,
    key: LOCAL_DEFAULTS.storefrontKey,
    event: {
      ...standard,
      id: randomUUID(),
      ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
    },
  };
  const response = await fetch(`${values.url}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: LOCAL_DEFAULTS.storefrontOrigin },
    body: JSON.stringify(beacon),
  });
  process.stdout.write(`POST /collect ${String(event.name)} → ${response.status} ${await response.text()}\n`);
};

/** `npm run send`: posts a signed webhook or a storefront beacon to the local (or any) connector. */
const main = async (): Promise<void> => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? LOCAL_DEFAULTS.apiPort}` },
      shop: { type: 'string', default: LOCAL_DEFAULTS.shop },
      'webhook-id': { type: 'string' },
      'client-id': { type: 'string' },
      repeat: { type: 'string', default: '1' },
    },
  });
  const [source, first, second] = positionals;
  if (source === 'shopify' && first && second) return sendShopify(first, second, values);
  if (source === 'pixel' && first) return sendPixel(first, values);
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
};

main().catch((error: unknown) => {
  process.stderr.write(`send failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
