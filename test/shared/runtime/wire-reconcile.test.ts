import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCustomer, fakeLine, fakeOrder } from '../../../local/fake-shop/fake-data.js';
import { type FakeShop, startFakeShop } from '../../../local/fake-shop/fake-shop-server.js';
import { parseEnv } from '../../../shared/config/env.js';
import { ReconcileEnvSchema } from '../../../shared/config/sync-env.js';
import { wireReconcile } from '../../../shared/runtime/wire-reconcile.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { testTelemetry } from '../../helpers/fakes.js';
import { startTestQueues, type TestQueues } from '../../helpers/fauxqs.js';

const SHOP = 'wired.myshopify.com';

describe('the reconcile Lambda core (dynalite, fauxqs and a fake shop on 127.0.0.1)', () => {
  let table: TestTable;
  let queues: TestQueues;
  let shop: FakeShop;
  let inbox: { url: string };
  beforeAll(async () => {
    [table, queues, shop] = await Promise.all([
      startTestTable(),
      startTestQueues(),
      startFakeShop({ shop: SHOP }),
    ]);
    inbox = queues.queue('reconcile-inbox');
    const buyer = fakeCustomer({
      id: 1,
      email: 'w@example.com',
      updatedAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    shop.shopify.customers = [];
    shop.shopify.orders = [
      fakeOrder({
        id: 77,
        customer: buyer,
        lines: [fakeLine(1, 10)],
        createdAt: new Date(Date.now() - 600_000).toISOString(),
      }),
    ];
  });
  afterAll(async () => {
    await Promise.all([table?.close(), queues?.close(), shop?.stop()]);
  });

  const reconcile = (secrets: unknown = shop.adminSecrets) => {
    const telemetry = testTelemetry();
    const env = parseEnv(ReconcileEnvSchema, {
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: table.endpoint,
      SQS_ENDPOINT: `http://127.0.0.1:${queues.server.port}`,
      TABLE_NAME: table.tableName,
      INBOX_QUEUE_URL: inbox.url,
      LOCAL_ADMIN_SECRETS_JSON: JSON.stringify(secrets),
      SHOPIFY_ADMIN_URL: shop.url,
      RECHARGE_API_URL: shop.rechargeUrl,
      JUDGEME_API_URL: shop.judgemeUrl,
      RECONCILE_RECHARGE_WEBHOOKS: 'off',
    });
    return { run: wireReconcile(env, telemetry), counters: telemetry.counters };
  };

  it('refuses a schedule input without a shop, and a shop the Admin API secret does not know, counting why', async () => {
    const { run, counters } = reconcile();

    expect(await run({})).toMatchObject({ ok: false });
    expect(await run({ shop: 'unknown.myshopify.com' })).toMatchObject({ ok: false });

    expect(counters.get('ReconcileFailed_input_invalid')).toBe(1);
    expect(counters.get('ReconcileFailed_configuration_invalid')).toBe(1);
    expect(counters.get('ReconcileFailed')).toBe(2);
  });

  it('counts a refused token as a failed run and leaves the window for the next run', async () => {
    const bad = { shops: { [SHOP]: { shopify: { adminAccessToken: 'shpat_revoked' } } } };
    const { run, counters } = reconcile(bad);

    expect(await run({ shop: SHOP })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('HTTP 401'),
    });

    expect(counters.get('ReconcileFailed_admin_api_auth')).toBe(1);
    expect(counters.get('ReconcileCompleted')).toBe(0);
  });

  it('feeds the order no webhook delivered into the inbox, marked reconcile, and counts it missing', async () => {
    const { run, counters } = reconcile();

    const outcome = await run({ shop: 'Wired.myshopify.com' });

    expect(outcome).toMatchObject({ ok: true, summary: { missing: { 'orders/create': 1 } } });
    expect(counters.get('ReconciledMissing_orders_create')).toBe(1);
    expect(counters.get('ReconcileCompleted')).toBe(1);
    const received = await queues.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: inbox.url, MaxNumberOfMessages: 10 }),
    );
    expect(received.Messages?.map((m) => JSON.parse(m.Body ?? '{}'))).toMatchObject([
      {
        source: 'shopify',
        topic: 'orders/create',
        shop: SHOP,
        origin: 'reconcile',
        deliveryId: 'reconcile:orders/create:77',
      },
    ]);
  });
});
