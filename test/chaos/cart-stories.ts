import { LOCAL_DEFAULTS } from '../../local/local-config.js';
import { readSample } from '../helpers/fixtures.js';
import { checkoutBody, type Line, orderBody, pixel } from '../helpers/journey-deliveries.js';
import type { StoryContext } from './order-stories.js';
import { beaconDelivery, drawTiming, shopifyDelivery } from './planned-deliveries.js';
import type { ExpectedEvent, PlannedDelivery, Story, ToleratedEvent } from './scenario-types.js';

type Json = Record<string, unknown>;

/** A storefront beacon of the local shop, as the custom pixel posts it; its page URL is unique to it. */
const beacon = (ctx: StoryContext, name: string, browser: string, at: Date, data: unknown, path: string) => {
  const id = ctx.world.nextId('beacon');
  const href = `${LOCAL_DEFAULTS.storefrontOrigin}${path}?v=${id}`;
  return {
    href,
    body: {
      shop: LOCAL_DEFAULTS.shop,
      key: LOCAL_DEFAULTS.storefrontKey,
      event: {
        id,
        name,
        clientId: browser,
        timestamp: at.toISOString(),
        seq: 1,
        type: 'standard',
        data,
        context: { document: { location: { href }, referrer: null, title: 'Chaos Coffee' } },
      },
    },
  };
};

/** Shopify's carts/create or carts/update for an anonymous cart, built on the published sample. */
const cartBody = (token: string, at: Date): string => {
  const sample = JSON.parse(readSample('shopify/carts-create.json')) as Json;
  return JSON.stringify({
    ...sample,
    id: token,
    token,
    created_at: at.toISOString(),
    updated_at: at.toISOString(),
  });
};

const byPage = (href: string) => (attributes: Readonly<Record<string, unknown>>) =>
  attributes.page_url === href;

/**
 * Browsing before the cart: a product view and a cart view (which attaches the browser to the cart token), each
 * expected once, anonymous or merged into the person later.
 */
const browsing = (ctx: StoryContext, cartToken: string, lines: readonly Line[], at: number) => {
  const browser = ctx.world.nextId('browser');
  const first = lines[0];
  const views = [
    ...(first
      ? [
          {
            name: 'product_viewed',
            event: 'Product Viewed',
            ...beacon(
              ctx,
              'product_viewed',
              browser,
              new Date(at),
              pixel.productViewed(first.product),
              '/products/p',
            ),
          },
        ]
      : []),
    {
      name: 'cart_viewed',
      event: 'Cart Viewed',
      ...beacon(ctx, 'cart_viewed', browser, new Date(at + 200), pixel.cartViewed(cartToken, lines), '/cart'),
    },
  ];
  const deliveries = views.map((view, i) =>
    beaconDelivery(view.body, drawTiming(ctx.random, ctx.random.int(0, 600) + i * 100, ctx.duplicateRate)),
  );
  const expected: ExpectedEvent[] = views.map((view, i) => ({
    key: `${view.event} beacon=${view.body.event.id}`,
    name: view.event,
    matches: byPage(view.href),
    deliveries: [deliveries[i]?.deliveryId ?? ''],
  }));
  return { deliveries, expected };
};

/**
 * A shopper browses, fills a cart and starts a checkout; then either walks away (Checkout Abandoned for every
 * recovery step) or orders (no Abandoned expected; one may still come when the order reached the connector only
 * after a step was due, which the run tolerates and counts).
 */
export const checkoutStory = (ctx: StoryContext, converts: boolean): Story => {
  const { random, world } = ctx;
  // Whoever walks away must not order anything else meanwhile (that ends the recovery: `ordered_elsewhere`).
  const shopper = converts ? random.pick(world.shoppers) : world.freshShopper();
  const cartToken = random.hex(32);
  const checkoutToken = random.hex(32);
  const lines = world.lines(random);
  const at = ctx.start + random.int(0, 1_000);
  const timing = (offset: number) => drawTiming(random, offset, ctx.duplicateRate);
  const browsed = browsing(ctx, cartToken, lines, at);
  const cart = shopifyDelivery(
    'carts/create',
    cartBody(cartToken, new Date(at + 300)),
    world.nextId('wh'),
    timing(random.int(200, 900)),
  );
  const checkout = shopifyDelivery(
    'checkouts/create',
    JSON.stringify(checkoutBody({ token: checkoutToken, cartToken, shopper, at: new Date(at + 600), lines })),
    world.nextId('wh'),
    timing(random.int(400, 1_200)),
  );
  const deliveries: PlannedDelivery[] = [...browsed.deliveries, cart, checkout];
  const expected: ExpectedEvent[] = [
    ...browsed.expected,
    {
      key: `Checkout Started checkout=${checkoutToken}`,
      name: 'Checkout Started',
      matches: (attributes) => attributes.checkout_id === checkoutToken,
      deliveries: [checkout.deliveryId],
    },
  ];
  const tolerated: ToleratedEvent[] = [];
  const abandoned = (attributes: Readonly<Record<string, unknown>>) => attributes.cart_id === cartToken;
  if (converts) {
    const orderId = world.nextNumericId();
    const order = orderBody({
      id: orderId,
      shopper,
      at: new Date(at + 900),
      lines,
      cartToken,
      checkoutToken,
    });
    const placed = shopifyDelivery(
      'orders/create',
      JSON.stringify(order),
      world.nextId('wh'),
      timing(random.int(600, 1_500)),
    );
    deliveries.push(placed);
    expected.push({
      key: `Order Completed order=${orderId}`,
      name: 'Order Completed',
      matches: (attributes) => attributes.order_id === orderId,
      deliveries: [placed.deliveryId],
    });
    tolerated.push({
      why: 'order learnt after a recovery step was due',
      name: 'Checkout Abandoned',
      matches: abandoned,
    });
  } else {
    for (const step of [1, 2]) {
      expected.push({
        key: `Checkout Abandoned cart=${cartToken} step=${step}`,
        name: 'Checkout Abandoned',
        matches: (attributes) => abandoned(attributes) && attributes.step === step,
        deliveries: [checkout.deliveryId],
        cartStep: { cartToken, step },
      });
    }
  }
  return { kind: converts ? 'checkout-converted' : 'checkout-abandoned', deliveries, expected, tolerated };
};

/** A shopper who browses and fills a cart but never says who they are: their browsing only, never an Abandoned. */
export const anonymousCartStory = (ctx: StoryContext): Story => {
  const { random, world } = ctx;
  const cartToken = random.hex(32);
  const at = ctx.start + random.int(0, 1_000);
  const browsed = browsing(ctx, cartToken, world.lines(random), at);
  const cart = shopifyDelivery(
    'carts/create',
    cartBody(cartToken, new Date(at + 300)),
    world.nextId('wh'),
    drawTiming(random, random.int(200, 900), ctx.duplicateRate),
  );
  return { kind: 'anonymous-cart', deliveries: [...browsed.deliveries, cart], expected: browsed.expected };
};
