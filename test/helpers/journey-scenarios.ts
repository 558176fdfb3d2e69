/**
 * The journey scenarios: for every recipe of docs/journeys.md, the signed webhooks and storefront beacons that make
 * it true for some shoppers and false for others, grouped in phases the run delivers one after the other.
 */
import { EXAMPLE } from '../../shared/journeys/recipes.js';
import {
  cancelledBody,
  checkoutBody,
  emailConsentBody,
  fulfilledBody,
  type Line,
  type OrderSpec,
  orderBody,
  type Product,
  pixel,
  type Shopper,
  sendBeacon,
  sendJudgemeReview,
  sendShopify,
  smsConsentBody,
} from './journey-deliveries.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The coffee shop the scenarios buy from; the replenished product and the affinity category are the recipes'. */
export const PRODUCTS = {
  beans: {
    productId: EXAMPLE.replenishProductId,
    variantId: '9100000000001',
    title: 'House Blend Beans 1 kg',
    category: 'Coffee',
    price: 24,
  },
  grinder: {
    productId: '9000000000002',
    variantId: '9100000000002',
    title: 'Burr Grinder',
    category: EXAMPLE.affinityCategory,
    price: 189,
  },
  cup: {
    productId: '9000000000003',
    variantId: '9100000000003',
    title: 'Ceramic Cup',
    category: 'Accessories',
    price: 18,
  },
} satisfies Record<string, Product>;

const lines = (product: Product, quantity = 1): Line[] => [{ product, quantity }];

let people = 0;
/** A fresh Shopify customer for one scenario role. */
const shopper = (role: string): Shopper => {
  people += 1;
  return { customerId: String(7_100_000_000 + people), email: `${role}@journeys.example` };
};

/** The moments of a scenario run: they happen in this order, each once the stack delivered the one before. */
export const PHASES = ['history', 'setup', 'act', 'after', 'after-recovery'] as const;
/** One moment of a scenario run. */
type Phase = (typeof PHASES)[number];
/** One delivery (or a few) to the local stack at `api`; `t0` is the run's start, for dating history. */
type Step = (api: string, t0: number) => Promise<void>;

/** A recipe's scenario: deliveries that make the recipe true for `enters` and false for `staysOut`. */
export interface Scenario {
  readonly enters: readonly Shopper[];
  readonly staysOut: readonly Shopper[];
  readonly phases: Partial<Record<Phase, readonly Step[]>>;
}

let orders = 0;
const order = (who: Shopper, agoMs: number, items: Line[], extra: Partial<OrderSpec> = {}) => {
  orders += 1;
  const id = String(5_500_000_000 + orders);
  return {
    id,
    spec: (t0: number): OrderSpec => ({ id, shopper: who, at: new Date(t0 - agoMs), lines: items, ...extra }),
  };
};
const placeOrder =
  (o: ReturnType<typeof order>): Step =>
  (api, t0) =>
    sendShopify(api, 'orders/create', orderBody(o.spec(t0)));
const fulfil =
  (o: ReturnType<typeof order>): Step =>
  (api, t0) =>
    sendShopify(api, 'orders/fulfilled', fulfilledBody(o.spec(t0), new Date(t0)));
const cancel =
  (o: ReturnType<typeof order>, agoMs: number): Step =>
  (api, t0) =>
    sendShopify(api, 'orders/cancelled', cancelledBody(o.spec(t0), new Date(t0 - agoMs)));
const buy = (who: Shopper, agoMs: number, items: Line[], extra: Partial<OrderSpec> = {}): Step =>
  placeOrder(order(who, agoMs, items, extra));

const emailConsent =
  (who: Shopper, state: string): Step =>
  (api, t0) =>
    sendShopify(
      api,
      'customers_email_marketing_consent/update',
      emailConsentBody(who, state, new Date(t0 - DAY)),
    );
const smsConsent =
  (who: Shopper, phone: string): Step =>
  (api, t0) =>
    sendShopify(
      api,
      'customers_marketing_consent/update',
      smsConsentBody(who, phone, 'subscribed', new Date(t0 - DAY)),
    );

const tokens = (who: Shopper) => ({ cart: `cart-${who.customerId}`, checkout: `chk-${who.customerId}` });
const startCheckout =
  (who: Shopper, items: Line[] = lines(PRODUCTS.grinder), emailConsent?: string): Step =>
  (api, t0) =>
    sendShopify(
      api,
      'checkouts/create',
      checkoutBody({
        token: tokens(who).checkout,
        cartToken: tokens(who).cart,
        shopper: who,
        at: new Date(),
        lines: items,
        ...(emailConsent ? { emailConsent: { state: emailConsent, at: new Date(t0 - DAY) } } : {}),
      }),
    );
const buyCheckout = (who: Shopper, items: Line[] = lines(PRODUCTS.grinder)): Step =>
  buy(who, 0, items, { cartToken: tokens(who).cart, checkoutToken: tokens(who).checkout });

