import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { measureTopicCalls } from '../aws-calls/measure-calls.js';
import type { BenchOptions, BenchSection, SectionResult, TargetCheck } from '../report.js';
import {
  BATCH_SIZE,
  deliverBatchMs,
  deliverDynamoTrips,
  lagWith,
  messagesPerWebhook,
  perInstance,
  processBatchMs,
  SLOW,
  sizeFor,
  TARGET_UTILIZATION,
  TYPICAL,
} from './capacity-model.js';
import type { LoadResult } from './load-driver.js';
import { mixedTopics } from './topic-costs.js';

/** Offered loads of issue 12, item 3, and the Black Friday peak to size for. */
const RATES = [25, 50, 100];
const PEAK_RATE = 200;
const PEAK_LAG_MAX_SECONDS = 60;
/** The CDK app's defaults (cdk/config/connector-config.ts `concurrency`). */
const CONFIGURED = { process: 10, deliver: 5 };

/** Runs the load driver in its own process and reads its result line. */
const runLoad = (seconds: number, concurrency: { process: number; deliver: number }): LoadResult[] => {
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(import.meta.dirname, '..', 'load-run.ts'),
      '--rates',
      RATES.join(','),
      '--seconds',
      String(seconds),
      '--process',
      String(concurrency.process),
      '--deliver',
      String(concurrency.deliver),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: (RATES.length * (seconds + 200) + 60) * 1000 },
  );
  const line = child.stdout.split('\n').find((l) => l.startsWith('LOAD_RESULT '));
  if (child.status !== 0 || !line) {
    throw new Error(
      `load run failed (${child.status}): ${child.stderr.trim().split('\n').slice(-4).join(' | ')}`,
    );
  }
  return JSON.parse(line.slice('LOAD_RESULT '.length)) as LoadResult[];
};

const check = (
  id: string,
  label: string,
  value: number,
  max: number,
  unit = '',
  detail?: string,
): TargetCheck => ({
  id,
  label,
  value,
  unit,
  max,
  pass: value <= max,
  ...(detail ? { detail } : {}),
});

