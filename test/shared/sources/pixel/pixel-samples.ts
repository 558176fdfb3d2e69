import type { WebhookEnvelope } from '../../../../shared/ingest/envelope.js';
import { readSample } from '../../../helpers/fixtures.js';

/** The Web Pixels captures published under test/fixtures/samples/shopify. */
export const PIXEL_SAMPLES = [
  'web-pixel-cart-viewed.json',
  'web-pixel-checkout-completed.json',
  'web-pixel-checkout-started.json',
  'web-pixel-collection-viewed.json',
  'web-pixel-page-viewed.json',
  'web-pixel-product-added-to-cart.json',
  'web-pixel-product-removed-from-cart.json',
  'web-pixel-product-viewed.json',
  'web-pixel-search-submitted.json',
] as const;

/** A raw pixel event as captured. */
export type RawPixelEvent = Record<string, unknown> & { id: string; name: string; clientId: string };

/** Reads one capture. */
export const pixelSample = (file: (typeof PIXEL_SAMPLES)[number]): RawPixelEvent =>
  JSON.parse(readSample(`shopify/${file}`)) as RawPixelEvent;

/** The test shop and its beacon settings. */
export const SHOP = 'pixel-testing-rs.myshopify.com';
export const PUBLIC_KEY = 'pk_test_0123456789abcdef';
export const ORIGIN = 'https://store.myshopify.com';

/** What the custom pixel posts for an event (the snippet sends the whole standard event). */
export const beaconFor = (event: unknown, overrides: Record<string, unknown> = {}) => ({
  shop: SHOP,
  key: PUBLIC_KEY,
  event,
  ...overrides,
});

/** An unsigned pixel envelope as the beacon handler queues it. */
export const pixelEnvelope = (topic: string, body: unknown, deliveryId = 'evt-1'): WebhookEnvelope => ({
  version: 1,
  source: 'pixel',
  topic,
  shop: SHOP,
  deliveryId,
  receivedAt: '2026-11-28T12:00:00.000Z',
  signed: false,
  body: JSON.stringify(body),
});
