import { quoteLargeIntegers } from '../../shared/json/lossless-json.js';
import { signShopifyBody, verifyShopifySignature } from '../../shared/signatures/shopify-signature.js';
import { ShopifyOrderSchema } from '../../shared/sources/shopify/shopify-schemas.js';
import type { BenchOptions, BenchSection, SectionResult, Table, TargetCheck } from '../report.js';
import { geomean, median, type Spread, spread } from '../stats.js';
import { scanGrowth } from './hostile.js';
import { type BatchTime, measureInterleaved, type Task, type TaskGroup } from './measure.js';
import { pathsFor } from './paths.js';
import { largeOrder, shopifyWebhookSamples, type Workload } from './workloads.js';

/** Targets of issue 12, as multiples of the floor. */
const CORE_MAX = 1.5;
const PIPELINE_MAX = 2.5;
/** CPU per byte at 1 MiB over CPU per byte at 128 KiB: 1 is linear, 8 quadratic; 2 leaves room for cache effects. */
const GROWTH_MAX = 2;

type Times = Map<string, Map<string, BatchTime[]>>;

const cpuOf = (times: Times, name: string, path: string): number[] =>
  (times.get(name)?.get(path) ?? []).map((b) => b.cpu);

/** The paired ratio path/floor in each round (the two were timed back to back). */
const pairedRatios = (times: Times, name: string, path: string): number[] => {
  const floor = cpuOf(times, name, 'floor');
  return cpuOf(times, name, path).flatMap((value, round) => {
    const f = floor[round];
    return f ? [value / f] : [];
  });
};

/** The geometric mean over payloads, computed separately for every round: how much the headline moves. */
const roundSpread = (times: Times, names: readonly string[], path: string, rounds: number): Spread =>
  spread(
    Array.from({ length: rounds }, (_, r) =>
      geomean(names.map((n) => pairedRatios(times, n, path)[r]).filter((v): v is number => v !== undefined)),
    ),
  );

const spreadText = (s: Spread): string =>
  `rounds ${s.min.toFixed(2)}–${s.max.toFixed(2)}×, IQR ±${((s.relativeIqr * 100) / 2).toFixed(1)} %`;

/**
 * The core path on one order cut into cumulative prefixes (verify; + decode; + scan; + JSON.parse; + zod; the whole
 * core), each run on fresh input like the real thing, so the differences between neighbours are the components'
 * costs including the garbage they leave (timing a component alone on one reused object flatters it).
 */
const breakdownTasks = (workload: Workload): TaskGroup => {
  const secret = 'shpss_breakdown';
  const signature = signShopifyBody(workload.body, secret);
  const { body } = workload;
  const verify = () => {
    if (!verifyShopifySignature(body, signature, [secret]).ok) throw new Error('signature refused');
  };
  const paths = pathsFor(workload);
  return new Map<string, Task>([
    ['floor', paths.floor],
    ['verify', verify],
    [
      '+ utf8 decode',
      () => {
        verify();
        return body.toString('utf8');
      },
    ],
    [
      '+ large-integer scan',
      () => {
        verify();
        return quoteLargeIntegers(body.toString('utf8'));
      },
    ],
    [
      '+ JSON.parse',
      () => {
        verify();
        return JSON.parse(quoteLargeIntegers(body.toString('utf8')));
      },
    ],
    [
      '+ zod (order schema)',
      () => {
        verify();
        return ShopifyOrderSchema.safeParse(JSON.parse(quoteLargeIntegers(body.toString('utf8'))));
      },
    ],
    ['core', paths.core],
    ['pipeline', paths.pipeline],
  ]);
};

const BREAKDOWN_STEPS: readonly [string, string, string][] = [
  ['HMAC verify', '', 'verify'],
  ['utf8 decode', 'verify', '+ utf8 decode'],
  ['large-integer scan', '+ utf8 decode', '+ large-integer scan'],
  ['JSON.parse', '+ large-integer scan', '+ JSON.parse'],
  ['zod (order schema)', '+ JSON.parse', '+ zod (order schema)'],
  ['mapping (normalize − zod)', '+ zod (order schema)', 'core'],
];

const breakdownTable = (name: string, times: Times): Table => {
  const at = (key: string) => (key === '' ? 0 : median(cpuOf(times, name, key)));
  /** A component's cost: the median over rounds of the difference of two prefixes timed back to back. */
  const between = (from: string, to: string) => {
    const upper = cpuOf(times, name, to);
    const lower = from === '' ? upper.map(() => 0) : cpuOf(times, name, from);
    return median(upper.flatMap((u, r) => (lower[r] === undefined ? [] : [u - (lower[r] ?? 0)])));
  };
  const core = at('core');
  const row = (label: string, ns: number) => [label, ns / 1000, (100 * ns) / core];
  return {
    title: `Where the core's time goes: ${name} (paired differences of cumulative prefixes)`,
    columns: ['component', 'µs', '% of core'],
    rows: [
      ...BREAKDOWN_STEPS.map(([label, from, to]) => row(label, between(from, to))),
      row('core, whole', core),
      row('floor, whole', at('floor')),
      row('pipeline − core (ingest, envelope, re-validation, outbox)', between('core', 'pipeline')),
    ],
  };
};