const seconds = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} s` : 'unbounded');

/**
 * Target 3: throughput and latency. The local stack (everything in one Node process on 127.0.0.1) under the offered
 * loads, then a per-record model of the same work on AWS from Target 2's round trips, sized for a Black Friday peak.
 */
export const loadSection: BenchSection = {
  id: 'load',
  title: 'Target 3 — Throughput and latency (local stack, and the AWS model)',
  async run(options: BenchOptions): Promise<SectionResult> {
    const loadSeconds = options.loadSeconds ?? (options.quick ? 5 : 15);
    const concurrency = { process: 2, deliver: 1 };
    options.progress(`load: ${RATES.join(', ')} webhooks/s for ${loadSeconds} s each on the local stack`);
    const loads = runLoad(loadSeconds, concurrency);
    options.progress('load: AWS model from Target 2');
    const topics = mixedTopics(await measureTopicCalls());
    const typical = perInstance(topics, TYPICAL);
    const slow = perInstance(topics, SLOW);
    // Sized for slow calls (p99-like latencies all the time), so a slow day at the peak still keeps up.
    const peak = sizeFor(topics, PEAK_RATE, SLOW);
    const lean = sizeFor(topics, PEAK_RATE, TYPICAL);
    const lags = (limits: { process: number; deliver: number }) =>
      `${seconds(lagWith(topics, PEAK_RATE, limits, TYPICAL))} / ${seconds(lagWith(topics, PEAK_RATE, limits, SLOW))}`;
    const toLimits = (s: { processConcurrency: number; deliverConcurrency: number }) => ({
      process: s.processConcurrency,
      deliver: s.deliverConcurrency,
    });
    const messages = messagesPerWebhook(topics);
    return {
      id: 'load',
      title: this.title,
      checks: [
        ...loads.map((l) =>
          check(
            `load.${l.rate}.duplicates`,
            `${l.rate}/s offered: operations delivered twice`,
            l.duplicatesDelivered,
            0,
          ),
        ),
        ...loads.map((l) =>
          check(
            `load.${l.rate}.lost`,
            `${l.rate}/s offered: webhooks that never reached Customer.io`,
            l.lost,
            0,
          ),
        ),
        check(
          'load.peak.lag',
          `AWS model: ${PEAK_RATE}/s peak, worst lag, slow calls (process ${peak.processConcurrency}, deliver ${peak.deliverConcurrency})`,
          peak.worstLagSeconds,
          PEAK_LAG_MAX_SECONDS,
          ' s',
        ),
      ],
      tables: [
        {
          title: `Local stack: offered load for ${loadSeconds} s each, 20 % duplicates (process ${concurrency.process} and deliver ${concurrency.deliver} batches at once)`,
          columns: [
            'offered /s',
            'posted (dups)',
            'accepted',
            'sustained /s',
            'drain s',
            'latency p50 ms',
            'latency p99 ms',
            'ingest p99 ms',
            'ops delivered',
            'delivered twice',
            'lost',
          ],
          rows: loads.map((l) => [
            l.rate,
            `${l.posted} (${l.duplicatesPosted})`,
            l.accepted,
            l.sustained,
            l.drainSeconds,
            l.latencyP50,
            l.latencyP99,
            l.ingestP99,
            l.operations,
            l.duplicatesDelivered,
            l.lost,
          ]),
        },
        {
          title: 'AWS model: one unit of consumer concurrency (one batch of 10 at a time)',
          columns: [
            'latencies',
            'process batch ms',
            'webhooks/s per process instance',
            'deliver batch ms',
            'messages/s per deliver instance',
          ],
          rows: [
            [
              'typical',
              processBatchMs(topics, TYPICAL),
              typical.webhooks,
              deliverBatchMs(TYPICAL, deliverDynamoTrips(topics)),
              typical.messages,
            ],
            [
              'slow (p99-like)',
              processBatchMs(topics, SLOW),
              slow.webhooks,
              deliverBatchMs(SLOW, deliverDynamoTrips(topics)),
              slow.messages,
            ],
          ],
        },
        {
          title: `AWS model: ${PEAK_RATE} webhooks/s Black Friday peak (${messages.toFixed(2)} outbox messages per webhook)`,
          columns: [
            'consumers',
            'process',
            'deliver',
            'Track API requests/s',
            'worst lag: typical / slow calls',
          ],
          rows: [
            [
              `sized for slow calls (≤ ${TARGET_UTILIZATION * 100} % busy): recommended`,
              peak.processConcurrency,
              peak.deliverConcurrency,
              peak.customerIoRequestsPerSecond,
              lags(toLimits(peak)),
            ],
            [
              `sized for typical calls (≤ ${TARGET_UTILIZATION * 100} % busy)`,
              lean.processConcurrency,
              lean.deliverConcurrency,
              lean.customerIoRequestsPerSecond,
              lags(toLimits(lean)),
            ],
            [
              'CDK defaults',
              CONFIGURED.process,
              CONFIGURED.deliver,
              peak.customerIoRequestsPerSecond,
              lags(CONFIGURED),
            ],
          ],
        },
      ],
      notes: [
        `Local: the load driver posts to the local stack's HTTP API on 127.0.0.1 on schedule (open loop), 20 % of posts a repeat of an earlier webhook (same body and webhook id), every new webhook with a buyer of its own; latency is post → first Track API operation for that buyer at the Customer.io capture. The emulators, the four functions and the driver share one Node thread: its ceiling is this machine's, not AWS's.`,
        `Model: a batch waits for its slowest record (records run at once) while their CPU adds up; a record's time is its sequential round trips (Target 2) at the assumed latency of each service (bench/load/capacity-model.ts: typical DynamoDB ${TYPICAL.dynamoMs} ms, SQS ${TYPICAL.sqsMs} ms, Track API ${TYPICAL.customerIoMs} ms; slow ${SLOW.dynamoMs} / ${SLOW.sqsMs} / ${SLOW.customerIoMs} ms). Lambda scales SQS consumers from 5 batches up by 300 a minute; the worst lag adds the queue wait while scaling up to a slow batch in each worker.`,
        `Batch size ${BATCH_SIZE}; the record runner works on a batch's records at once (shared/queue-worker/sqs-record-runner.ts eachRecord), and claims keep two records of one order to one Order Completed (test/shared/queue-worker/concurrent-records.test.ts).`,
      ],
      data: { loads, perInstance: { typical, slow }, peak, lean, messagesPerWebhook: messages },
    };
  },
};
