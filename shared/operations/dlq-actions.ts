import { createHash } from 'node:crypto';
import { PurgeQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { type SourceName, type WebhookEnvelope, WebhookEnvelopeSchema } from '../ingest/envelope.js';
import { encodeInboxMessage } from '../ingest/inbox-message.js';
import type { DeadLetter } from './dead-letter.js';
import { DLQS, type DlqName } from './dead-letter-queues.js';
import { type Held, receiveAll, release, remove, sendCopy } from './dlq-walk.js';
import type { OpsTarget, QueueRef } from './ops-target.js';

/** Which letters an action applies to. */
export type Selector = (letter: DeadLetter) => boolean;

/** What a selective action did. */
export interface ActionReport {
  /** Letters that matched (at most `max` were read). */
  readonly matched: readonly DeadLetter[];
  /** Message ids the action completed (sent/run and deleted; or deleted for purge). */
  readonly done: readonly string[];
  /** Letters that matched but were left in the DLQ, with why. */
  readonly left: readonly { readonly messageId: string; readonly reason: string }[];
  /** Messages read and released untouched (not matching). */
  readonly released: number;
  /** Whether the read stopped at `max` (more may match). */
  readonly limited: boolean;
}

/** Options of a selective action. */
export interface SelectOptions {
  readonly dryRun: boolean;
  readonly max: number;
  /** Seconds the read messages stay hidden while the action works (they return by themselves after it). */
  readonly hideSeconds?: number;
}

/** A DLQ's URL, or a plain error naming why it is not there. */
export const requireDlq = (target: OpsTarget, dlq: DlqName): QueueRef => {
  const queue = target.dlqs[dlq];
  if (!queue)
    throw new Error(`the ${dlq} DLQ is not available on ${target.label}: ${target.missing[dlq] ?? ''}`);
  return queue;
};

/** The queue a DLQ's messages go back to (inbox or outbox). */
export const requireSourceQueue = (target: OpsTarget, dlq: DlqName): QueueRef => {
  const name = DLQS[dlq].target;
  const queue = name === 'cart-check' ? undefined : target.queues[name];
  if (!queue) throw new Error(`the ${name} queue is not known on ${target.label}`);
  return queue;
};

const redriveOne = async (target: OpsTarget, dlq: DlqName, held: Held): Promise<string | undefined> => {
  if (DLQS[dlq].target === 'cart-check') {
    const input = held.letter.cartCheck;
    if (!input) return 'no cart check input ({shop, cart_token, step}) in this message';
    await target.cartCheck.run(input, held.letter.functionArn);
    return undefined;
  }
  await sendCopy(target.sqs, requireSourceQueue(target, dlq).url, held);
  return undefined;
};

const selectFrom = async (
  target: OpsTarget,
  dlq: DlqName,
  select: Selector,
  options: SelectOptions,
): Promise<{ url: string; matched: Held[]; others: Held[]; limited: boolean }> => {
  const { url } = requireDlq(target, dlq);
  const { held } = await receiveAll(target.sqs, url, dlq, {
    max: options.max,
    hideSeconds: options.hideSeconds ?? 120,
  });
  // A second copy of one message (SQS delivers at least once) is only released, never acted on twice.
  const seen = new Set<string>();
  const matched = held.filter((h) => {
    if (seen.has(h.letter.messageId)) return false;
    seen.add(h.letter.messageId);
    return select(h.letter);
  });
  return {
    url,
    matched,
    others: held.filter((h) => !matched.includes(h)),
    limited: held.length >= options.max,
  };
};

/**
 * Redrives the matching letters one by one: send a copy to the source queue (or run the cart check again), then
 * delete it from the DLQ. Send first, then delete: a crash in between duplicates (the workers deduplicate by
 * delivery id, business-event key and Customer.io event id) and never loses. Non-matching messages are released.
 */
export const redriveSelected = async (
  target: OpsTarget,
  dlq: DlqName,
  select: Selector,
  options: SelectOptions,
): Promise<ActionReport> => {
  const { url, matched, others, limited } = await selectFrom(target, dlq, select, options);
  const done: string[] = [];
  const left: { messageId: string; reason: string }[] = [];
  const toRelease = [...others];
  try {
    for (const held of matched) {
      if (options.dryRun) {
        toRelease.push(held);
        continue;
      }
      const problem = await redriveOne(target, dlq, held).catch((error: unknown) =>
        error instanceof Error ? error.message : String(error),
      );
      if (problem) {
        left.push({ messageId: held.letter.messageId, reason: problem });
        toRelease.push(held);
        continue;
      }
      const deleted = await remove(target.sqs, url, [held]);
      if (deleted.has(held.letter.messageId)) done.push(held.letter.messageId);
      else left.push({ messageId: held.letter.messageId, reason: 'sent, but the DLQ copy was not deleted' });
    }
  } finally {
    await release(target.sqs, url, toRelease);
  }
  return { matched: matched.map((h) => h.letter), done, left, released: others.length, limited };
};

/** Deletes the matching letters for good; releases the rest. */
export const purgeSelected = async (
  target: OpsTarget,
  dlq: DlqName,
  select: Selector,
  options: SelectOptions,
): Promise<ActionReport> => {
  const { url, matched, others, limited } = await selectFrom(target, dlq, select, options);
  let deleted = new Set<string>();
  try {
    if (!options.dryRun) deleted = await remove(target.sqs, url, matched);
  } finally {
    await release(target.sqs, url, options.dryRun ? [...others, ...matched] : others);
  }
  return {
    matched: matched.map((h) => h.letter),
    done: [...deleted],
    left: matched
      .filter((h) => !options.dryRun && !deleted.has(h.letter.messageId))
      .map((h) => ({ messageId: h.letter.messageId, reason: 'delete failed' })),
    released: others.length,
    limited,
  };
};

/** Empties a DLQ with PurgeQueue (SQS allows one purge per queue per 60 s; deletion can take that long). */
export const purgeAll = async (target: OpsTarget, dlq: DlqName): Promise<void> => {
  await target.sqs.send(new PurgeQueueCommand({ QueueUrl: requireDlq(target, dlq).url }));
};

/**
 * Replays stored raw deliveries: a copy of each matching inbox-DLQ envelope (the verified raw body plus its
 * transport facts, unchanged) goes to the inbox; the DLQ copy stays until a redrive or purge. A replayed delivery
 * that succeeds is claimed by its delivery id, so redriving the DLQ copy later does nothing twice.
 */
export const replayStored = async (
  target: OpsTarget,
  select: Selector,
  options: SelectOptions,
): Promise<ActionReport> => {
  const { url, matched, others, limited } = await selectFrom(target, 'inbox', select, options);
  const done: string[] = [];
  const left: { messageId: string; reason: string }[] = [];
  try {
    for (const held of matched) {
      if (held.letter.kind !== 'delivery') {
        left.push({ messageId: held.letter.messageId, reason: 'not a stored delivery envelope' });
        continue;
      }
      if (options.dryRun) continue;
      await sendCopy(target.sqs, requireSourceQueue(target, 'inbox').url, held);
      done.push(held.letter.messageId);
    }
  } finally {
    await release(target.sqs, url, [...others, ...matched]);
  }
  return { matched: matched.map((h) => h.letter), done, left, released: others.length, limited };
};

/** A raw delivery from a file, as `replay --file` queues it. */
export interface RawDelivery {
  readonly body: string;
  readonly source: SourceName;
  readonly topic: string;
  readonly shop: string;
  /** The platform's delivery id (e.g. X-Shopify-Webhook-Id) so a delivery already processed is recognised. */
  readonly deliveryId?: string;
  readonly apiVersion?: string;
}

/**
 * Builds the inbox envelope of a raw delivery from a file. The operator vouches for the bytes (they bypass the
 * signature check), so `signed` is true except for storefront beacons, which are never trusted. Without a delivery
 * id, one is derived from the content: the same file replayed twice is one delivery.
 */
export const envelopeOf = (raw: RawDelivery, now: Date): WebhookEnvelope => {
  const digest = createHash('sha256')
    .update(`${raw.source}\n${raw.topic}\n${raw.shop}\n${raw.body}`)
    .digest('hex')
    .slice(0, 32);
  return WebhookEnvelopeSchema.parse({
    version: 1,
    source: raw.source,
    topic: raw.topic,
    shop: raw.shop.trim().toLowerCase().replace(/\.$/, ''),
    deliveryId: raw.deliveryId ?? `replay-${digest}`,
    ...(raw.apiVersion ? { apiVersion: raw.apiVersion } : {}),
    receivedAt: now.toISOString(),
    signed: raw.source !== 'pixel',
    body: raw.body,
  });
};

/** Queues a raw delivery from a file into the inbox. */
export const replayRaw = async (target: OpsTarget, envelope: WebhookEnvelope): Promise<void> => {
  const inbox = target.queues.inbox;
  if (!inbox) throw new Error(`the inbox queue is not known on ${target.label}`);
  await target.sqs.send(
    // Encoded as ingest queues it (SQS-safe): a note with U+FFFE must replay too.
    new SendMessageCommand({ QueueUrl: inbox.url, MessageBody: encodeInboxMessage(envelope) }),
  );
};
