import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCustomer, fakeLine, fakeOrder } from '../../../local/fake-shop/fake-data.js';
import { type FakeShop, startFakeShop } from '../../../local/fake-shop/fake-shop-server.js';
import { SqsMessageQueue } from '../../../shared/adapters/sqs-message-queue.js';
import { AdminSecretsSchema } from '../../../shared/config/admin-secrets.js';
import { DynamoDedupeStore } from '../../../shared/dedupe/dynamo-dedupe-store.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { TargetError } from '../../../shared/operations/ops-target.js';
import type { SyncTarget } from '../../../shared/operations/sync/sync-target.js';
import { DynamoPersonVersionStore } from '../../../shared/people/person-version-store.js';
import { staleUpdateStage } from '../../../shared/people/stale-update-stage.js';
import { processInboxMessage } from '../../../shared/process/process-envelope.js';
import { runBackfillCli } from '../../../shared/runtime/backfill-cli.js';
import { runReconcileCli } from '../../../shared/runtime/reconcile-cli.js';
import type { SyncIo } from '../../../shared/runtime/sync-cli-kit.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { startTestQueues, type TestQueues } from '../../helpers/fauxqs.js';

const SHOP = 'cli.myshopify.com';
const NOW = new Date('2026-06-01T12:00:00Z');

describe('npm run backfill / npm run reconcile (dynalite, fauxqs and a fake shop on 127.0.0.1)', () => {
  let table: TestTable;
  let queues: TestQueues;
  let shop: FakeShop;
  let inboxUrl: string;
  beforeAll(async () => {
    [table, queues, shop] = await Promise.all([
      startTestTable(),
      startTestQueues(),
      startFakeShop({ shop: SHOP, bulkPolls: 0 }),
    ]);
    inboxUrl = queues.queue('cli-inbox').url;
    const buyer = fakeCustomer({ id: 5, email: 'cli@example.com', updatedAt: '2026-05-01T00:00:00Z' });
    shop.shopify.customers = [buyer];
    shop.shopify.orders = [1, 2, 3].map((id) =>
      fakeOrder({ id, customer: buyer, lines: [fakeLine(id, 20)], createdAt: `2026-05-0${id}T00:00:00Z` }),
    );
  });
  afterAll(async () => {
    await Promise.all([table?.close(), queues?.close(), shop?.stop()]);
  });

  const io = (target?: SyncTarget) => {
    let out = '';
    let err = '';
    const terminal: SyncIo = {
      out: (text) => {
        out += text;
      },
      err: (text) => {
        err += text;
      },
      now: () => NOW,
      target: async () => {
        if (!target) throw new TargetError('no local stack found');
        return target;
      },
      holder: 'test-host#1',
    };
    return { terminal, out: () => out, err: () => err };
  };
  const target = (): SyncTarget => ({
    label: 'test stack',
    inbox: new SqsMessageQueue(queues.sqs, inboxUrl),
    dynamo: table.client,
    tableName: table.tableName,
    webhookUrls: { shopify: 'https://hooks.example/webhooks/shopify' },
    apiUrls: { shopify: shop.url, recharge: shop.rechargeUrl, judgeme: shop.judgemeUrl },
    adminSecrets: async () =>
      AdminSecretsSchema.parse({ shops: { [SHOP]: { shopify: { adminAccessToken: shop.tokens.shopify } } } }),
    close: () => undefined,
  });

  /**
   * Works through the inbox as the process worker does: its delivery claims, event ownership and recorded attribute
   * times (stale-update stage) are what later runs find known.
   */
  const drainInbox = async (): Promise<number> => {
    const telemetry = testTelemetry();
    const deps = {
      dedupe: new DynamoDedupeStore(table.client, {
        tableName: table.tableName,
        leaseSeconds: 60,
        retentionDays: 30,
      }),
      outbox: new MemoryQueue(),
      normalizers: normalizerRegistry,
      stages: [staleUpdateStage(new DynamoPersonVersionStore(table.client, table.tableName), telemetry)],
      identity: { strategy: 'customer_id' as const, customerIdPrefix: '' },
      clock: () => NOW,
      telemetry,
    };
    let processed = 0;
    for (;;) {
      const out = await queues.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: inboxUrl, MaxNumberOfMessages: 10 }),
      );
      if (!out.Messages?.length) return processed;
      for (const message of out.Messages) {
        await processInboxMessage(message.Body ?? '', deps);
        await queues.sqs.send(
          new DeleteMessageCommand({ QueueUrl: inboxUrl, ReceiptHandle: message.ReceiptHandle }),
        );
        processed += 1;
      }
    }
  };

  it.each([
    [['--since', '2026-01-01'], '--shop <name>.myshopify.com is required'],
    [['--shop', SHOP], '--since <date> is required'],
    [['--shop', SHOP, '--since', 'last week'], 'is not a date'],
    [['--shop', SHOP, '--since', '2027-01-01'], 'is in the future'],
    [['--shop', SHOP, '--since', '2026-01-01', '--mode', 'fast'], 'one of auto, bulk, pages'],
    [['--shop', SHOP, '--since', '2026-01-01', '--verbose'], 'unknown option --verbose'],
  ])('answers wrong usage %j with exit code 2 and says what is wrong', async (argv, message) => {
    const { terminal, err } = io(target());

    expect(await runBackfillCli(argv, terminal)).toBe(2);
    expect(err()).toContain(message);
  });

  it('says where to find a target when there is none', async () => {
    const { terminal, err } = io();

    expect(await runBackfillCli(['--shop', SHOP, '--since', '2026-01-01'], terminal)).toBe(1);
    expect(err()).toContain('no local stack found');
  });

  it('backfills, printing progress per stream and the API calls it cost, then finds everything known', async () => {
    const first = io(target());
    const second = io(target());

    expect(await runBackfillCli(['--shop', SHOP, '--since', '2026-01-01'], first.terminal)).toBe(0);
    expect(await drainInbox()).toBe(4);
    expect(await runBackfillCli(['--shop', SHOP, '--since', '2026-01-01'], second.terminal)).toBe(0);

    expect(first.out()).toContain('reads: shopify (Shopify bulk) · sends: people and rollups, no events');
    expect(first.out()).toMatch(/shopify-orders\s+read 3 · queued 3 · known 0/);
    expect(first.out()).toContain('done: read 4, queued 4, known 0');
    expect(first.out()).toMatch(/shopify\s+\d+ calls · 0 throttled/);
    expect(second.out()).toContain('done: read 4, queued 0, known 4');
  });

  it('reconciles, listing what it found missing and the metrics it counted', async () => {
    const { terminal, out } = io(target());

    // The backfill sent no Order Completed for these recent orders and no webhook did: reconciliation does.
    expect(
      await runReconcileCli(['--shop', SHOP, '--lookback-minutes', String(60 * 24 * 60)], terminal),
    ).toBe(0);

    expect(out()).toContain('read 4 · known 1 · fed as missing 3');
    expect(out()).toContain('missing orders/create: 3');
    expect(out()).toContain('ReconciledMissing_orders_create=3');
    expect(out()).toContain('ReconcileCompleted=1');
  });
});
