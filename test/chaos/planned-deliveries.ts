import { createHash } from 'node:crypto';
import {
  beaconRequest,
  judgemeRequest,
  okendoRequest,
  rechargeRequest,
  shopifyRequest,
  stampedRequest,
  yotpoRequest,
} from '../helpers/platform-requests.js';
import type { Random } from './random.js';
import type { PlannedDelivery } from './scenario-types.js';

/**
 * Planned deliveries of each platform, with the delivery id the connector records for them as docs/sources.md
 * documents it: Shopify's X-Shopify-Webhook-Id, Svix's message id for Okendo, the beacon's event id, and for the
 * platforms that send none, hex SHA-256(topic + "\n" + raw body).
 */

/** When a delivery goes out (ms after its story starts) and how many copies the platform sends. */
export interface Timing {
  readonly at: number;
  readonly copies: number;
}

/** 1 copy mostly, 2 or 3 now and then (platform retries after a lost answer). */
export const drawTiming = (random: Random, at: number, duplicateRate: number): Timing => ({
  at,
  copies: random.chance(duplicateRate) ? random.int(2, 3) : 1,
});

const bodyDeliveryId = (topic: string, body: string): string =>
  createHash('sha256').update(`${topic}\n`).update(body).digest('hex');

/** A signed Shopify webhook. */
export const shopifyDelivery = (
  topic: string,
  body: string,
  webhookId: string,
  timing: Timing,
): PlannedDelivery => ({
  deliveryId: webhookId,
  label: `shopify ${topic}`,
  request: (now) => shopifyRequest(topic, body, { webhookId, triggeredAt: now.toISOString() }),
  accepted: 200,
  ...timing,
});

/** A signed Recharge webhook (timestamped signature, made when sent). */
export const rechargeDelivery = (topic: string, body: string, timing: Timing): PlannedDelivery => ({
  deliveryId: bodyDeliveryId(topic, body),
  label: `recharge ${topic}`,
  request: (now) => rechargeRequest(topic, body, { at: now }),
  accepted: 200,
  ...timing,
});

/** A signed Judge.me webhook (the topic is the body's `event`). */
export const judgemeDelivery = (body: string, timing: Timing): PlannedDelivery => ({
  deliveryId: bodyDeliveryId('review/created', body),
  label: 'judgeme review/created',
  request: () => judgemeRequest(body),
  accepted: 200,
  ...timing,
});

/** A signed Okendo (Svix) webhook: the same message id on every retry, a fresh timestamp and signature. */
export const okendoDelivery = (body: string, svixId: string, timing: Timing): PlannedDelivery => ({
  deliveryId: svixId,
  label: 'okendo review.create',
  request: (now) => okendoRequest(body, { id: svixId, at: now }),
  accepted: 200,
  ...timing,
});

/** A Stamped review push (its topic is `review/created` by the review's shape). */
export const stampedDelivery = (body: string, timing: Timing): PlannedDelivery => ({
  deliveryId: bodyDeliveryId('review/created', body),
  label: 'stamped review/created',
  request: () => stampedRequest(body),
  accepted: 200,
  ...timing,
});

/** A Yotpo review push (the topic is the body's `event`). */
export const yotpoDelivery = (body: string, timing: Timing): PlannedDelivery => ({
  deliveryId: bodyDeliveryId('review_create', body),
  label: 'yotpo review_create',
  request: () => yotpoRequest(body),
  accepted: 200,
  ...timing,
});

/** A storefront beacon (answered 202). */
export const beaconDelivery = (
  beacon: { readonly event: { readonly id: string; readonly name: string } },
  timing: Timing,
): PlannedDelivery => ({
  deliveryId: beacon.event.id,
  label: `pixel ${beacon.event.name}`,
  request: () => beaconRequest(beacon),
  accepted: 202,
  ...timing,
});
