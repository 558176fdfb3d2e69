import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BenchOptions, BenchSection, SectionResult, TargetCheck } from '../report.js';
import { measureTopicCalls, type TopicCalls } from './measure-calls.js';

/** Targets of issue 12, item 2. */
const ORDER_WRITES_MAX = 8;
const ORDER_SQS_MAX = 2;
const ORDER_ROUND_TRIPS_MAX = 5;
const BEACON_DYNAMO_MAX = 2;

/** Scenarios shown with the activity record off and on. */
const ACTIVITY_ROWS = [
  'product_viewed',
  'checkouts/create (checkouts-create)',
  'orders/create (first order of a known checkout)',
  'orders/paid (same order)',
  'customers/update (customers-update)',
  'judge.me review/created',
];

/** The same scenarios measured with the same harness before this work (see baseline.json's `measuredAt`). */
interface Baseline {
  readonly measuredAt: string;
  readonly rows: readonly TopicCalls[];
}

const BASELINE = resolve(import.meta.dirname, 'baseline.json');

const readBaseline = (): Baseline | undefined => {
  try {
    return JSON.parse(readFileSync(BASELINE, 'utf8')) as Baseline;
  } catch {
    return undefined;
  }
};

const arrow = (before: number | undefined, after: number): string =>
  before === undefined || before === after ? String(after) : `${before} → ${after}`;

const writesText = (row: TopicCalls | undefined): number | undefined => row?.total.dynamoWrites;

/** One row of the per-topic table: before → after where the baseline has the scenario. */
const tableRow = (row: TopicCalls, before: TopicCalls | undefined): string[] => [
  `${row.group}: ${row.label}`,
  arrow(before?.total.dynamoReads, row.total.dynamoReads),
  `${arrow(writesText(before), row.total.dynamoWrites)}${row.total.failedConditions > 0 ? ` (${row.total.failedConditions} refused)` : ''}`,
  arrow(before?.total.sqsCalls, row.total.sqsCalls),
  arrow(before?.total.schedulerCalls, row.total.schedulerCalls),
  `${arrow(before?.customerIoCalls, row.customerIoCalls)} / ${arrow(before?.customerIoOperations, row.customerIoOperations)}`,
  arrow(before?.worker.roundTrips, row.worker.roundTrips),
  `${row.total.readUnits} / ${row.total.writeUnits}`,
];

const check = (id: string, label: string, value: number, max: number, unit = ''): TargetCheck => ({
  id,
  label,
  value,
  unit,
  max,
  pass: value <= max,
});

/**
 * Target 2: AWS requests per webhook, by topic, counted by SDK middleware on the clients of the four functions as
 * wired for AWS, through the real stages on embedded DynamoDB and SQS (dynalite, fauxqs), a fake Scheduler and the
 * Customer.io capture.
 */
export const awsCallsSection: BenchSection = {
  id: 'aws-calls',
  title: 'Target 2 — AWS requests per webhook, by topic',
  async run(options: BenchOptions): Promise<SectionResult> {
    options.progress('aws-calls: every topic through ingest, process, deliver and cart-check');
    const rows = await measureTopicCalls();
    // The same scenarios with the activity record off: the pipeline's own requests, apart from the diary's.
    const quiet = await measureTopicCalls('off');
    const baseline = readBaseline();
    const before = (label: string) => baseline?.rows.find((r) => r.label === label);
    const order = rows.find((r) => r.target === 'orders-create');
    if (!order) throw new Error('no orders/create scenario');
    const beacons = rows.filter((r) => r.target === 'beacon');
    const worstBeacon = Math.max(...beacons.map((b) => b.total.dynamoReads + b.total.dynamoWrites));
    return {
      id: 'aws-calls',
      title: this.title,
      checks: [
        check(
          'aws.order.writes',
          'orders/create: DynamoDB write requests',
          order.total.dynamoWrites,
          ORDER_WRITES_MAX,
        ),
        check(
          'aws.order.sqs',
          'orders/create: SQS calls (ingest + outbox)',
          order.total.sqsCalls,
          ORDER_SQS_MAX,
        ),
        check(
          'aws.order.round-trips',
          'orders/create: sequential round trips in process',
          order.worker.roundTrips,
          ORDER_ROUND_TRIPS_MAX,
        ),
        check(
          'aws.beacon.dynamo',
          `beacons: DynamoDB calls, worst of ${beacons.length} kinds`,
          worstBeacon,
          BEACON_DYNAMO_MAX,
        ),
      ],
      tables: [
        {
          title: `AWS calls per scenario, in run order on one table (before → after; before: ${baseline?.measuredAt ?? 'no baseline'})`,
          columns: [
            'scenario',
            'DynamoDB reads',
            'DynamoDB writes',
            'SQS calls',
            'Scheduler',
            'Customer.io calls / ops',
            'round trips (worker)',
            'RRU / WRU',
          ],
          rows: rows.map((row) => tableRow(row, before(row.label))),
        },
        {
          title:
            'Activity record (ACTIVITY_LOG, on by default) off → on: the headline scenarios, all functions (process round trips)',
          columns: ['scenario', 'DynamoDB reads', 'DynamoDB writes', 'SQS calls', 'round trips (worker)'],
          rows: rows
            .filter((row) => ACTIVITY_ROWS.includes(row.label))
            .map((row) => {
              const off = quiet.find((r) => r.label === row.label);
              return [
                `${row.group}: ${row.label}`,
                arrow(off?.total.dynamoReads, row.total.dynamoReads),
                arrow(off?.total.dynamoWrites, row.total.dynamoWrites),
                arrow(off?.total.sqsCalls, row.total.sqsCalls),
                arrow(off?.worker.roundTrips, row.worker.roundTrips),
              ];
            }),
        },
        {
          title:
            'orders/create (first order): DynamoDB write requests by item kind, all functions (activity on)',
          columns: ['function', 'writes by item kind'],
          rows: [
            ['process', JSON.stringify(order.worker.writesByItem)],
            ['deliver', JSON.stringify(order.deliver.writesByItem)],
          ],
        },
        {
          title: 'orders/create (first order): requests by command and item, process worker',
          columns: ['when', 'requests'],
          rows: [
            ...(before(order.label)
              ? [['before', JSON.stringify(before(order.label)?.worker.byCommand)]]
              : []),
            ['after', JSON.stringify(order.worker.byCommand)],
          ],
        },
      ],
      notes: [
        "Counted by an `initialize`-step SDK middleware on the functions' own clients (the shared/runtime wiring, given its clients): one per command whatever the SDK retries, refused conditional writes included. Lambda's own polling (ReceiveMessage, DeleteMessageBatch) is not in these rows; the cost model adds it per batch.",
        'Scenarios run in order on one table, as a shop would see them: a storefront visit, its checkout and order (then the same order again: a retry, orders/paid, orders/updated), every other sample, Recharge, reviews, two cart checks, and the privacy topics last.',
        'Round trips: the longest chain of calls made one after another in the worker (overlapping calls count once).',
        "RRU / WRU: capacity units as dynalite computes them from item sizes (DynamoDB's rule); a refused conditional write counts 1 WRU; index (gsi1) writes are not included.",
      ],
      data: { baseline: baseline?.measuredAt, rows, activityOff: quiet },
    };
  },
};
