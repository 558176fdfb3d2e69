import { performance } from 'node:perf_hooks';
import type { LocalStack } from '../../local/local-stack.js';
import { quantile } from '../stats.js';
import { type LoadWebhook, loadWebhook, topicAt } from './webhook-mix.js';

/** One offered load: a rate for a time, with a share of duplicate deliveries (a platform's retries). */
export interface LoadStep {
  readonly rate: number;
  readonly seconds: number;
  readonly duplicateShare: number;
}

/** What one load step did. */
export interface LoadResult {
  readonly rate: number;
  readonly seconds: number;
  readonly posted: number;
  readonly duplicatesPosted: number;
  readonly accepted: number;
  /** Webhooks per second from the first post until the queues were empty again (offered ÷ that time). */
  readonly sustained: number;
  /** Seconds the queues took to empty after the last post. */
  readonly drainSeconds: number;
  /** Webhook posted → its first Customer.io operation captured, in ms (webhooks that cause operations). */
  readonly latencyP50: number;
  readonly latencyP99: number;
  readonly ingestP99: number;
  /** Operations Customer.io received twice (an event id again, or the same identify again). */
  readonly duplicatesDelivered: number;
  /** Webhooks that should have reached Customer.io and did not. */
  readonly lost: number;
  readonly operations: number;
}

/** A seeded generator in [0, 1) (the same load on every run). */
const random = (seed: number) => {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Posted {
  readonly webhook: LoadWebhook;
  readonly at: number;
}

/** The identity a Track v2 operation is addressed by, and whether it repeats an earlier one. */
const operationKeys = (op: Record<string, unknown>): string[] => {
  const identifiers = (op.identifiers ?? {}) as Record<string, unknown>;
  return [
    ...(typeof identifiers.id === 'string' ? [`id:${identifiers.id}`] : []),
    ...(typeof identifiers.email === 'string' ? [`email:${identifiers.email}`] : []),
  ];
};
const operationIdentity = (op: Record<string, unknown>): string =>
  op.action === 'event' ? `event:${String(op.id)}` : JSON.stringify(op);

/**
 * Drives the local stack (its HTTP API on 127.0.0.1) with an open-loop load: webhooks sent on schedule whatever the
 * answers, a share of them a repeat of an earlier one (same body, same webhook id), each new one with a buyer of its
 * own. Waits until both queues are empty, then reads what the Customer.io capture received.
 */
export class LoadDriver {
  private seq = 0;
  private readonly draw = random(20_261_202);

  constructor(private readonly stack: LocalStack) {}

  async run(step: LoadStep): Promise<LoadResult> {
    const capture = this.stack.capture;
    if (!capture) throw new Error('the load driver reads the local Customer.io capture');
    const capturedBefore = capture.requests.length;
    const sent: Posted[] = [];
    const ingestMs: number[] = [];
    let accepted = 0;
    let duplicatesPosted = 0;
    const inflight: Promise<void>[] = [];
    const started = performance.now();
    const total = Math.round(step.rate * step.seconds);
    for (let i = 0; i < total; i += 1) {
      const due = started + (i * 1000) / step.rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const repeat = sent.length > 0 && this.draw() < step.duplicateShare;
      const webhook = repeat
        ? (sent[Math.floor(this.draw() * sent.length)]?.webhook ?? this.next())
        : this.next();
      if (repeat) duplicatesPosted += 1;
      else sent.push({ webhook, at: Date.now() });
      const t0 = performance.now();
      inflight.push(
        fetch(`${this.stack.apiUrl}${webhook.path}`, {
          method: 'POST',
          headers: webhook.headers,
          body: webhook.body,
        })
          .then(async (response) => {
            await response.arrayBuffer();
            ingestMs.push(performance.now() - t0);
            if (response.status === 200) accepted += 1;
          })
          .catch(() => undefined),
      );
    }
    await Promise.all(inflight);
    const postedAll = performance.now();
    await this.drain();
    const drained = performance.now();

    const operations = capture.requests.slice(capturedBefore).flatMap((request) => {
      const batch = (request.body as { batch?: Record<string, unknown>[] }).batch;
      const at = Date.parse(request.receivedAt);
      return (batch ?? [request.body as Record<string, unknown>]).map((op) => ({ op, at }));
    });
    const firstOp = new Map<string, number>();
    const seen = new Set<string>();
    let duplicatesDelivered = 0;
    for (const { op, at } of operations) {
      const identity = operationIdentity(op);
      if (seen.has(identity)) duplicatesDelivered += 1;
      seen.add(identity);
      for (const key of operationKeys(op)) if (!firstOp.has(key)) firstOp.set(key, at);
    }
    const latencies: number[] = [];
    let lost = 0;
    for (const { webhook, at } of sent) {
      if (webhook.keys.length === 0) continue;
      const reached = Math.min(...webhook.keys.map((k) => firstOp.get(k) ?? Number.POSITIVE_INFINITY));
      if (Number.isFinite(reached)) latencies.push(Math.max(0, reached - at));
      else lost += 1;
    }
    return {
      rate: step.rate,
      seconds: step.seconds,
      posted: total,
      duplicatesPosted,
      accepted,
      sustained: total / ((drained - started) / 1000),
      drainSeconds: (drained - postedAll) / 1000,
      latencyP50: quantile(latencies, 0.5),
      latencyP99: quantile(latencies, 0.99),
      ingestP99: quantile(ingestMs, 0.99),
      duplicatesDelivered,
      lost,
      operations: operations.length,
    };
  }

  private next(): LoadWebhook {
    this.seq += 1;
    return loadWebhook(topicAt(this.draw()), this.seq);
  }

  /** Waits until inbox and outbox hold nothing (ready, delayed or in flight) for a moment, at most 3 minutes. */
  private async drain(): Promise<void> {
    const deadline = performance.now() + 180_000;
    let quietSince: number | undefined;
    while (performance.now() < deadline) {
      const busy = ['inbox', 'outbox'].some((name) => {
        const queue = this.stack.fauxqs.inspectQueue(name);
        const m = queue?.messages;
        return (m?.ready.length ?? 0) + (m?.delayed.length ?? 0) + (m?.inflight.length ?? 0) > 0;
      });
      if (busy) quietSince = undefined;
      else quietSince ??= performance.now();
      if (quietSince !== undefined && performance.now() - quietSince > 300) return;
      await sleep(50);
    }
    throw new Error('the local stack did not drain within 3 minutes');
  }
}
