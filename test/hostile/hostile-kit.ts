import { createHash } from 'node:crypto';
import { LOCAL_DEFAULTS } from '../../local/local-config.js';
import type { Random } from '../chaos/random.js';
import { readSample } from '../helpers/fixtures.js';
import { type PlatformRequest, shopifyRequest } from '../helpers/platform-requests.js';

/**
 * The hostile-input catalogue's vocabulary: a case is what an attacker, a buggy platform or a careless shopper
 * sends, the HTTP answer the connector documents for it, and where it ends.
 */

/** Where a case is sent. */
export type HostileSource = 'shopify' | 'recharge' | 'judgeme' | 'okendo' | 'stamped' | 'yotpo' | 'collect';

/** Where a case ends. */
export type Outcome =
  /** Answered 4xx at the edge, with this `error` when the answer has a body: nothing queued. */
  | { readonly kind: 'refused'; readonly error?: string }
  /** Queued and delivered to Customer.io (its marker is in what Customer.io received). */
  | { readonly kind: 'delivered' }
  /** Queued, then parked in the inbox DLQ with this `failure_code` (and a reason). */
  | { readonly kind: 'parked'; readonly code: string }
  /** Accepted and acknowledged; nothing parked, nothing delivered. */
  | { readonly kind: 'ignored' };

/** What one case sends and how to recognise its traces. */
export interface CaseInput {
  /** Sent first, each answered 2xx: what the case needs to exist (a cart, browsers on it). */
  readonly setup?: readonly PlatformRequest[];
  /** Sent one after the other; every one must get the documented status. */
  readonly requests: readonly PlatformRequest[];
  /** The delivery id the connector records (a parked message carries it as `delivery_id`). */
  readonly deliveryId?: string;
  /** Further deliveries of a case that sends several, each to end the same way. */
  readonly moreDeliveryIds?: readonly string[];
  /** Text found in what Customer.io received exactly when the case was delivered. */
  readonly marker?: string;
  /** Facts of this variant a further check needs (the owner of a flooded cart). */
  readonly facts?: Readonly<Record<string, string>>;
}

/** One row of the catalogue. */
export interface HostileCase {
  /** Unique, kebab-case. */
  readonly id: string;
  readonly source: HostileSource;
  /** What is sent, for people. */
  readonly input: string;
  /** The documented HTTP status of every request of the case. */
  readonly status: number;
  readonly outcome: Outcome;
  /** Builds a randomized variant of the case (seeded: the same seed, the same bytes). */
  readonly build: (random: Random) => CaseInput;
  /** A further promise about what Customer.io received, checked on its operations. */
  readonly also?: {
    readonly says: string;
    readonly holds: (operations: readonly Record<string, unknown>[], input: CaseInput) => boolean;
  };
}

/** A shop the deployment serves besides the local one, with its own secrets (see hostileSecrets). */
export const OTHER_SHOP = 'other-shop.myshopify.com';

/** The delivery id of platforms that send none (docs/sources.md): hex SHA-256(topic + "\n" + raw body). */
export const bodyDeliveryId = (topic: string, body: string | Buffer): string =>
  createHash('sha256').update(`${topic}\n`).update(body).digest('hex');

type Json = Record<string, unknown>;

/** A published sample, parsed. */
export const sampleObject = (file: string): Json => JSON.parse(readSample(file)) as Json;

/** A random id of `digits` digits (no leading zero). */
export const numericId = (random: Random, digits: number): string =>
  `${random.int(1, 9)}${Array.from({ length: digits - 1 }, () => random.int(0, 9)).join('')}`;

/** JSON text of `value` with the given id values written as bare numbers, as Shopify sends them. */
const withBareIds = (value: unknown, ids: readonly string[]): string =>
  ids.reduce((text, id) => text.split(`"${id}"`).join(id), JSON.stringify(value));

/**
 * A randomized variant of the published orders/create: a fresh 13 to 18 digit id (past 2^53 half the time), a
 * random customer, some of the sample's lines with random quantities and a matching total; `change` edits it.
 */
export const orderVariant = (random: Random, change: (order: Json) => void = () => undefined) => {
  const order = sampleObject('shopify/orders-create.json');
  const id = numericId(random, random.pick([13, 18]));
  const customerId = numericId(random, 12);
  const lines = (order.line_items as Json[]).filter(() => random.chance(0.7));
  const kept = lines.length > 0 ? lines : (order.line_items as Json[]).slice(0, 1);
  const quantity = random.int(1, 5);
  const total = (random.int(100, 99_999) / 100).toFixed(2);
  Object.assign(order, {
    id,
    test: false,
    total_price: total,
    current_total_price: total,
    line_items: kept.map((line) => ({ ...line, quantity })),
    customer: { ...(order.customer as Json), id: customerId, email: `hostile.${customerId}@example.com` },
    email: `hostile.${customerId}@example.com`,
  });
  change(order);
  return { order, id, text: () => withBareIds(order, [id]) };
};

/** A signed Shopify delivery of one body with a random webhook id; the case's delivery id is that id. */
export const signedShopify = (
  random: Random,
  topic: string,
  body: string | Buffer,
  options: { readonly shop?: string; readonly secret?: string; readonly webhookId?: string } = {},
): CaseInput & { readonly deliveryId: string } => {
  const webhookId = options.webhookId ?? `hostile-${random.hex(16)}`;
  return {
    requests: [shopifyRequest(topic, body, { webhookId, ...options })],
    deliveryId: webhookId,
  };
};

/** The marker of an Order Completed (or any event of the order) in what Customer.io received. */
export const orderMarker = (id: string): string => `"order_id":"${id}"`;

/** The local shop, as every source names it. */
export const SHOP = LOCAL_DEFAULTS.shop;

/** Text a shopper can type that queues refuse or mangle, one kind at a time. */
export const ODD_TEXTS = {
  noncharacters: 'gift \uFFFE for \uFFFF you',
  'lone surrogates': 'half \uD83D and \uDE00 alone',
  'control characters': 'tab\tbell\u0007nul\u0000esc\u001B',
  emoji: 'thanks 🎁🙏🏽 👨‍👩‍👧',
} as const;

/** The marker of a Review Submitted in what Customer.io received. */
export const reviewMarker = (reviewId: string): string => `"review_id":"${reviewId}"`;

/** A fresh reviewer's email. */
export const reviewerEmail = (random: Random): string => `reviewer.${random.hex(8)}@example.com`;
