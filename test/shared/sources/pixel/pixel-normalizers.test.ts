import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../../shared/canonical/event-id.js';
import { type CanonicalEvent, CanonicalEventSchema } from '../../../../shared/canonical/events.js';
import { PayloadValidationError } from '../../../../shared/errors.js';
import type { HttpRequest } from '../../../../shared/http/http-types.js';
import { identityLinks } from '../../../../shared/identity/identity-signal.js';
import { type WebhookEnvelope, WebhookEnvelopeSchema } from '../../../../shared/ingest/envelope.js';
import { handleBeacon } from '../../../../shared/ingest/handle-beacon.js';
import { decodeInboxMessage } from '../../../../shared/ingest/inbox-message.js';
import type { Normalized, NormalizeResult } from '../../../../shared/normalize/normalizer.js';
import { normalizerRegistry } from '../../../../shared/normalize/registry.js';
import { cartTokenFromId, cartTokenFromUrl } from '../../../../shared/sources/pixel/pixel-mappers.js';
import { MemoryQueue, testShops, testTelemetry } from '../../../helpers/fakes.js';
import {
  beaconFor,
  ORIGIN,
  type PIXEL_SAMPLES,
  PUBLIC_KEY,
  pixelEnvelope,
  pixelSample,
  SHOP,
} from './pixel-samples.js';

const CLIENT_ID = 'c7b3f99b-4d34-463b-835f-c879482a7750';
const CART_TOKEN = 'Z2NwLXVzLWVhc3QxOjAxSjY5OVpIRURQNERFMDBKUTVaRkI4UzdU';
const CHECKOUT_TOKEN = '5f7028e0bd5225c17b24bdaa0c09f914';

/** Posts a capture through the beacon handler and returns the envelope it queued. */
const queued = async (file: (typeof PIXEL_SAMPLES)[number]): Promise<WebhookEnvelope> => {
  const inbox = new MemoryQueue();
  const request: HttpRequest = {
    method: 'POST',
    path: '/collect',
    headers: { origin: ORIGIN, 'content-type': 'text/plain' },
    query: {},
    body: Buffer.from(JSON.stringify(beaconFor(pixelSample(file)))),
  };
  const response = await handleBeacon(request, {
    shops: testShops({ [SHOP]: { storefront: { publicKey: PUBLIC_KEY, origins: [ORIGIN] } } }),
    inbox,
    clock: () => new Date('2026-11-28T12:00:00.000Z'),
    maxBeaconBytes: 16 * 1024,
    telemetry: testTelemetry(),
  });
  expect(response.statusCode).toBe(202);
  return WebhookEnvelopeSchema.parse(decodeInboxMessage(inbox.sent[0]?.body ?? ''));
};

const normalize = (envelope: WebhookEnvelope): NormalizeResult => {
  const normalizer = normalizerRegistry.pixel?.[envelope.topic];
  if (!normalizer) throw new Error(`no pixel normalizer for ${envelope.topic}`);
  return normalizer(JSON.parse(envelope.body), envelope);
};

const only = async (
  file: (typeof PIXEL_SAMPLES)[number],
): Promise<{ out: Normalized; event: CanonicalEvent }> => {
  const out = normalize(await queued(file));
  if (out.kind !== 'normalized') throw new Error('expected normalized output');
  expect(out.events).toHaveLength(1);
  expect(out.people).toEqual([]);
  const draft = out.events[0];
  if (!draft) throw new Error('unreachable');
  const event = CanonicalEventSchema.parse({ ...draft, id: eventIdFor(draft.dedupe_key) });
  expect(event.person).toEqual({ anonymous_id: CLIENT_ID });
  expect(event.source).toBe('pixel');
  expect(event.shop).toBe(SHOP);
  return { out, event };
};

const untrustedCartLink = (out: Normalized) => {
  const links = identityLinks(out.signals);
  expect(links).toHaveLength(1);
  expect(links[0]?.trusted).toBe(false);
  return links[0]?.identifiers;
};

