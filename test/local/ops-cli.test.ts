import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { OpsIo } from '../../shared/operations/commands/command.js';
import { runOps } from '../../shared/operations/ops-cli.js';
import { resolveTarget } from '../../shared/operations/ops-target.js';
import { contractAttributes, envelope, orderBody, useOpsCliStack } from '../helpers/ops-cli-stack.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('ops CLI usage, stats and show against the local stack (fauxqs + dynalite + real handlers)', () => {
  const { ops, park, inspect } = useOpsCliStack();

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
});
