import { sendPlatformRequest } from '../helpers/platform-requests.js';
import type { Random } from './random.js';
import type { PlannedDelivery } from './scenario-types.js';

/** How the platforms behave toward the connector. */
export interface DriverOptions {
  readonly apiUrl: string;
  readonly random: Random;
  /** How long a platform waits for an answer before it counts the attempt failed (Shopify: 5 s). */
  readonly timeoutMs: number;
  /** Attempts per copy before the platform gives up (Shopify: 8 over 4 h; here seconds apart). */
  readonly maxAttempts: number;
  /** First wait after a failed attempt; doubles per attempt, up to 8×. */
  readonly retryDelayMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

/** What the platforms saw. */
export interface DriverStats {
  /** HTTP requests made (copies and retries included). */
  requests: number;
  /** Copies the connector accepted (2xx as documented). */
  accepted: number;
  /** Answers by status (`timeout` and `network` for no answer). */
  readonly byStatus: Record<string, number>;
  /** Copies refused with a 4xx or another final answer: a valid delivery must never be. */
  readonly refused: { readonly label: string; readonly deliveryId: string; readonly status: string }[];
  /** Copies never accepted within the platform's attempts. */
  readonly gaveUp: { readonly label: string; readonly deliveryId: string }[];
}

/** Statuses a platform retries: the connector asked for it (503) or the gateway failed. */
const RETRIED = new Set(['500', '502', '503', '504', 'timeout', 'network']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const attempt = async (apiUrl: string, delivery: PlannedDelivery, timeoutMs: number): Promise<string> => {
  try {
    const response = await sendPlatformRequest(apiUrl, delivery.request(new Date()), timeoutMs);
    await response.arrayBuffer();
    return String(response.status);
  } catch (error) {
    return error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network';
  }
};

/** One copy, retried the way platforms retry a failed delivery (same bytes, same delivery id). */
const sendCopy = async (
  delivery: PlannedDelivery,
  options: DriverOptions,
  stats: DriverStats,
): Promise<void> => {
  for (let n = 1; n <= options.maxAttempts; n += 1) {
    const status = await attempt(options.apiUrl, delivery, options.timeoutMs);
    stats.requests += 1;
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    if (status === String(delivery.accepted)) {
      stats.accepted += 1;
      return;
    }
    if (!RETRIED.has(status)) {
      stats.refused.push({ label: delivery.label, deliveryId: delivery.deliveryId, status });
      return;
    }
    await sleep(options.retryDelayMs * Math.min(8, 2 ** (n - 1)));
  }
  stats.gaveUp.push({ label: delivery.label, deliveryId: delivery.deliveryId });
};

/**
 * Plays the plan against the connector as the platforms would: every copy leaves at its planned time (a platform's
 * own retry of a delivery leaves 0.2 to 4 s after the first), at most `concurrency` at once, each retried on a
 * timeout, a network error or a 5xx. Resolves once every copy was accepted, refused or given up.
 */
export const drive = async (
  deliveries: readonly PlannedDelivery[],
  options: DriverOptions,
): Promise<DriverStats> => {
  const stats: DriverStats = { requests: 0, accepted: 0, byStatus: {}, refused: [], gaveUp: [] };
  const sends = deliveries
    .flatMap((delivery) =>
      Array.from({ length: delivery.copies }, (_, copy) => ({
        delivery,
        at: delivery.at + (copy === 0 ? 0 : options.random.int(200, 4_000) * copy),
      })),
    )
    .sort((a, b) => a.at - b.at);
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (const send of sends) {
    while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    await sleep(started + send.at - Date.now());
    const task: Promise<void> = sendCopy(send.delivery, options, stats).finally(() => inFlight.delete(task));
    inFlight.add(task);
  }
  await Promise.all(inFlight);
  return stats;
};
