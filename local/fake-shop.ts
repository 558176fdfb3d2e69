import { resolve } from 'node:path';
import { removeFakeShopFile, writeFakeShopFile } from '../shared/operations/sync/fake-shop-file.js';
import { DEMO_SINCE, seedDemoShop } from './fake-shop/demo-seed.js';
import { startFakeShop } from './fake-shop/fake-shop-server.js';
import { LOCAL_DEFAULTS } from './local-config.js';

/**
 * `npm run fake-shop`: the local shop's Shopify Admin API, Recharge and Judge.me on 127.0.0.1, seeded with a small
 * history, for `npm run backfill` and `npm run reconcile` against the local stack (`npm start`).
 */
const main = async (): Promise<void> => {
  const dataDir = resolve(process.env.LOCAL_DATA_DIR ?? LOCAL_DEFAULTS.dataDir);
  const shop = await startFakeShop({
    shop: LOCAL_DEFAULTS.shop,
    port: Number(process.env.FAKE_SHOP_PORT ?? 0),
  });
  seedDemoShop(shop);
  const file = writeFakeShopFile(dataDir, {
    pid: process.pid,
    shop: shop.shop,
    shopifyUrl: shop.url,
    rechargeUrl: shop.rechargeUrl,
    judgemeUrl: shop.judgemeUrl,
    adminSecrets: shop.adminSecrets,
  });
  process.stdout.write(
    [
      '',
      `Fake shop ${shop.shop} is up (${file})`,
      `  Shopify Admin GraphQL  ${shop.url}/admin/api/2026-07/graphql.json (bulk operations, cost throttle)`,
      `  Recharge API           ${shop.rechargeUrl}`,
      `  Judge.me API           ${shop.judgemeUrl}`,
      `  History                3 customers, 5 orders, 2 Recharge subscriptions, 2 reviews`,
      '',
      'With the local stack running (`npm start`), in another terminal:',
      `  npm run backfill -- --shop ${shop.shop} --since ${DEMO_SINCE}`,
      `  npm run reconcile -- --shop ${shop.shop}`,
      '',
      'Ctrl+C stops it.',
      '',
    ].join('\n'),
  );
  const stop = () => {
    removeFakeShopFile(dataDir);
    shop.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error: unknown) => {
  process.stderr.write(
    `fake shop failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
