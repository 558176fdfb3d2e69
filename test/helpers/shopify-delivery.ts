import type { WebhookEnvelope } from '../../shared/ingest/envelope.js';
import { shopifyEnvelope as sampleEnvelope } from './shopify-envelope.js';

export { readSample } from './fixtures.js';

/** An inbox envelope for the demo shop whose delivery and event ids follow the topic (one delivery per topic). */
export const shopifyEnvelope = (
  topic: string,
  body: string,
  overrides: Partial<WebhookEnvelope> = {},
): WebhookEnvelope =>
  sampleEnvelope(topic, body, {
    shop: 'demo.myshopify.com',
    deliveryId: `wh-${topic}`,
    eventId: `ev-${topic}`,
    triggeredAt: '2026-11-28T09:59:59.000Z',
    receivedAt: '2026-11-28T10:00:00.000Z',
    ...overrides,
  });