/** Measures every workload that runs cleanly; says why the others are left out. */
const prepare = async (workloads: readonly Workload[]) => {
  const notes: string[] = [];
  const groups = new Map<string, TaskGroup>();
  const measured: Workload[] = [];
  const inPipeline = new Set<string>();
  for (const workload of workloads) {
    const paths = pathsFor(workload);
    const outcome = await paths.check();
    if (outcome.startsWith('the core throws')) {
      notes.push(`${workload.name}: left out, ${outcome}.`);
      continue;
    }
    const tasks = new Map<string, Task>([
      ['floor', paths.floor],
      ['core', paths.core],
    ]);
    if (/^(processed|ignored)/.test(outcome)) {
      tasks.set('pipeline', paths.pipeline);
      inPipeline.add(workload.name);
    } else {
      notes.push(`${workload.name}: left out of the pipeline row, because ${outcome}.`);
    }
    measured.push(workload);
    groups.set(workload.name, tasks);
  }
  return { notes, groups, measured, inPipeline };
};

/**
 * Target 1 (CPU): the core and the in-process pipeline as multiples of the floor measured in the same run, as the
 * geometric mean over every Shopify webhook sample plus a 100-line and a 1,000-line order.
 */
export const cpuSection: BenchSection = {
  id: 'cpu',
  title: 'Target 1 — CPU per webhook, as multiples of the floor',
  async run(options: BenchOptions): Promise<SectionResult> {
    const big = [largeOrder(100), largeOrder(1000)];
    const { notes, groups, measured, inPipeline } = await prepare([...shopifyWebhookSamples(), ...big]);
    const rounds = options.quick ? 3 : 31;
    options.progress(`cpu: ${measured.length} payloads, ${rounds} rounds`);
    const times = await measureInterleaved(groups, {
      warmupMs: options.quick ? 600 : 3000,
      batchMs: options.quick ? 2 : 8,
      rounds,
      onRound: (r) => options.progress(`cpu: round ${r + 1}/${rounds}`),
    });
    const names = measured.map((w) => w.name);
    const headline = (path: string) =>
      geomean(names.map((n) => median(pairedRatios(times, n, path))).filter((v) => Number.isFinite(v)));
    const coreValue = headline('core');
    const pipelineValue = headline('pipeline');
    const coreSpread = roundSpread(times, names, 'core', rounds);
    const pipelineSpread = roundSpread(times, names, 'pipeline', rounds);

    options.progress('cpu: breakdown');
    const breakdownWorkloads = [measured.find((w) => w.name === 'orders-create'), big[0]].filter(
      (w): w is Workload => w !== undefined,
    );
    const breakdown = await measureInterleaved(
      new Map(breakdownWorkloads.map((w) => [w.name, breakdownTasks(w)])),
      {
        warmupMs: options.quick ? 200 : 1000,
        batchMs: options.quick ? 2 : 8,
        rounds: options.quick ? 3 : 21,
      },
    );

    options.progress('cpu: hostile inputs');
    const growth = await scanGrowth(options.quick);
    const worstGrowth = Math.max(...growth.values());
    const worstShape = [...growth].find(([, g]) => g === worstGrowth)?.[0] ?? '';

    const checks: TargetCheck[] = [
      {
        id: 'cpu.core',
        label: 'core: verify + exact parse + zod + normalize',
        value: coreValue,
        unit: '×',
        max: CORE_MAX,
        pass: coreValue <= CORE_MAX,
        detail: spreadText(coreSpread),
      },
      {
        id: 'cpu.pipeline',
        label: 'ingest + process in-process (no DynamoDB stages)',
        value: pipelineValue,
        unit: '×',
        max: PIPELINE_MAX,
        pass: pipelineValue <= PIPELINE_MAX,
        detail: spreadText(pipelineSpread),
      },
      {
        id: 'cpu.scan-linear',
        label: 'large-integer scan stays linear on hostile inputs (1 MiB vs 128 KiB)',
        value: worstGrowth,
        unit: '×',
        max: GROWTH_MAX,
        pass: worstGrowth <= GROWTH_MAX,
        detail: `worst: ${worstShape}`,
      },
    ];
    return {
      id: 'cpu',
      title: this.title,
      checks,
      tables: [
        {
          title: 'Per payload (CPU time; median over rounds of the paired ratio to the floor)',
          columns: ['payload', 'topic', 'bytes', 'floor µs', 'core ×', 'pipeline ×'],
          rows: measured.map((w) => [
            w.name,
            w.topic,
            w.body.length,
            median(cpuOf(times, w.name, 'floor')) / 1000,
            median(pairedRatios(times, w.name, 'core')),
            inPipeline.has(w.name) ? median(pairedRatios(times, w.name, 'pipeline')) : '—',
          ]),
        },
        ...breakdownWorkloads.map((w) => breakdownTable(w.name, breakdown)),
        {
          title: 'Large-integer scan on hostile inputs: CPU per byte at 1 MiB ÷ at 128 KiB',
          columns: ['input', 'growth ×'],
          rows: [...growth].map(([shape, g]) => [shape, g]),
        },
      ],
      notes: [
        `${measured.length} payloads: every Shopify webhook sample that validates (web-pixel files are storefront beacons: no HMAC, another route) plus two generated orders. Headline = geometric mean over payloads of the median over ${rounds} interleaved rounds of the paired ratio path ÷ floor (process CPU time).`,
        `Spread: the headline computed per round; core ${spreadText(coreSpread)}; pipeline ${spreadText(pipelineSpread)}.`,
        ...notes,
      ],
      data: Object.fromEntries(
        [...times].map(([name, t]) => [
          name,
          Object.fromEntries(
            [...t].map(([k, v]) => [
              k,
              { cpuNs: v.map((b) => Math.round(b.cpu)), wallNs: v.map((b) => Math.round(b.wall)) },
            ]),
          ),
        ]),
      ),
    };
  },
};
