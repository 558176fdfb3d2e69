import { startLocalStack } from '../../local/local-stack.js';
import { type AwsFaultRates, chaosAwsFaults } from './aws-chaos.js';
import { type CustomerIoFaultRates, chaosCustomerIo } from './customerio-chaos.js';
import { backlog, waitForDrain } from './drain.js';
import { type DriverStats, drive } from './driver.js';
import { judge, type Verdict } from './oracle.js';
import { journal, postMortem } from './post-mortem.js';
import { seededRandom } from './random.js';
import { buildScenario } from './scenario.js';

/** A chaos run's settings: the seed decides the plan and every fault drawn. */
export interface ChaosOptions {
  readonly seed: number;
  /** Deliveries to send, duplicates included (platform retries after a failed answer come on top). */
  readonly deliveries: number;
  /** Seconds over which the stories start. */
  readonly durationSeconds: number;
  readonly duplicateRate: number;
  readonly aws: AwsFaultRates;
  readonly customerio: CustomerIoFaultRates;
  /** How long the run may take to come to rest after the last delivery. */
  readonly drainTimeoutSeconds: number;
  /** Prints every Customer.io call whose body holds this text, with the answer it got (to follow one case). */
  readonly trace?: string;
  /** Progress lines (nothing by default). */
  readonly progress?: (line: string) => void;
}

/** Everything a run measured. */
export interface ChaosResult {
  readonly options: ChaosOptions;
  readonly stories: Readonly<Record<string, number>>;
  readonly planned: { readonly deliveries: number; readonly copies: number };
  readonly driver: DriverStats;
  readonly awsCalls: number;
  readonly awsFaults: Readonly<Record<string, number>>;
  /** Invocations that hung on a fault and ended at their function timeout (crashes between two steps). */
  readonly crashes: Readonly<Record<string, number>>;
  readonly customerIoAnswers: Readonly<Record<string, number>>;
  readonly rejectedEvents: number;
  readonly drained: boolean;
  readonly left: ReturnType<typeof backlog>;
  readonly verdict: Verdict;
  /** What the stack left about lost or duplicated events (and the traced case). */
  readonly postMortem: readonly string[];
  readonly seconds: { readonly sending: number; readonly draining: number; readonly total: number };
}

/**
 * Timed-out invocations by worker, from what the local stack logged: middy ends a handler just before its
 * function timeout (TimeoutError, the whole batch fails), else the event source or scheduler gives up on it.
 */
const crashesIn = (lines: ReturnType<typeof journal>['lines']): Record<string, number> => {
  const crashes: Record<string, number> = {};
  for (const line of lines) {
    const error = String(line.fields?.error ?? '');
    const timedOut =
      line.message.startsWith('invocation timed out') ||
      (line.message === 'handler failed the whole batch' && error.startsWith('TimeoutError')) ||
      (line.message.startsWith('cart check failed') && ['Sandbox.Timedout', 'TimeoutError'].includes(error));
    if (!timedOut) continue;
    const worker = String(line.fields?.source ?? 'cart-check');
    crashes[worker] = (crashes[worker] ?? 0) + 1;
  }
  return crashes;
};

/** The local stack's settings for chaos: short budgets, so a fault plays out in seconds rather than hours. */
const STACK = {
  workerConcurrency: 3,
  functionTimeoutMs: 4_000,
  visibilityTimeoutSeconds: 5,
  // 1+2+4×7 s: rides out half a minute of faults on one record before it parks.
  retry: { maxAttempts: 10, baseSeconds: 1, maxSeconds: 4 },
  // Longer than the function timeout: a live worker's claim is never taken over.
  dedupeLeaseSeconds: 6,
  customerIoTimeoutMs: 1_000,
  // Recovery steps 3 s and 6 s after the last cart activity.
  cartRecoveryStepsMinutes: '0.05,0.1',
} as const;

/**
 * One chaos run on the real local stack (dynalite, fauxqs, the real handlers): faults at Customer.io and on every
 * DynamoDB and SQS call of the Lambdas, duplicated and reordered deliveries from every platform, then a drain
 * until nothing moves, and the oracle's verdict.
 */
export const runChaos = async (options: ChaosOptions): Promise<ChaosResult> => {
  const progress = options.progress ?? (() => undefined);
  const random = seededRandom(options.seed);
  const aws = chaosAwsFaults(random.fork('aws'), options.aws);
  const customerio = chaosCustomerIo(
    random.fork('customerio'),
    options.seed,
    options.customerio,
    STACK.customerIoTimeoutMs,
  );
  const logLevel = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
  const began = Date.now();
  const log = journal();
  const stack = await startLocalStack({ apiPort: 0, awsFaults: aws.plan, log, ...STACK });
  try {
    const trace = options.trace;
    stack.capture?.respondWith(
      trace
        ? (request) => {
            const answer = customerio.respond(request);
            const body = JSON.stringify(request.body);
            if (body.includes(trace))
              progress(
                `trace ${request.receivedAt} → ${answer.status}${answer.delayMs ? ' (late)' : ''} ${body.slice(0, 600)}`,
              );
            return answer;
          }
        : customerio.respond,
    );
    const scenario = buildScenario(
      {
        seed: options.seed,
        deliveries: options.deliveries,
        spreadMs: options.durationSeconds * 1_000,
        duplicateRate: options.duplicateRate,
      },
      Date.now(),
    );
    const copies = scenario.deliveries.reduce((sum, d) => sum + d.copies, 0);
    progress(
      `seed ${options.seed}: ${scenario.stories.length} stories, ${scenario.deliveries.length} deliveries, ${copies} copies`,
    );
    const sending = Date.now();
    const driver = await drive(scenario.deliveries, {
      apiUrl: stack.apiUrl,
      random: random.fork('driver'),
      timeoutMs: 3_000,
      maxAttempts: 10,
      retryDelayMs: 500,
      concurrency: 8,
    });
    const draining = Date.now();
    progress(`sent ${driver.requests} requests in ${Math.round((draining - sending) / 1000)} s; draining`);
    const drained = await waitForDrain(stack, options.drainTimeoutSeconds * 1_000, progress);
    const done = Date.now();
    const verdict = judge(scenario, customerio.applied, stack.deadLetters());
    const explain = [
      ...verdict.lost,
      ...verdict.duplicateIds,
      ...(options.trace ? [`trace=${options.trace}`] : []),
    ];
    const postMortemLines = await postMortem(stack, explain, log.lines);
    const stories: Record<string, number> = {};
    for (const story of scenario.stories) stories[story.kind] = (stories[story.kind] ?? 0) + 1;
    return {
      options,
      stories,
      planned: { deliveries: scenario.deliveries.length, copies },
      driver,
      awsCalls: aws.calls,
      awsFaults: aws.injected,
      crashes: crashesIn(log.lines),
      customerIoAnswers: customerio.answers,
      rejectedEvents: customerio.rejectedEvents,
      drained,
      left: backlog(stack),
      verdict,
      postMortem: postMortemLines,
      seconds: {
        sending: (draining - sending) / 1000,
        draining: (done - draining) / 1000,
        total: (done - began) / 1000,
      },
    };
  } finally {
    await stack.stop();
    if (logLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = logLevel;
  }
};
