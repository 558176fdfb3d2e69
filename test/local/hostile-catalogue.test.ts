import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../local/dead-letter-audit.js';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { silentLog } from '../../shared/ports/telemetry.js';
import { operationsOf } from '../chaos/customerio-chaos.js';
import { seededRandom } from '../chaos/random.js';
import { waitForQuiet } from '../helpers/local-stack-quiet.js';
import { type PlatformRequest, sendPlatformRequest } from '../helpers/platform-requests.js';
import { HOSTILE_CASES, HOSTILE_SEED, hostileSecrets, hostileShops } from '../hostile/catalogue.js';
import type { CaseInput, HostileCase } from '../hostile/hostile-kit.js';

/** What one request of a case got back. */
interface Answer {
  readonly status: number;
  readonly error?: string;
}

interface Ran {
  readonly input: CaseInput;
  readonly answers: readonly Answer[];
  readonly setup: readonly number[];
}

const answer = async (apiUrl: string, request: PlatformRequest): Promise<Answer> => {
  const response = await sendPlatformRequest(apiUrl, request, 30_000);
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: unknown };
    return { status: response.status, ...(typeof body.error === 'string' ? { error: body.error } : {}) };
  } catch {
    return { status: response.status };
  }
};

/**
 * The hostile-input catalogue (test/hostile/, listed in docs/hostile-inputs.md): every case, as a seeded
 * randomized variant, through the real ingest HTTP path of the local stack, and followed to its end: refused at
 * the edge, parked in a DLQ with its code and a reason, delivered to the Customer.io capture, or acknowledged
 * and ignored.
 */
describe('hostile-input catalogue on the local stack', () => {
  let stack: LocalStack;
  const ran = new Map<string, Ran>();
  let letters: DeadLetter[] = [];
  let operations: Record<string, unknown>[] = [];

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
    process.env.SHOPS = JSON.stringify(hostileShops());
    stack = await startLocalStack({
      apiPort: 0,
      webhookSecrets: hostileSecrets(),
      visibilityTimeoutSeconds: 2,
      retry: { maxAttempts: 2, baseSeconds: 1, maxSeconds: 1 },
      log: silentLog,
    });
    const random = seededRandom(HOSTILE_SEED);
    for (const hostile of HOSTILE_CASES) {
      const input = hostile.build(random.fork(hostile.id));
      const setup: number[] = [];
      for (const request of input.setup ?? []) setup.push((await answer(stack.apiUrl, request)).status);
      const answers: Answer[] = [];
      for (const request of input.requests) answers.push(await answer(stack.apiUrl, request));
      ran.set(hostile.id, { input, answers, setup });
    }
    await waitForQuiet(stack, 60_000);
    letters = stack.deadLetters();
    // Known people through the v2 batch, anonymous browsers through v1 events: both are deliveries.
    operations = (stack.capture?.requests ?? []).flatMap(operationsOf);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    delete process.env.SHOPS;
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });

  it('has at least 60 cases, each id once, across every source and /collect', () => {
    const ids = HOSTILE_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(60);
    expect(new Set(HOSTILE_CASES.map((c) => c.source))).toEqual(
      new Set(['shopify', 'recharge', 'judgeme', 'okendo', 'stamped', 'yotpo', 'collect']),
    );
  });

  it.each(HOSTILE_CASES.map((c) => [c.id, c] as const))('%s', (_, hostile: HostileCase) => {
    const result = ran.get(hostile.id);
    if (!result) throw new Error(`${hostile.id} did not run`);
    const { input, answers, setup } = result;
    for (const status of setup) expect(status, 'setup request').toBeLessThan(300);
    expect(answers.map((a) => a.status)).toEqual(input.requests.map(() => hostile.status));
    const ids = [input.deliveryId, ...(input.moreDeliveryIds ?? [])].flatMap((id) =>
      id ? [id.slice(0, 256)] : [],
    );
    const mine = letters.filter((l) => ids.includes(l.attributes.delivery_id ?? ''));
    const delivered = input.marker
      ? operations.some((op) => JSON.stringify(op).includes(input.marker ?? ''))
      : false;
    const { outcome } = hostile;
    if (outcome.kind === 'refused') {
      if (outcome.error) for (const a of answers) expect(a.error).toBe(outcome.error);
      expect(mine).toEqual([]);
      expect(delivered).toBe(false);
    } else if (outcome.kind === 'parked') {
      expect(mine.map((l) => l.why?.code)).toEqual(ids.map(() => outcome.code));
      expect(mine[0]?.why?.reason).toEqual(expect.any(String));
      expect(delivered).toBe(false);
    } else if (outcome.kind === 'delivered') {
      expect(input.marker, 'a delivered case names its marker').toEqual(expect.any(String));
      expect(delivered).toBe(true);
      expect(mine).toEqual([]);
    } else {
      expect(mine).toEqual([]);
      expect(delivered).toBe(false);
    }
    if (hostile.also) expect(hostile.also.holds(operations, input), hostile.also.says).toBe(true);
  });
});
