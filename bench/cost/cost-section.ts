import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TopicCalls } from '../aws-calls/measure-calls.js';
import { measureTopicCalls } from '../aws-calls/measure-calls.js';
import { mixedTopics } from '../load/topic-costs.js';
import type { BenchOptions, BenchSection, SectionResult } from '../report.js';
import {
  CART_CHECKS_PER_WEBHOOK,
  monthlyCost,
  naiveDelta,
  PRICES,
  total,
  type WebhookUnits,
  webhookUnits,
} from './cost-model.js';

const VOLUMES = [100_000, 1_000_000, 10_000_000];

const dollars = (value: number): string => `$${value.toFixed(2)}`;

const baselineRows = (): readonly TopicCalls[] =>
  (
    JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'aws-calls', 'baseline.json'), 'utf8')) as {
      rows: TopicCalls[];
    }
  ).rows;

const unitRows = (designs: readonly [string, WebhookUnits][]) =>
  (
    [
      ['Lambda invocations', (u: WebhookUnits) => u.lambdaInvocations],
      ['Lambda GB-s', (u: WebhookUnits) => u.lambdaGbSeconds],
      ['SQS requests (billed)', (u: WebhookUnits) => u.sqsRequests],
      ['DynamoDB write units', (u: WebhookUnits) => u.writeUnits],
      ['DynamoDB read units', (u: WebhookUnits) => u.readUnits],
      ['Scheduler invocations', (u: WebhookUnits) => u.schedulerInvocations],
    ] as const
  ).map(([label, of]) => [label, ...designs.map(([, units]) => of(units))]);

/**
 * Target 5: monthly cost at 100k, 1M and 10M webhooks of the mix, from Target 2's measured requests per topic (and
 * Target 3's latency model for Lambda time), at public prices; beside it the same mix as measured before this work
 * and a naive design on top of that.
 */
export const costSection: BenchSection = {
  id: 'cost',
  title: 'Target 5 — Monthly cost (measured requests × public prices)',
  async run(options: BenchOptions): Promise<SectionResult> {
    options.progress('cost: requests per webhook of the mix');
    const after = mixedTopics(await measureTopicCalls());
    const before = mixedTopics(baselineRows());
    const designs: [string, WebhookUnits][] = [
      ['after', webhookUnits(after)],
      ['before (e73800a)', webhookUnits(before)],
      ['naive (before + Scheduler move per cart update)', webhookUnits(before, naiveDelta(before))],
    ];
    const [, measured] = designs[0] ?? ['', webhookUnits(after)];
    const bills = VOLUMES.map((volume) => monthlyCost(measured, volume));
    const totals = designs.map(([name, units]) => [
      name,
      ...VOLUMES.map((volume) => dollars(total(monthlyCost(units, volume)))),
    ]);
    const variable = (units: WebhookUnits) =>
      total(monthlyCost(units, 10_000_000)) - total(monthlyCost(units, 0));
    return {
      id: 'cost',
      title: this.title,
      checks: [
        {
          id: 'cost.10m',
          label: '10M webhooks/month: cost after ÷ cost before',
          value:
            total(monthlyCost(measured, 10_000_000)) /
            total(monthlyCost(designs[1]?.[1] ?? measured, 10_000_000)),
          unit: '×',
          max: 1,
          pass:
            total(monthlyCost(measured, 10_000_000)) <=
            total(monthlyCost(designs[1]?.[1] ?? measured, 10_000_000)),
          detail: `per-webhook part ${dollars(variable(measured) / 10)} vs ${dollars(variable(designs[1]?.[1] ?? measured) / 10)} per million`,
        },
      ],
      tables: [
        {
          title: 'Per webhook of the mix (Target 3 mix; Target 2 requests)',
          columns: ['unit', ...designs.map(([name]) => name)],
          rows: unitRows(designs),
        },
        {
          title: 'Monthly cost, measured (after)',
          columns: ['component', ...VOLUMES.map((v) => `${v / 1e6}M webhooks`)],
          rows: [
            ...(bills[0] ?? []).map((line, i) => [
              line.component,
              ...bills.map((bill) => dollars(bill[i]?.dollars ?? 0)),
            ]),
            ['**total**', ...bills.map((bill) => `**${dollars(total(bill))}**`)],
          ],
        },
        {
          title: 'Monthly total by design',
          columns: ['design', ...VOLUMES.map((v) => `${v / 1e6}M webhooks`)],
          rows: totals,
        },
      ],
      notes: [
        `Prices (us-east-1): Lambda arm64 $${PRICES.lambdaGbSecond}/GB-s and $0.20/M requests, HTTP API $1.00/M, SQS $0.40/M (each 64 KB of a request counts as one), DynamoDB on-demand $0.625/M write units and $0.125/M read units, Scheduler $1.00/M invocations after 14M free, CloudWatch Logs $0.50/GB.`,
        'Measured: DynamoDB capacity units (item sizes by dynalite, refused writes 1 unit, +1 unit per write to an item kind with gsi1 keys), SQS requests the code sends, Customer.io calls (one deliver invocation each). Modelled: Lambda time (round trips at typical latencies, Target 3), batches of one record (at these volumes, a few webhooks a second at most), Lambda polling (a receive and a delete per batch, 5 idle long-pollers per queue).',
        `Estimated, unchanged from docs/deploy.md: ${CART_CHECKS_PER_WEBHOOK} cart checks per webhook, DynamoDB storage, log volume (5.4 KB per webhook), and the fixed lines (metrics, alarms, dashboard, secrets), which dominate below 1M webhooks.`,
      ],
      data: { designs: Object.fromEntries(designs), volumes: VOLUMES },
    };
  },
};
