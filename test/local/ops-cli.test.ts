import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type MessageAttributeValue, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DEFAULTS } from '../../local/local-config.js';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { eventIdFor } from '../../shared/canonical/event-id.js';
import { CanonicalEventSchema } from '../../shared/canonical/events.js';
import { resolveIdentifiers } from '../../shared/identity/identifiers.js';
import { parseJsonLossless } from '../../shared/json/lossless-json.js';
import { normalizerRegistry } from '../../shared/normalize/registry.js';
import type { OpsIo } from '../../shared/operations/commands/command.js';
import { writeLocalStackFile } from '../../shared/operations/local-stack-file.js';
import { runOps } from '../../shared/operations/ops-cli.js';
import { resolveTarget } from '../../shared/operations/ops-target.js';
import type { Log, LogFields } from '../../shared/ports/telemetry.js';
import { readSample } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/wait-for.js';

const ORDER = readSample('shopify/orders-create.json');
const SHOP = LOCAL_DEFAULTS.shop;
const ROOT = resolve(import.meta.dirname, '..', '..');

/** The sample order under another id, so each test has its own Order Completed. */
const orderBody = (orderId: number): string => ORDER.replace('"id": 820982911946154508', `"id": ${orderId}`);
const orderEventId = (orderId: number): string => eventIdFor(`order-completed#${SHOP}#${orderId}`);

const envelope = (deliveryId: string, body: string, topic = 'orders/create') =>
  JSON.stringify({
    version: 1,
    source: 'shopify',
    topic,
    shop: SHOP,
    deliveryId,
    receivedAt: new Date().toISOString(),
    signed: true,
    body,
  });

const contractAttributes = (code: string, extra: Record<string, string> = {}) =>
  Object.fromEntries(
    Object.entries({
      failure_code: code,
      failure_class: 'permanent',
      failure_reason: `${code}: test reason`,
      failed_at: new Date().toISOString(),
      attempts: '1',
      origin: 'inbox',
      ...extra,
    }).map(([k, v]) => [k, { DataType: 'String', StringValue: v } satisfies MessageAttributeValue]),
  );

