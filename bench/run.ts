import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { shopDirectory } from '../shared/config/shops.js';
import { handleWebhook } from '../shared/ingest/handle-webhook.js';
import { parseJsonLossless } from '../shared/json/lossless-json.js';
import { normalizerRegistry } from '../shared/normalize/registry.js';
import { MemoryCounters, silentLog } from '../shared/ports/telemetry.js';
import { webhookSources } from '../shared/runtime/wire-ingest.js';
import { signShopifyBody, verifyShopifySignature } from '../shared/signatures/shopify-signature.js';

/**
 * `npm run bench`: throughput and latency of the hot paths on this machine, with no network. Targets: the ingest
 * core (signature + envelope, queue faked) must stay far below Shopify's 5 s budget — p50 under 1 ms, p99 under
 * 20 ms even on a busy 2-core machine — and a normalized order p50 under 1 ms. Exits non-zero on a miss.
 */
const ORDER = readFileSync(resolve(import.meta.dirname, '../local/samples/orders-create.json'));
const SECRET = 'bench-secret';

const measure = async (label: string, iterations: number, fn: () => unknown | Promise<unknown>) => {
  for (let i = 0; i < Math.min(200, iterations); i += 1) await fn();
  const samples = new Float64Array(iterations);
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) {
    const t = performance.now();
    await fn();
    samples[i] = performance.now() - t;
  }
  const total = performance.now() - started;
  samples.sort();
  const pct = (p: number) => samples[Math.min(iterations - 1, Math.floor(p * iterations))] ?? 0;
  const row = {
    label,
    iterations,
    opsPerSec: Math.round((iterations / total) * 1000),
    p50ms: pct(0.5),
    p99ms: pct(0.99),
  };
  process.stdout.write(
    `${label.padEnd(44)} ${String(row.opsPerSec).padStart(8)} ops/s   p50 ${row.p50ms.toFixed(3)} ms   p99 ${row.p99ms.toFixed(3)} ms\n`,
  );
  return row;
};

const main = async () => {
  const header = signShopifyBody(ORDER, SECRET);
  const envelope = {
    version: 1 as const,
    source: 'shopify' as const,
    topic: 'orders/create',
    shop: 'bench.myshopify.com',
    deliveryId: 'wh',
    receivedAt: new Date().toISOString(),
    signed: true,
    body: ORDER.toString('utf8'),
  };
  const normalize = normalizerRegistry.shopify?.['orders/create'];
  if (!normalize) throw new Error('orders/create normalizer missing');
  const deps = {
    sources: webhookSources,
    secrets: {
      get: async () => ({
        shops: { 'bench.myshopify.com': { shopify: { clientSecrets: ['rotated-out', SECRET] } } },
      }),
    },
    shops: shopDirectory({
      'bench.myshopify.com': { workspace: 'default', customerIdPrefix: '', customDomains: [] },
    }),
    inbox: { send: async () => undefined },
    clock: () => new Date(),
    maxBodyBytes: 512 * 1024,
    telemetry: { log: silentLog, counters: new MemoryCounters() },
  };
  const request = {
    method: 'POST',
    path: '/webhooks/shopify',
    query: {},
    body: ORDER,
    headers: {
      'x-shopify-topic': 'orders/create',
      'x-shopify-hmac-sha256': header,
      'x-shopify-shop-domain': 'bench.myshopify.com',
      'x-shopify-webhook-id': 'wh',
    },
  };
  process.stdout.write(`node ${process.version}, order sample ${ORDER.length} bytes\n`);
  const rows = [
    await measure('verify Shopify HMAC (2 secrets, rotation)', 20_000, () =>
      verifyShopifySignature(ORDER, header, ['rotated-out', SECRET]),
    ),
    await measure('lossless JSON parse of an order', 20_000, () => parseJsonLossless(envelope.body)),
    await measure('parse + normalize orders/create', 10_000, () =>
      normalize(parseJsonLossless(envelope.body), envelope),
    ),
    await measure('ingest core (verify, headers, envelope)', 10_000, () => handleWebhook(request, deps)),
  ];
  const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
  process.stdout.write(`rss after run: ${rss} MiB\n`);
  const misses = [
    (rows[3]?.p50ms ?? Infinity) > 1 ? 'ingest core p50 > 1 ms' : undefined,
    (rows[3]?.p99ms ?? Infinity) > 20 ? 'ingest core p99 > 20 ms' : undefined,
    (rows[2]?.p50ms ?? Infinity) > 1 ? 'normalize p50 > 1 ms' : undefined,
  ].filter(Boolean);
  if (misses.length > 0) {
    process.stderr.write(`targets missed: ${misses.join('; ')}\n`);
    process.exit(1);
  }
  process.stdout.write('all targets met\n');
};

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
