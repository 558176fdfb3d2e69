import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WebhookEnvelope } from '../../shared/ingest/envelope.js';

/** Reads a published sample from ../shared/samples (CI keeps shared/ beside the clone). */
export const readSample = (relativePath: string): string =>
  readFileSync(resolve(process.cwd(), '../shared/samples', relativePath), 'utf8');

/** An inbox envelope as the ingest Lambda would queue it for a Shopify delivery. */
export const shopifyEnvelope = (
  topic: string,
  body: string,
  overrides: Partial<WebhookEnvelope> = {},
): WebhookEnvelope => ({
  version: 1,
  source: 'shopify',
  topic,
  shop: 'demo.myshopify.com',
  deliveryId: `wh-${topic}`,
  eventId: `ev-${topic}`,
  apiVersion: '2026-07',
  triggeredAt: '2026-11-28T09:59:59.000Z',
  receivedAt: '2026-11-28T10:00:00.000Z',
  signed: true,
  body,
  ...overrides,
});
