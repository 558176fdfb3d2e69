import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DEFAULTS } from '../../local/local-config.js';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { silentLog } from '../../shared/ports/telemetry.js';
import { readSample } from '../helpers/fixtures.js';
import { beaconRequest, sendPlatformRequest } from '../helpers/platform-requests.js';
import { waitFor } from '../helpers/wait-for.js';

type Json = Record<string, unknown>;

/** What storefront/custom-pixel.js posts for a Web Pixel event: its data (checkout reduced) and the page. */
const pixelBody = (event: Json): Json => {
  const data = event.data as Json;
  const checkout = data.checkout as Json | undefined;
  const context = event.context as { document: { location: { href: string }; referrer?: string } };
  return {
    shop: LOCAL_DEFAULTS.shop,
    key: LOCAL_DEFAULTS.storefrontKey,
    event: {
      id: event.id,
      name: event.name,
      clientId: event.clientId,
      timestamp: event.timestamp,
      seq: event.seq,
      type: event.type,
      data: checkout
        ? {
            checkout: {
              token: checkout.token ?? null,
              currencyCode: checkout.currencyCode ?? null,
              lineItems: checkout.lineItems ?? [],
              subtotalPrice: checkout.subtotalPrice ?? null,
              totalPrice: checkout.totalPrice ?? null,
              totalTax: checkout.totalTax ?? null,
              order: { id: (checkout.order as Json | undefined)?.id ?? null },
            },
          }
        : data,
      context: {
        document: {
          location: { href: context.document.location.href },
          referrer: context.document.referrer ?? null,
        },
      },
    },
  };
};

const sample = (name: string): Json => JSON.parse(readSample(`shopify/web-pixel-${name}.json`)) as Json;

/** `count` copies of the sample's list entries, each with its own id. */
const repeated = (list: Json[], count: number, idBase: number): Json[] =>
  Array.from({ length: count }, (_, i) => ({ ...list[i % list.length], id: String(idBase + i) }));

/**
 * Beacons the shipped custom pixel sends on ordinary shops: a large collection page, a 25-line checkout, a cart page
 * before any cart exists. The pixel cannot retry a refused beacon, so each must be taken (202) and become its event.
 */
describe('storefront beacons of real size and shape (local stack)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ apiPort: 0, log: silentLog });
  });
  afterAll(async () => stack?.stop());

  /** The anonymous event Customer.io received for this browser (Track API v1 anonymous events). */
  const anonymousEvent = (name: string, clientId: string) =>
    waitFor(
      () =>
        (stack.capture?.requests ?? [])
          .map((request) => request.body as { anonymous_id?: string; name?: string; data?: Json })
          .find((body) => body?.anonymous_id === clientId && body.name === name),
      15_000,
      name,
    );

  it('takes a collection page of 48 products (about 21 KB) and records the view', async () => {
    const event = sample('collection-viewed');
    const collection = (event.data as Json).collection as Json;
    collection.productVariants = repeated(collection.productVariants as Json[], 48, 40_000_000_000_000);
    event.clientId = 'big-collection-browser';
    const body = pixelBody(event);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(16 * 1024);
    const response = await sendPlatformRequest(stack.apiUrl, beaconRequest(body));
    expect(response.status).toBe(202);
    expect((await anonymousEvent('Collection Viewed', 'big-collection-browser')).data).toBeDefined();
  });

  it('takes a checkout of 25 lines (about 18 KB) and records its completion', async () => {
    const event = sample('checkout-completed');
    const checkout = (event.data as Json).checkout as Json;
    checkout.lineItems = repeated(checkout.lineItems as Json[], 25, 50_000_000_000_000);
    event.clientId = 'big-checkout-browser';
    const body = pixelBody(event);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(16 * 1024);
    const response = await sendPlatformRequest(stack.apiUrl, beaconRequest(body));
    expect(response.status).toBe(202);
  });

  it('takes a cart page viewed before any cart exists (cart: null) as an empty Cart Viewed', async () => {
    const event = sample('cart-viewed');
    (event.data as Json).cart = null;
    event.clientId = 'no-cart-browser';
    const response = await sendPlatformRequest(stack.apiUrl, beaconRequest(pixelBody(event)));
    expect(response.status).toBe(202);
    expect((await anonymousEvent('Cart Viewed', 'no-cart-browser')).data).toMatchObject({
      products: [],
      item_count: 0,
      value: 0,
    });
  });

  it('still refuses a beacon over the 64 KiB a keepalive request may carry', async () => {
    const event = sample('collection-viewed');
    const collection = (event.data as Json).collection as Json;
    collection.productVariants = repeated(collection.productVariants as Json[], 250, 60_000_000_000_000);
    const body = pixelBody(event);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(64 * 1024);
    const response = await sendPlatformRequest(stack.apiUrl, beaconRequest(body));
    expect(response.status).toBe(413);
  });
});
