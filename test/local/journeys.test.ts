import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import {
  attributesAt,
  type CaptureModel,
  findPerson,
  type Person,
  peopleFromCapture,
} from '../../shared/journeys/capture-people.js';
import { spanMs } from '../../shared/journeys/conditions.js';
import {
  type CampaignOutcome,
  channelsMessaged,
  matches,
  runCampaign,
} from '../../shared/journeys/evaluate.js';
import { EXAMPLE, RECIPES, type Recipe } from '../../shared/journeys/recipes.js';
import { checkName } from '../../shared/journeys/render-recipe.js';
import { silentLog } from '../../shared/ports/telemetry.js';
import { readCaptureFile } from '../helpers/capture-file.js';
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
} from '../helpers/journey-deliveries.js';
import { waitForCartChecks, waitForQuiet } from '../helpers/local-stack-quiet.js';

// One recovery step, 15 s after the last cart activity: long enough for an order sent right after a checkout to
// be processed first (the rescued shoppers), short enough to wait for.
const CART_STEPS = '0.25';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const PRODUCTS = {
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
const PHASES = ['history', 'setup', 'act', 'after', 'after-recovery'] as const;
type Phase = (typeof PHASES)[number];
type Step = (api: string, t0: number) => Promise<void>;

/** A recipe's scenario: deliveries that make the recipe true for `enters` and false for `staysOut`. */
interface Scenario {
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
  (who: Shopper, items: Line[] = lines(PRODUCTS.grinder)): Step =>
  (api) =>
    sendShopify(
      api,
      'checkouts/create',
      checkoutBody({
        token: tokens(who).checkout,
        cartToken: tokens(who).cart,
        shopper: who,
        at: new Date(),
        lines: items,
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

/** Scenarios by recipe id. Every recipe has one (checked below). */
const scenarios = ((): Record<string, Scenario> => {
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
        act: [cancel(secondOrder, 12 * HOUR)],
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
      enters: [emailOptIn, smsOptIn],
      staysOut: [noConsent, unsubscribed, rescuedBuyer],
      phases: {
        history: [
          emailConsent(emailOptIn, 'subscribed'),
          smsConsent(smsOptIn, '+16135550142'),
          emailConsent(noConsent, 'not_subscribed'),
          emailConsent(unsubscribed, 'unsubscribed'),
          emailConsent(rescuedBuyer, 'subscribed'),
        ],
        setup: [emailOptIn, smsOptIn, noConsent, unsubscribed, rescuedBuyer].map((who) => startCheckout(who)),
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
const STRANGER = 'browser-never-linked';

/** How far past now campaigns are judged: after their longest delay, assuming nothing else arrives. */
const horizon = (recipe: Recipe): number =>
  recipe.audience.kind === 'campaign'
    ? Math.max(...recipe.audience.campaign.messages.map((m) => spanMs(m.after))) + 60_000
    : 0;

/** Whether the recipe reaches the person: segment membership now, or a campaign message sent by its horizon. */
const verdict = (recipe: Recipe, person: Person | undefined, now: number): boolean => {
  if (!person) return false;
  if (recipe.audience.kind === 'segment') return matches(recipe.audience.condition, person, now);
  return channelsMessaged(runCampaign(recipe.audience.campaign, person, now + horizon(recipe))).length > 0;
};

describe('journeys: every recipe of docs/journeys.md on what the connector sent (local stack → capture)', () => {
  let stack: LocalStack;
  let dataDir: string;
  let model: CaptureModel;
  let now: number;
  const person = (who: Shopper): Person | undefined => findPerson(model, { id: who.customerId });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'journeys-'));
    stack = await startLocalStack({
      apiPort: 0,
      dataDir,
      visibilityTimeoutSeconds: 1,
      cartRecoveryStepsMinutes: CART_STEPS,
      log: silentLog,
    });
    const t0 = Date.now();
    await sendBeacon(stack.apiUrl, {
      name: 'product_viewed',
      browser: STRANGER,
      at: new Date(t0),
      data: pixel.productViewed(PRODUCTS.grinder),
    });
    for (const phase of PHASES) {
      if (phase === 'after-recovery') await waitForCartChecks(stack);
      await Promise.all(
        Object.values(scenarios).flatMap((s) =>
          (s.phases[phase] ?? []).map((step) => step(stack.apiUrl, t0)),
        ),
      );
      await waitForQuiet(stack);
    }
    await waitForCartChecks(stack);
    model = peopleFromCapture(readCaptureFile(join(dataDir, 'customerio-capture.jsonl')));
    now = Date.now();
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('has a scenario for every recipe, and no other', () => {
    expect(Object.keys(scenarios).sort()).toEqual(RECIPES.map((r) => r.id).sort());
  });

  it('parked nothing and captured only operations the model reads', () => {
    const parked = ['inbox-dlq', 'outbox-dlq'].flatMap(
      (q) => stack.fauxqs.inspectQueue(q)?.messages.ready ?? [],
    );
    expect(parked.map((m) => m.body.slice(0, 200))).toEqual([]);
    expect(model.unreadable).toEqual([]);
  });

  for (const recipe of RECIPES) {
    it(checkName(recipe.id), () => {
      const { id } = recipe;
      const scenario = scenarios[id];
      if (!scenario) throw new Error(`no scenario for ${id}`);
      const expected = Object.fromEntries([
        ...scenario.enters.map((who) => [who.email, true] as const),
        ...scenario.staysOut.map((who) => [who.email, false] as const),
      ]);
      const actual = Object.fromEntries(
        [...scenario.enters, ...scenario.staysOut].map((who) => [
          who.email,
          verdict(recipe, person(who), now),
        ]),
      );
      expect(actual).toEqual(expected);
    });
  }

  it.each(RECIPES.map((recipe) => [recipe.id, recipe] as const))(
    '%s: every Liquid field the template reads is filled for the entering people',
    (id, recipe) => {
      const scenario = scenarios[id];
      if (!scenario) throw new Error(`no scenario for ${id}`);
      const missing = scenario.enters.flatMap((who) => {
        const found = person(who);
        if (!found) return [`${who.email}: no profile`];
        const outcome: CampaignOutcome | undefined =
          recipe.audience.kind === 'campaign'
            ? runCampaign(recipe.audience.campaign, found, now + horizon(recipe))
            : undefined;
        const eventData = outcome?.kind === 'entered' ? outcome.trigger.data : {};
        return recipe.liquid
          .filter((field) => field.fallback === undefined)
          .filter((field) => {
            const [root, ...path] = field.path.replace('[]', '.0').split('.');
            let value: unknown = root === 'customer' ? attributesAt(found) : eventData;
            for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
            return value === undefined;
          })
          .map((field) => `${who.email}: ${field.path}`);
      });
      expect(missing).toEqual([]);
    },
  );

  it('cart recovery: each shopper gets the channel they consented to, and only that one', () => {
    const audience = RECIPES.find((r) => r.id === 'cart-recovery')?.audience;
    if (audience?.kind !== 'campaign') throw new Error('cart-recovery is a campaign');
    const [email, sms] = scenarios['cart-recovery']?.enters ?? [];
    const channels = (who: Shopper | undefined) => {
      const found = who && person(who);
      return found ? channelsMessaged(runCampaign(audience.campaign, found, now)) : [];
    };
    expect({ email: channels(email), sms: channels(sms) }).toEqual({ email: ['email'], sms: ['sms'] });
  });

  it('a browser never linked to a person stays anonymous: in the capture, in no profile', () => {
    expect(model.anonymousEvents.filter((e) => e.anonymousId === STRANGER).map((e) => e.event.name)).toEqual([
      'Product Viewed',
    ]);
    expect(model.people.filter((p) => p.anonymousIds.includes(STRANGER))).toEqual([]);
  });
});
