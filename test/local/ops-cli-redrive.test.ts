import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../shared/canonical/event-id.js';
import { CanonicalEventSchema } from '../../shared/canonical/events.js';
import { resolveIdentifiers } from '../../shared/identity/identifiers.js';
import { parseJsonLossless } from '../../shared/json/lossless-json.js';
import { normalizerRegistry } from '../../shared/normalize/registry.js';
import {
  contractAttributes,
  envelope,
  orderBody,
  orderEventId,
  SHOP,
  useOpsCliStack,
} from '../helpers/ops-cli-stack.js';
import { waitFor } from '../helpers/wait-for.js';

describe('ops CLI redrive, replay and purge against the local stack (fauxqs + dynalite + real handlers + Customer.io capture)', () => {
  const { ops, park, inspect, capturedEvents, logged, dataDir } = useOpsCliStack();

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
      const file = join(dataDir(), 'order.json');
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
      const file = join(dataDir(), 'bad.json');
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

    it('fails (exit 1) when --id or --code matches nothing, for purge and redrive alike: a typo is not a success', async () => {
      await ops(['purge', '--dlq', 'outbox', '--yes']);
      await park('outboxDlq', '{"type":"identify"}', contractAttributes('destination_rejected'));
      for (const args of [
        ['purge', '--dlq', 'outbox', '--id', 'no-such-message', '--yes'],
        ['redrive', '--dlq', 'outbox', '--id', 'no-such-message'],
        ['redrive', '--dlq', 'outbox', '--code', 'payload_invalid', '--dry-run'],
      ]) {
        const { code, err } = await ops(args);
        expect(code, args.join(' ')).toBe(1);
        expect(err).toContain('no dead letter matches the --code/--id given');
      }
      expect(inspect('outbox-dlq').ready).toHaveLength(1);
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
