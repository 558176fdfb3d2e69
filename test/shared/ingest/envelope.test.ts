import { describe, expect, it } from 'vitest';
import { WebhookEnvelopeSchema } from '../../../shared/ingest/envelope.js';

const envelope = (shop: string) => ({
  version: 1,
  source: 'shopify',
  topic: 'orders/create',
  shop,
  deliveryId: 'wh-1',
  receivedAt: '2026-11-28T10:00:00.000Z',
  signed: true,
  body: '{}',
});

describe('WebhookEnvelopeSchema', () => {
  it('normalizes the shop the workers key everything by, so a hand-queued variant cannot split a shop', () => {
    for (const shop of ['Demo.myshopify.com', ' demo.myshopify.com.', 'DEMO.MYSHOPIFY.COM']) {
      expect(WebhookEnvelopeSchema.parse(envelope(shop)).shop).toBe('demo.myshopify.com');
    }
  });

  it('refuses a shop that is not a myshopify domain (the edge binds every delivery to one)', () => {
    for (const shop of ['', 'shop.example', '123e4567-e89b-12d3-a456-426614174000', 'demo.myshopify.com..']) {
      expect(WebhookEnvelopeSchema.safeParse(envelope(shop)).success).toBe(false);
    }
  });
});