const browser = (who: Shopper): string => `browser-${who.customerId}`;
/** A storefront beacon from the shopper's browser, `agoMs` before the run; the browser reveals its cart token. */
const browse =
  (who: Shopper, name: 'product_viewed' | 'product_added_to_cart', agoMs: number): Step =>
  async (api, t0) => {
    const data =
      name === 'product_viewed'
        ? pixel.productViewed(PRODUCTS.grinder)
        : pixel.addedToCart(lines(PRODUCTS.grinder)[0] as Line);
    await sendBeacon(api, { name, browser: browser(who), at: new Date(t0 - agoMs), data });
    await sendBeacon(api, {
      name: 'cart_viewed',
      browser: browser(who),
      at: new Date(t0 - agoMs),
      data: pixel.cartViewed(tokens(who).cart, lines(PRODUCTS.grinder)),
    });
  };

const review =
  (who: Shopper, product: Product): Step =>
  (api) =>
    sendJudgemeReview(api, { id: `rv-${who.customerId}`, shopper: who, product, at: new Date() });

/** Scenarios by recipe id (test/local/journeys.test.ts checks that every recipe has one). */
export const SCENARIOS = ((): Record<string, Scenario> => {
  const viewer = shopper('viewer');
  const staleViewer = shopper('stale-viewer');

  const abandoner = shopper('abandoner');
  const rescued = shopper('rescued');
  const boughtLater = shopper('bought-later');

  const twice = shopper('twice');
  const once = shopper('once');
  const cancelledSecond = shopper('cancelled-second');
  const secondOrder = order(cancelledSecond, DAY, lines(PRODUCTS.beans));

  const bigBasket = shopper('big-basket');
  const smallBasket = shopper('small-basket');

  const lapsed = shopper('lapsed');
  const returned = shopper('returned');

  const equipmentFan = shopper('equipment-fan');
  const coffeeOnly = shopper('coffee-only');

  const vip = shopper('vip');
  const singleCategory = shopper('single-category');

  const due = shopper('replenish-due');
  const restocked = shopper('restocked');
  const otherProduct = shopper('other-product');

  const emailOptIn = shopper('email-opt-in');
  const smsOptIn = shopper('sms-opt-in');
  const noConsent = shopper('no-consent');
  const unsubscribed = shopper('unsubscribed');
  const rescuedBuyer = shopper('rescued-buyer');
  // Known only from a checkout that states a dated opt-in: its identify gives the profile an email and consent.
  const checkoutOnly = shopper('checkout-only');

  const cartBrowser = shopper('cart-browser');
  const cartBuyer = shopper('cart-buyer');

  const buyer = shopper('buyer');
  const testBuyer = shopper('test-buyer');
  const quietBuyer = shopper('quiet-buyer');

  const toReview = shopper('to-review');
  const reviewedBefore = shopper('reviewed-before');
  const reviewsMeanwhile = shopper('reviews-meanwhile');
  const fulfilment = (who: Shopper) => order(who, DAY, lines(PRODUCTS.grinder));
  const [toReviewOrder, reviewedBeforeOrder, reviewsMeanwhileOrder] = [
    toReview,
    reviewedBefore,
    reviewsMeanwhile,
  ].map(fulfilment) as [ReturnType<typeof order>, ReturnType<typeof order>, ReturnType<typeof order>];

  return {
    'viewed-product-last-day': {
      enters: [viewer],
      staysOut: [staleViewer],
      phases: {
        history: [browse(viewer, 'product_viewed', 2 * HOUR), browse(staleViewer, 'product_viewed', 2 * DAY)],
        setup: [startCheckout(viewer), startCheckout(staleViewer)],
      },
    },
    'added-to-cart-no-order-4-hours': {
      enters: [abandoner],
      staysOut: [rescued, boughtLater],
      phases: {
        setup: [startCheckout(abandoner), startCheckout(rescued), startCheckout(boughtLater)],
        act: [buyCheckout(rescued)],
        'after-recovery': [buyCheckout(boughtLater)],
      },
    },
    'purchased-2-plus': {
      enters: [twice],
      staysOut: [once, cancelledSecond],
      phases: {
        history: [
          buy(twice, 20 * DAY, lines(PRODUCTS.beans)),
          buy(once, 20 * DAY, lines(PRODUCTS.beans)),
          buy(cancelledSecond, 20 * DAY, lines(PRODUCTS.beans)),
        ],
        setup: [buy(twice, DAY, lines(PRODUCTS.beans)), placeOrder(secondOrder)],
        // A review names only the email: it must not reset the order figures of the customer's profile.
        act: [cancel(secondOrder, 12 * HOUR), review(twice, PRODUCTS.beans)],
      },
    },
    'high-aov': {
      enters: [bigBasket],
      staysOut: [smallBasket],
      phases: {
        history: [
          buy(bigBasket, 3 * DAY, lines(PRODUCTS.grinder, 2)),
          buy(smallBasket, 3 * DAY, lines(PRODUCTS.cup)),
        ],
      },
    },
    winback: {
      enters: [lapsed],
      staysOut: [returned],
      phases: {
        history: [
          buy(lapsed, 120 * DAY, lines(PRODUCTS.beans)),
          buy(returned, 120 * DAY, lines(PRODUCTS.beans)),
        ],
        setup: [buy(returned, 10 * DAY, lines(PRODUCTS.beans))],
      },
    },
    'category-affinity': {
      enters: [equipmentFan],
      staysOut: [coffeeOnly],
      phases: {
        history: [
          buy(equipmentFan, 5 * DAY, lines(PRODUCTS.grinder)),
          buy(coffeeOnly, 5 * DAY, lines(PRODUCTS.beans, 2)),
        ],
      },
    },
    'vip-tier': {
      enters: [vip],
      staysOut: [singleCategory],
      phases: {
        history: [
          buy(vip, 60 * DAY, lines(PRODUCTS.grinder)),
          buy(singleCategory, 60 * DAY, lines(PRODUCTS.beans, 5)),
        ],
        setup: [
          buy(vip, 30 * DAY, lines(PRODUCTS.beans, 5)),
          buy(singleCategory, 30 * DAY, lines(PRODUCTS.beans, 5)),
        ],
        act: [
          buy(vip, 2 * DAY, lines(PRODUCTS.grinder)),
          buy(singleCategory, 2 * DAY, lines(PRODUCTS.beans, 5)),
        ],
      },
    },
    replenishment: {
      enters: [due],
      staysOut: [restocked, otherProduct],
      phases: {
        history: [
          buy(due, 35 * DAY, lines(PRODUCTS.beans)),
          buy(restocked, 35 * DAY, lines(PRODUCTS.beans)),
          buy(otherProduct, 35 * DAY, lines(PRODUCTS.cup)),
        ],
        setup: [buy(restocked, 3 * DAY, lines(PRODUCTS.beans))],
      },
    },
    'cart-recovery': {
      enters: [emailOptIn, smsOptIn, checkoutOnly],
      staysOut: [noConsent, unsubscribed, rescuedBuyer],
      phases: {
        history: [
          emailConsent(emailOptIn, 'subscribed'),
          smsConsent(smsOptIn, '+16135550142'),
          emailConsent(noConsent, 'not_subscribed'),
          emailConsent(unsubscribed, 'unsubscribed'),
          emailConsent(rescuedBuyer, 'subscribed'),
        ],
        setup: [
          ...[emailOptIn, smsOptIn, noConsent, unsubscribed, rescuedBuyer].map((who) => startCheckout(who)),
          startCheckout(checkoutOnly, lines(PRODUCTS.grinder), 'subscribed'),
        ],
        act: [buyCheckout(rescuedBuyer)],
      },
    },
    'cart-recovery-customerio-delays': {
      enters: [cartBrowser],
      staysOut: [cartBuyer],
      phases: {
        history: [
          emailConsent(cartBrowser, 'subscribed'),
          emailConsent(cartBuyer, 'subscribed'),
          browse(cartBrowser, 'product_added_to_cart', 60_000),
          browse(cartBuyer, 'product_added_to_cart', 60_000),
        ],
        setup: [startCheckout(cartBrowser), startCheckout(cartBuyer)],
        act: [buyCheckout(cartBuyer)],
      },
    },
    'post-purchase-cross-sell': {
      enters: [buyer],
      staysOut: [testBuyer, quietBuyer],
      phases: {
        history: [
          emailConsent(buyer, 'subscribed'),
          emailConsent(testBuyer, 'subscribed'),
          emailConsent(quietBuyer, 'not_subscribed'),
        ],
        setup: [
          buy(buyer, 0, lines(PRODUCTS.grinder)),
          buy(testBuyer, 0, lines(PRODUCTS.grinder), { test: true }),
          buy(quietBuyer, 0, lines(PRODUCTS.grinder)),
        ],
      },
    },
    'review-request': {
      enters: [toReview],
      staysOut: [reviewedBefore, reviewsMeanwhile],
      phases: {
        history: [toReview, reviewedBefore, reviewsMeanwhile].map((who) => emailConsent(who, 'subscribed')),
        setup: [
          placeOrder(toReviewOrder),
          placeOrder(reviewedBeforeOrder),
          placeOrder(reviewsMeanwhileOrder),
        ],
        act: [review(reviewedBefore, PRODUCTS.grinder)],
        after: [fulfil(toReviewOrder), fulfil(reviewedBeforeOrder), fulfil(reviewsMeanwhileOrder)],
        'after-recovery': [review(reviewsMeanwhile, PRODUCTS.grinder)],
      },
    },
  };
})();

/** A browser that views a product and is never linked to anyone. */
export const STRANGER = 'browser-never-linked';