describe('pixel normalizers on the captured events (through the beacon handler)', () => {
  it('product_viewed → Product Viewed with one line item', async () => {
    const { out, event } = await only('web-pixel-product-viewed.json');
    expect(event.name).toBe('Product Viewed');
    expect(event.dedupe_key).toBe(`pixel#${SHOP}#sh-f6c07b5a-D20A-4E5F-812E-337299B56C34`);
    expect(event.occurred_at).toBe('2024-09-15T17:34:54.889Z');
    expect(event.properties).toEqual({
      page_url: `https://store.myshopify.com/checkouts/cn/${CART_TOKEN}`,
      referrer: 'https://store.myshopify.com/cart',
      currency: 'USD',
      product: {
        product_id: '7234590834801',
        variant_id: '41327143321713',
        sku: null,
        name: 'The Collection Snowboard: Liquid',
        variant_name: null,
        brand: 'Hydrogen Vendor',
        category: 'snowboard',
        quantity: 1,
        price: 749.95,
        discount: 0,
        url: '/products/the-collection-snowboard-liquid',
        image_url:
          'https://store.myshopify.com/cdn/shop/files/Main_b13ad453-477c-4ed1-9b43-81f3345adfd6.jpg?v=1724736600',
      },
    });
    expect(untrustedCartLink(out)).toEqual({ anonymous_id: CLIENT_ID, cart_token: CART_TOKEN });
  });

  it('collection_viewed → Collection Viewed with every listed variant', async () => {
    const { event } = await only('web-pixel-collection-viewed.json');
    if (event.name !== 'Collection Viewed') throw new Error('wrong event');
    expect(event.properties.collection_id).toBeNull();
    expect(event.properties.collection_name).toBe('Products');
    expect(event.properties.currency).toBe('USD');
    expect(event.properties.products.map((p) => [p.variant_id, p.price, p.variant_name])).toEqual([
      ['41327142895729', 10, '$10'],
      ['41327143223409', 24.95, 'Selling Plans Ski Wax'],
      ['41327143125105', 2629.95, null],
    ]);
  });

  it('product_added_to_cart → Added to Cart with the line cost as value', async () => {
    const { out, event } = await only('web-pixel-product-added-to-cart.json');
    if (event.name !== 'Added to Cart') throw new Error('wrong event');
    expect(event.properties.value).toBe(749.95);
    expect(event.properties.currency).toBe('USD');
    expect(event.properties.cart_id).toBe(CART_TOKEN);
    expect(event.properties.product).toMatchObject({
      variant_id: '41327143321713',
      quantity: 1,
      price: 749.95,
    });
    expect(untrustedCartLink(out)).toEqual({ anonymous_id: CLIENT_ID, cart_token: CART_TOKEN });
  });

  it('product_removed_from_cart → Removed from Cart', async () => {
    const { event } = await only('web-pixel-product-removed-from-cart.json');
    if (event.name !== 'Removed from Cart') throw new Error('wrong event');
    expect(event.occurred_at).toBe('2024-09-15T20:56:00.125Z');
    expect(event.properties.product).toMatchObject({ product_id: '7234590834801', quantity: 1 });
    expect(event.properties.value).toBe(749.95);
  });

  it('cart_viewed → Cart Viewed with the cart token from data.cart.id', async () => {
    const { out, event } = await only('web-pixel-cart-viewed.json');
    if (event.name !== 'Cart Viewed') throw new Error('wrong event');
    expect(event.properties).toMatchObject({
      cart_id: CART_TOKEN,
      item_count: 2,
      value: 1259.9,
      currency: 'USD',
    });
    expect(event.properties.products).toHaveLength(1);
    expect(event.properties.products[0]).toMatchObject({ sku: 'sku-managed-1', quantity: 2, price: 629.95 });
    expect(untrustedCartLink(out)).toEqual({ anonymous_id: CLIENT_ID, cart_token: CART_TOKEN });
  });

  it('search_submitted → Products Searched', async () => {
    const { event } = await only('web-pixel-search-submitted.json');
    if (event.name !== 'Products Searched') throw new Error('wrong event');
    expect(event.properties.query).toBe('skate');
    expect(event.properties.products).toEqual([]);
    expect(event.properties.result_count).toBe(0);
  });

  it.each(['web-pixel-checkout-started.json', 'web-pixel-checkout-completed.json'] as const)(
    '%s → no event, only an untrusted link of the browser to the checkout and cart tokens',
    async (file) => {
      const out = normalize(await queued(file));
      if (out.kind !== 'normalized') throw new Error('expected normalized output');
      expect(out.events).toEqual([]);
      expect(out.people).toEqual([]);
      expect(untrustedCartLink(out)).toEqual({
        anonymous_id: CLIENT_ID,
        cart_token: CART_TOKEN,
        checkout_token: CHECKOUT_TOKEN,
      });
    },
  );

  it('never identifies from an email inside a beacon', async () => {
    const raw = pixelSample('web-pixel-checkout-started.json') as unknown as {
      data: { checkout: Record<string, unknown> };
    };
    raw.data.checkout.email = 'buyer@example.com';
    const envelope = pixelEnvelope('checkout_started', raw);
    const out = normalize(envelope);
    expect(JSON.stringify(out)).not.toContain('buyer@example.com');
  });

  it('ignores a checkout beacon that reveals no token', () => {
    const raw = pixelSample('web-pixel-checkout-started.json') as unknown as Record<string, unknown> & {
      data: { checkout: Record<string, unknown> };
    };
    raw.data.checkout.token = null;
    const { context: _page, ...withoutPage } = raw;
    expect(normalize(pixelEnvelope('checkout_started', withoutPage))).toEqual({
      kind: 'ignored',
      reason: 'checkout beacon without a token',
    });
  });

  it('never dates an event after it was received (the browser clock is untrusted)', () => {
    const raw = { ...pixelSample('web-pixel-search-submitted.json'), timestamp: '2099-01-01T00:00:00.000Z' };
    const out = normalize(pixelEnvelope('search_submitted', raw));
    if (out.kind !== 'normalized') throw new Error('expected normalized output');
    expect(out.events[0]?.occurred_at).toBe('2026-11-28T12:00:00.000Z');
  });

  it('throws PayloadValidationError when the data does not match the topic', () => {
    const raw = pixelSample('web-pixel-search-submitted.json');
    expect(() => normalize(pixelEnvelope('product_viewed', raw))).toThrow(PayloadValidationError);
  });

  it('turns a landing page_viewed into a first-touch candidate for the browser, and no event', () => {
    const raw = pixelSample('web-pixel-page-viewed.json');
    const out = normalize(pixelEnvelope('page_viewed', raw));
    if (out.kind !== 'normalized') throw new Error('expected normalized output');
    expect(out.events).toEqual([]);
    expect(out.people).toEqual([]);
    // The capture lands on a checkout URL with campaign parameters (no utm_source): a landing.
    expect(out.signals).toEqual([
      {
        type: 'acquisition_touch',
        origin: 'browser',
        anonymous_id: raw.clientId,
        attributes: {
          acquisition_source: '(not set)',
          acquisition_medium: 'checkout',
          acquisition_campaign: 'shopifySale',
          first_landing_page:
            'https://store.myshopify.com/checkouts/cn/Z2NwLXVzLWVhc3QxOjAxSjY5OVpIRURQNERFMDBKUTVaRkI4UzdU' +
            '?utm_campaign=shopifySale&utm_medium=checkout&utm_term=term_checkout&utm_content=web&utm_custom1=customutm',
        },
        observed_at: '2024-09-15T17:24:30.373Z',
      },
    ]);
  });

  it('ignores a page_viewed inside the shop (not a landing)', () => {
    const raw = pixelSample('web-pixel-page-viewed.json');
    const inside = {
      ...raw,
      context: {
        document: {
          location: { href: 'https://store.myshopify.com/products/x' },
          referrer: 'https://store.myshopify.com/',
        },
      },
    };
    expect(normalize(pixelEnvelope('page_viewed', inside)).kind).toBe('ignored');
  });
});

describe('cart token parsing', () => {
  it('takes the token out of a cart GID, a bare token, or a checkout URL', () => {
    expect(cartTokenFromId('gid://shopify/Cart/c1-abc123DEF?key=0f1e2d')).toBe('c1-abc123DEF');
    expect(cartTokenFromId(CART_TOKEN)).toBe(CART_TOKEN);
    expect(cartTokenFromId('')).toBeUndefined();
    expect(cartTokenFromId('not a token!')).toBeUndefined();
    expect(cartTokenFromUrl(`https://shop.example/checkouts/cn/${CART_TOKEN}?x=1`)).toBe(CART_TOKEN);
    expect(cartTokenFromUrl('https://shop.example/products/board')).toBeUndefined();
    expect(cartTokenFromUrl('not a url')).toBeUndefined();
  });
});