describe('ops CLI against the local stack (fauxqs + dynalite + real handlers + Customer.io capture)', () => {
  let stack: LocalStack;
  let dataDir: string;
  const logged: { message: string; fields?: LogFields }[] = [];
  const log: Log = {
    debug() {},
    info: (message, fields) => logged.push({ message, fields }),
    warn: (message, fields) => logged.push({ message, fields }),
    error: (message, fields) => logged.push({ message, fields }),
  };

  const ops = async (args: string[], answers: string[] = []) => {
    let out = '';
    let err = '';
    const io: OpsIo = {
      out: (t) => (out += t),
      err: (t) => (err += t),
      interactive: answers.length > 0,
      ask: async () => answers.shift() ?? '',
      now: () => new Date(),
      target: (options) => resolveTarget(options, {}),
      pollMs: 50,
    };
    const code = await runOps([...args, '--local-data', dataDir], io);
    return { code, out, err };
  };
  const park = (queue: 'inboxDlq' | 'outboxDlq' | 'cartCheckDlq', body: string, attrs = {}) =>
    stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queues[queue].url,
        MessageBody: body,
        MessageAttributes: attrs,
      }),
    );
  const inspect = (name: string) => {
    const q = stack.fauxqs.inspectQueue(name);
    return {
      ready: q?.messages.ready ?? [],
      inflight: q?.messages.inflight ?? [],
    };
  };
  const capturedEvents = (id: string) =>
    (stack.capture?.operations() ?? []).filter((op) => op.action === 'event' && op.id === id);

  beforeAll(async () => {
    stack = await startLocalStack({
      apiPort: 0,
      visibilityTimeoutSeconds: 1,
      retry: { maxAttempts: 2 },
      log,
    });
    dataDir = mkdtempSync(join(tmpdir(), 'ops-cli-'));
    writeLocalStackFile(dataDir, {
      pid: process.pid,
      sqsEndpoint: stack.sqsEndpoint,
      dynamoEndpoint: stack.dynamoEndpoint,
      apiUrl: stack.apiUrl,
      tableName: stack.tableName,
      schedulerFile: stack.scheduler.path,
      queues: stack.queues,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('usage', () => {
    it.each(['stats', 'show', 'redrive', 'purge', 'replay'])(
      '%s --help explains the command and its options',
      async (name) => {
        const { code, out } = await ops([name, '--help']);
        expect(code).toBe(0);
        expect(out).toMatch(new RegExp(`^usage: npm run ops -- ${name} `));
        expect(out).toContain('--stack <name>');
        expect(out).toContain('--local-data <dir>');
        expect(out).toContain('-h, --help');
      },
    );

    it('lists the commands at the top level, and `help <command>` is the same as --help', async () => {
      const top = await ops(['--help']);
      expect(top.code).toBe(0);
      for (const name of ['stats', 'show', 'redrive', 'purge', 'replay'])
        expect(top.out).toContain(`  ${name} `);
      expect((await ops(['help', 'redrive'])).out).toBe((await ops(['redrive', '--help'])).out);
    });

    it('stats --help says what counting by code costs and why it does not matter to redrive', async () => {
      const { out } = await ops(['stats', '--help']);
      expect(out).toContain('ApproximateReceiveCount');
      expect(out).toContain('DLQs have no redrive policy');
      expect(out).toContain('--no-receive');
    });

    it.each([
      [['stats', '--bogus'], /unknown option --bogus for stats/],
      [['show', '--dlq'], /option --dlq of show needs a value/],
      [['redrive'], /--dlq is required/],
      [['show', '--dlq', 'nope'], /unknown DLQ "nope"/],
      [['show', '--limit', '0'], /--limit must be a whole number/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['purge', '--dlq', 'inbox'], /pass --yes/],
    ])('%j is a usage error: clear message, exit 2', async (args, message) => {
      const { code, err } = await ops(args);
      expect(code).toBe(2);
      expect(err).toMatch(message);
    });

    it('the real entry (npm run ops) exits 2 on an unknown option, and npm run dlq is the same tool', async () => {
      const run = promisify(execFile);
      const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
      const failure = await run(process.execPath, [tsx, 'scripts/ops.ts', 'show', '--show-body'], {
        cwd: ROOT,
      }).catch((error: { code: number; stderr: string }) => error);
      expect(failure).toMatchObject({ code: 2 });
      expect((failure as { stderr: string }).stderr).toContain('unknown option --show-body for show');
      const pkg = JSON.parse((await import('node:fs')).readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      expect(pkg.scripts.dlq).toBe(pkg.scripts.ops);
    });

    it('says how to get a target when no local stack is running and no --stack is given', async () => {
      const empty = mkdtempSync(join(tmpdir(), 'ops-none-'));
      const io: OpsIo = {
        out: () => undefined,
        err: (t) => errors.push(t),
        interactive: false,
        ask: async () => '',
        now: () => new Date(),
        target: (options) => resolveTarget(options, {}),
      };
      const errors: string[] = [];
      expect(await runOps(['stats', '--local-data', empty], io)).toBe(1);
      expect(errors.join('')).toMatch(/no local stack found: .*stack\.json does not exist/);
      rmSync(empty, { recursive: true, force: true });
    });
  });

  describe('stats', () => {
    it('depths alone change nothing; counting by code adds exactly one receive per message, and says so', async () => {
      await park('inboxDlq', envelope('st-1', '{"id": 1}'), contractAttributes('payload_invalid'));
      await park('inboxDlq', envelope('st-2', '{"id": 2}'), contractAttributes('payload_invalid'));
      await park('inboxDlq', envelope('st-3', '{"id": 3}'), contractAttributes('person_unresolved'));
      const counts = () =>
        inspect('inbox-dlq')
          .ready.map((m) => m.approximateReceiveCount)
          .sort();

      const depthOnly = await ops(['stats', '--no-receive', '--json']);
      expect(depthOnly.code).toBe(0);
      const shallow = JSON.parse(depthOnly.out) as {
        receives: number;
        dlqs: { dlq: string; depth?: { visible: number } }[];
      };
      expect(shallow.receives).toBe(0);
      expect(shallow.dlqs.find((d) => d.dlq === 'inbox')?.depth?.visible).toBe(3);
      expect(counts()).toEqual([0, 0, 0]);

      const full = await ops(['stats', '--dlq', 'inbox', '--json']);
      const read = JSON.parse(full.out) as {
        receives: number;
        dlqs: { byCode: { code: string; count: number }[]; complete: boolean; oldestSentAt?: string }[];
        note: string;
      };
      expect(read.receives).toBe(3);
      expect(read.dlqs[0]?.byCode).toEqual([
        { code: 'payload_invalid', count: 2 },
        { code: 'person_unresolved', count: 1 },
      ]);
      expect(read.dlqs[0]?.complete).toBe(true);
      expect(read.dlqs[0]?.oldestSentAt).toBeDefined();
      expect(read.note).toContain('ApproximateReceiveCount');
      // Released at once: visible again, nothing left in flight, each count up by exactly one.
      expect(inspect('inbox-dlq').inflight).toHaveLength(0);
      expect(counts()).toEqual([1, 1, 1]);

      const text = await ops(['stats']);
      expect(text.out).toMatch(/inbox\s+3\s+0\s+\S+\s+inbox queue\s+payload_invalid 2, person_unresolved 1/);
      expect(text.out).toContain('ApproximateReceiveCount in its DLQ went up by 1');
      expect(text.out).toMatch(/scheduler\s+n\/a: no SQS queue locally/);
      expect(counts()).toEqual([2, 2, 2]);

      expect((await ops(['purge', '--dlq', 'inbox', '--yes'])).code).toBe(0);
    });
  });

  describe('show', () => {
    it('shows the facts and reason with PII masked by default, and everything with --raw', async () => {
      await park('inboxDlq', envelope('sh-1', orderBody(7001)), contractAttributes('payload_invalid'));
      const masked = await ops(['show', '--dlq', 'inbox', '--id', 'sh-1']);
      expect(masked.code).toBe(0);
      expect(masked.out).toContain('shopify orders/create  shop=local-dev.myshopify.com');
      expect(masked.out).toContain('id sh-1');
      expect(masked.out).toContain('payload_invalid (permanent) after 1 attempt(s)');
      expect(masked.out).toContain('reason    payload_invalid: test reason');
      expect(masked.out).toContain('→ inbox queue');
      expect(masked.out).toContain('"email": "[email]"');
      expect(masked.out).toContain('"address1": "[address]"');
      expect(masked.out).toContain('"id": 7001');
      for (const pii of ['jon@example.com', 'Jon', 'Snow', '123 Amoebobacteria St', '555-625-1199']) {
        expect(masked.out).not.toContain(pii);
      }

      const json = JSON.parse((await ops(['show', '--dlq', 'inbox', '--id', 'sh-1', '--json'])).out) as {
        messages: {
          deliveryId: string;
          failure: { code: string };
          masked: number;
          payload: { value: unknown };
        }[];
      };
      expect(json.messages).toHaveLength(1);
      expect(json.messages[0]).toMatchObject({ deliveryId: 'sh-1', failure: { code: 'payload_invalid' } });
      expect(json.messages[0]?.masked).toBeGreaterThan(10);
      expect(JSON.stringify(json)).not.toContain('jon@example.com');

      const raw = await ops(['show', '--dlq', 'inbox', '--id', 'sh-1', '--raw']);
      expect(raw.out).toContain('RAW');
      expect(raw.out).toContain('jon@example.com');

      expect((await ops(['purge', '--dlq', 'inbox', '--id', 'sh-1', '--yes'])).code).toBe(0);
      expect(inspect('inbox-dlq').ready).toHaveLength(0);
    });
  });

  describe('redrive', () => {
    it('after the fix, delivers each parked event exactly once, duplicates included', async () => {
      // Two orders parked by a since-fixed failure; the first was delivered twice by Shopify and parked twice.
      await park('inboxDlq', envelope('rd-1', orderBody(7101)), contractAttributes('payload_invalid'));
      await park('inboxDlq', envelope('rd-1', orderBody(7101)), contractAttributes('payload_invalid'));
      await park('inboxDlq', envelope('rd-2', orderBody(7102)), contractAttributes('payload_invalid'));
      await park('inboxDlq', envelope('rd-keep', orderBody(7103)), contractAttributes('person_unresolved'));

      const dry = await ops(['redrive', '--dlq', 'inbox', '--code', 'payload_invalid', '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.out).toContain('dry run: 3 message(s) would be redriven');
      expect(inspect('inbox-dlq').ready).toHaveLength(4);

      const done = await ops(['redrive', '--dlq', 'inbox', '--code', 'payload_invalid']);
      expect(done.code).toBe(0);
      expect(done.out).toContain('message by message (this SQS has no StartMessageMoveTask)');
      expect(done.out).toContain('redriven 3 of 3 matching message(s)');
      expect(done.out).toContain('1 other message(s) read and released untouched');

      for (const id of [orderEventId(7101), orderEventId(7102)]) {
        await waitFor(() => (capturedEvents(id).length > 0 ? true : undefined), 20_000, `event ${id}`);
      }
      // Let the duplicate delivery flow through: it is deduplicated by its delivery id.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(capturedEvents(orderEventId(7101))).toHaveLength(1);
      expect(capturedEvents(orderEventId(7102))).toHaveLength(1);
      expect(capturedEvents(orderEventId(7103))).toHaveLength(0);
      // Only the other code stays parked, visible.
      const left = inspect('inbox-dlq').ready.map((m) => JSON.parse(m.body).deliveryId);
      expect(left).toEqual(['rd-keep']);
      expect((await ops(['purge', '--dlq', 'inbox', '--yes'])).code).toBe(0);
    });

    it("ignores how often the DLQ copy was looked at: more reads than the source's maxReceiveCount, still delivered", async () => {
      await park('inboxDlq', envelope('rd-looked', orderBody(7501)), contractAttributes('payload_invalid'));
      for (let look = 0; look < 3; look += 1) expect((await ops(['stats', '--dlq', 'inbox'])).code).toBe(0);
      // The local inbox worker parks a message after 2 attempts; this copy has 3 receives from the looks alone.
      expect(inspect('inbox-dlq').ready.map((m) => m.approximateReceiveCount)).toEqual([3]);
      expect((await ops(['redrive', '--dlq', 'inbox', '--id', 'rd-looked'])).code).toBe(0);
      const id = orderEventId(7501);
      await waitFor(() => (capturedEvents(id).length > 0 ? true : undefined), 20_000, 'the redriven event');
      await new Promise((r) => setTimeout(r, 2_500));
      expect(capturedEvents(id)).toHaveLength(1);
      expect(inspect('inbox-dlq').ready).toHaveLength(0);
    });

    it('redrives an outbox operation back to the outbox: Customer.io receives it once', async () => {
      // A real outbox message, built by the real normalizer as the process worker would.
      const body = orderBody(7201);
      const result = normalizerRegistry.shopify?.['orders/create']?.(
        parseJsonLossless(body),
        JSON.parse(envelope('ob-1', body)),
        {},
      );
      if (result?.kind !== 'normalized') throw new Error('expected the sample order to normalize');
      const draft = result.events.find((e) => e.name === 'Order Completed');
      if (!draft) throw new Error('expected an Order Completed');
      const event = CanonicalEventSchema.parse({ ...draft, id: eventIdFor(draft.dedupe_key) });
      const identifiers = resolveIdentifiers(
        event.person,
        { strategy: 'customer_id', customerIdPrefix: '' },
        event.shop,
      );
      await park(
        'outboxDlq',
        JSON.stringify({ type: 'event', identifiers, event }),
        contractAttributes('dependency_exhausted', { failure_class: 'exhausted', origin: 'outbox' }),
      );
      const shown = await ops(['show', '--dlq', 'outbox', '--brief']);
      expect(shown.out).toContain(`shopify Order Completed  shop=${SHOP}`);
      expect(shown.out).toContain(`event id ${event.id}`);

      const out = await ops(['redrive', '--dlq', 'outbox']);
      expect(out.code).toBe(0);
      expect(out.out).toContain('redriven 1 of 1');
      await waitFor(
        () => (capturedEvents(event.id).length > 0 ? true : undefined),
        20_000,
        'the redriven event',
      );
      await new Promise((r) => setTimeout(r, 1_500));
      expect(capturedEvents(event.id)).toHaveLength(1);
      expect(inspect('outbox-dlq').ready).toHaveLength(0);
    });

    it('runs a failed cart check again through the local scheduler (the Lambda async record holds its input)', async () => {
      await park(
        'cartCheckDlq',
        JSON.stringify({
          version: '1.0',
          timestamp: new Date().toISOString(),
          requestContext: {
            requestId: 'r-1',
            functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:cart-check:$LATEST',
            condition: 'RetriesExhausted',
            approximateInvokeCount: 3,
          },
          requestPayload: { shop: SHOP, cart_token: 'ops-cart-1', step: 1 },
          responsePayload: { errorType: 'DependencyError', errorMessage: 'table throttled' },
        }),
      );
      const shown = await ops(['show', '--dlq', 'cart-check', '--brief']);
      expect(shown.out).toContain('lambda_retries_exhausted (exhausted) after 3 attempt(s)');
      expect(shown.out).toContain('→ cart-check (re-run) with {shop, cart_token, step 1}');

      const fired = logged.length;
      const out = await ops(['redrive', '--dlq', 'cart-check']);
      expect(out.code).toBe(0);
      expect(out.out).toContain("a schedule due now in the local scheduler's file");
      expect(out.out).toContain('redriven 1 of 1');
      await waitFor(
        () =>
          logged.slice(fired).some((l) => l.message === 'cart check fired' && l.fields?.step === 1)
            ? true
            : undefined,
        10_000,
        'the cart check to fire',
      );
      expect(inspect('cart-check-dlq').ready).toHaveLength(0);
    });
  });

  describe('replay', () => {
    it('re-injects a stored raw delivery, keeps the DLQ copy, and a later redrive adds nothing', async () => {
      await park('inboxDlq', envelope('rp-1', orderBody(7301)), contractAttributes('payload_invalid'));
      const out = await ops(['replay', '--id', 'rp-1']);
      expect(out.code).toBe(0);
      expect(out.out).toContain('replayed (copies sent to the inbox; DLQ copies kept) 1 of 1');
      const id = orderEventId(7301);
      await waitFor(() => (capturedEvents(id).length > 0 ? true : undefined), 20_000, 'the replayed event');
      expect(inspect('inbox-dlq').ready).toHaveLength(1);

      expect((await ops(['redrive', '--dlq', 'inbox'])).code).toBe(0);
      await new Promise((r) => setTimeout(r, 2_500));
      expect(capturedEvents(id)).toHaveLength(1);
      expect(inspect('inbox-dlq').ready).toHaveLength(0);
    });

    it('queues a raw file as a delivery; the same file twice is one delivery', async () => {
      const file = join(dataDir, 'order.json');
      writeFileSync(file, orderBody(7401));
      const args = [
        'replay',
        '--file',
        file,
        '--source',
        'shopify',
        '--topic',
        'orders/create',
        '--shop',
        SHOP,
      ];
      const first = await ops(args);
      expect(first.code).toBe(0);
      expect(first.out).toMatch(
        /queued shopify orders\/create shop=local-dev\.myshopify\.com delivery=replay-[0-9a-f]{32}/,
      );
      expect((await ops(args)).code).toBe(0);
      const id = orderEventId(7401);
      await waitFor(() => (capturedEvents(id).length > 0 ? true : undefined), 20_000, 'the file event');
      await new Promise((r) => setTimeout(r, 2_500));
      expect(capturedEvents(id)).toHaveLength(1);
    });

    it('refuses a file that is not JSON before queueing anything', async () => {
      const file = join(dataDir, 'bad.json');
      writeFileSync(file, 'not json');
      const { code, err } = await ops([
        'replay',
        '--file',
        file,
        '--source',
        'shopify',
        '--topic',
        't',
        '--shop',
        SHOP,
      ]);
      expect(code).toBe(2);
      expect(err).toContain('is not JSON');
    });
  });

  describe('purge', () => {
    it('asks on a terminal and deletes nothing unless the DLQ name is typed', async () => {
      await ops(['purge', '--dlq', 'outbox', '--yes']);
      await park('outboxDlq', '{"type":"identify"}', contractAttributes('destination_rejected'));
      const refused = await ops(['purge', '--dlq', 'outbox'], ['yes']);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('not confirmed: nothing deleted');
      expect(inspect('outbox-dlq').ready).toHaveLength(1);

      const confirmed = await ops(['purge', '--dlq', 'outbox'], ['outbox']);
      expect(confirmed.code).toBe(0);
      expect(inspect('outbox-dlq').ready).toHaveLength(0);
    });

    it('purges with --yes', async () => {
      await ops(['purge', '--dlq', 'outbox', '--yes']);
      await park('outboxDlq', '{"type":"identify"}', contractAttributes('destination_rejected'));
      await park('outboxDlq', '{"type":"identify"}', contractAttributes('destination_rejected'));
      const { code, out } = await ops(['purge', '--dlq', 'outbox', '--yes']);
      expect(code).toBe(0);
      expect(out).toContain('purged the outbox DLQ (~2 message(s)');
      expect(inspect('outbox-dlq').ready).toHaveLength(0);
    });
  });
});
