import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { identityLink } from '../../../shared/identity/identity-signal.js';
import { identityStage, mergeKey } from '../../../shared/identity/identity-stage.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { normalized } from '../../../shared/normalize/normalizer.js';
import { processInboxMessage } from '../../../shared/process/process-envelope.js';
import { failureOf } from '../../helpers/failures.js';
import { identityPipeline } from '../../helpers/identity-pipeline.js';
import { shopifyEnvelope, shopifySampleObject, TEST_SHOP } from '../../helpers/shopify-envelope.js';
import { pixelSample } from '../sources/pixel/pixel-samples.js';

const CUSTOMER_ID = '115310627314723954';
const EMAIL = 'jon@example.com';

/** A cart_viewed beacon of one browser on one cart, as the beacon handler queues it. */
const cartViewed = (eventId: string, anonymousId: string, cartToken: string): WebhookEnvelope => {
  const raw = pixelSample('web-pixel-cart-viewed.json') as unknown as Record<string, unknown> & {
    data: { cart: { id: string } };
  };
  const { context: _page, pixelEventLabel: _label, ...event } = raw;
  return {
    version: 1,
    source: 'pixel',
    topic: 'cart_viewed',
    shop: TEST_SHOP,
    deliveryId: eventId,
    receivedAt: '2026-11-28T12:00:00.000Z',
    signed: false,
    body: JSON.stringify({
      ...event,
      id: eventId,
      clientId: anonymousId,
      data: { cart: { ...raw.data.cart, id: cartToken } },
    }),
  };
};

/** A signed orders/create of the sample buyer for a cart. */
const orderCreated = (
  deliveryId: string,
  cartToken: string,
  orderId = '820982911946154508',
): WebhookEnvelope => {
  const order = shopifySampleObject('orders-create.json');
  return shopifyEnvelope(
    'orders/create',
    JSON.stringify({ ...order, id: orderId, cart_token: cartToken, checkout_token: `co-${cartToken}` }),
    { deliveryId },
  );
};

const merges = (messages: OutboxMessage[]) =>
  messages.flatMap((m) => (m.type === 'identify' && m.update.attributes.anonymous_id ? [m] : []));

describe('identity stage in the process pipeline (in-memory store)', () => {
  it('delivers a lone beacon as an anonymous event and attaches the browser to its cart', async () => {
    const { run, sent, store } = identityPipeline();
    expect(await run(cartViewed('e1', 'anon-A', 'cart-1'))).toBe('processed');
    expect(sent()).toEqual([
      expect.objectContaining({ type: 'event', identifiers: { anonymous_id: 'anon-A' } }),
    ]);
    expect((await store.read(TEST_SHOP, 'cart_token', 'cart-1')).anonymousIds).toEqual(['anon-A']);
  });

  it('cross-device: an order reveals the owner of a cart two browsers share; each gets one merge identify', async () => {
    const { run, sent, telemetry } = identityPipeline();
    await run(cartViewed('e1', 'anon-phone', 'cart-1'));
    await run(cartViewed('e2', 'anon-desktop', 'cart-2'));
    await run(cartViewed('e3', 'anon-phone', 'cart-2'));
    await run(cartViewed('e4', 'anon-stranger', 'cart-3'));
    expect(await run(orderCreated('d1', 'cart-2'))).toBe('processed');

    const identifies = merges(sent());
    expect(identifies.map((m) => m.update.attributes.anonymous_id).sort()).toEqual([
      'anon-desktop',
      'anon-phone',
    ]);
    for (const m of identifies) {
      expect(m.identifiers).toEqual({ id: CUSTOMER_ID });
      expect(m.update.dedupe_key).toBe(mergeKey(TEST_SHOP, m.update.attributes.anonymous_id ?? ''));
      expect(m.update.person).toMatchObject({ customer_id: CUSTOMER_ID, email: EMAIL });
    }
    expect(telemetry.counters.get('AnonymousIdMerged')).toBe(2);

    // A second delivery about the same cart (orders/paid) sends no second merge.
    const before = sent().length;
    await run({ ...orderCreated('d2', 'cart-2'), topic: 'orders/paid' });
    expect(merges(sent().slice(before))).toEqual([]);
  });

  it('after the merge, later beacons of that browser are addressed to the person', async () => {
    const { run, sent } = identityPipeline();
    await run(cartViewed('e1', 'anon-A', 'cart-1'));
    await run(orderCreated('d1', 'cart-1'));
    const before = sent().length;
    await run(cartViewed('e2', 'anon-A', 'cart-9'));
    const later = sent().slice(before);
    expect(later).toHaveLength(1);
    const event = later[0];
    if (event?.type !== 'event') throw new Error('expected an event');
    expect(event.identifiers).toEqual({ id: CUSTOMER_ID });
    expect(event.event.person).toMatchObject({
      customer_id: CUSTOMER_ID,
      email: EMAIL,
      anonymous_id: 'anon-A',
    });
  });

  it('a browser that attaches to an already-owned cart is merged at once and its event goes to the person', async () => {
    const { run, sent } = identityPipeline();
    await run(orderCreated('d1', 'cart-1'));
    const before = sent().length;
    await run(cartViewed('e1', 'anon-late', 'cart-1'));
    const later = sent().slice(before);
    expect(later.map((m) => m.type)).toEqual(['identify', 'event']);
    expect(merges(later)[0]?.update.attributes).toEqual({ anonymous_id: 'anon-late' });
    expect(later[1]?.type === 'event' && later[1].identifiers).toEqual({ id: CUSTOMER_ID });
  });

  it('an anonymous id keeps its first person: a later owner of another of its carts does not take it', async () => {
    const { run, sent, telemetry } = identityPipeline();
    await run(cartViewed('e1', 'anon-A', 'cart-1'));
    await run(orderCreated('d1', 'cart-1'));
    await run(cartViewed('e2', 'anon-A', 'cart-2'));
    const other = shopifySampleObject('orders-create.json') as Record<string, unknown> & {
      customer: Record<string, unknown>;
    };
    const before = sent().length;
    await run(
      shopifyEnvelope(
        'orders/create',
        JSON.stringify({
          ...other,
          id: '2',
          email: 'bob@example.com',
          contact_email: 'bob@example.com',
          customer: { ...other.customer, id: '777', email: 'bob@example.com' },
          cart_token: 'cart-2',
        }),
        { deliveryId: 'd2' },
      ),
    );
    expect(merges(sent().slice(before))).toEqual([]);
    expect(telemetry.counters.get('AnonymousIdConflict')).toBe(1);
  });
});

describe('identity stage rules (unit)', () => {
  const pixel: WebhookEnvelope = {
    version: 1,
    source: 'pixel',
    topic: 'cart_viewed',
    shop: TEST_SHOP,
    deliveryId: 'x',
    receivedAt: '2026-11-28T12:00:00.000Z',
    signed: false,
    body: '{}',
  };
  const at = '2026-11-28T10:00:00.000Z';

  it('never lets an unsigned delivery bind a person, even if its signal claims to be trusted', async () => {
    const { store, telemetry } = identityPipeline();
    const stage = identityStage(store, telemetry);
    const forged = identityLink(
      true,
      { anonymous_id: 'anon-A', email: 'victim@example.com', cart_token: 'c1' },
      at,
    );
    const out = await stage.apply(normalized([], [], [forged]), pixel);
    expect(out.people).toEqual([]);
    expect(await store.read(TEST_SHOP, 'email', 'victim@example.com')).toEqual({ anonymousIds: [] });
    expect((await store.read(TEST_SHOP, 'cart_token', 'c1')).anonymousIds).toEqual(['anon-A']);
  });

  it('re-running the stage on the same output gives the same result (idempotent)', async () => {
    const { store, telemetry } = identityPipeline();
    const stage = identityStage(store, telemetry);
    await stage.apply(
      normalized([], [], [identityLink(false, { anonymous_id: 'a', cart_token: 'c' }, at)]),
      pixel,
    );
    const signed = { ...pixel, source: 'shopify' as const, topic: 'checkouts/update', signed: true };
    const link = identityLink(true, { email: 'ada@example.com', cart_token: 'c' }, at);
    const first = await stage.apply(normalized([], [], [link]), signed);
    const second = await stage.apply(normalized([], [], [link]), signed);
    expect(second).toEqual(first);
    expect(first.people).toEqual([
      {
        dedupe_key: mergeKey(TEST_SHOP, 'a'),
        source: 'shopify',
        shop: TEST_SHOP,
        occurred_at: at,
        person: { email: 'ada@example.com' },
        attributes: { anonymous_id: 'a' },
      },
    ]);
  });

  it('resolves a Recharge-only person through a stored trusted link', async () => {
    const { store, telemetry } = identityPipeline();
    const stage = identityStage(store, telemetry);
    const recharge = { ...pixel, source: 'recharge' as const, topic: 'customer/updated', signed: true };
    await stage.apply(
      normalized([], [], [identityLink(true, { recharge_customer_id: 'r1', email: 'ada@example.com' }, at)]),
      recharge,
    );
    const update = {
      dedupe_key: 'identify#r1',
      source: 'recharge' as const,
      shop: TEST_SHOP,
      occurred_at: at,
      person: { recharge_customer_id: 'r1' },
      attributes: { recharge_customer_id: 'r1' },
    };
    const out = await stage.apply(normalized([], [update]), recharge);
    expect(out.people[0]?.person).toEqual({ recharge_customer_id: 'r1', email: 'ada@example.com' });
    expect(telemetry.counters.get('PersonEnriched')).toBe(1);
  });

  it('enriches a person-less output from the tokens its delivery names', async () => {
    const { store, telemetry } = identityPipeline();
    const stage = identityStage(store, telemetry);
    await store.bindPerson(TEST_SHOP, 'cart_token', 'c1', { customer_id: '5' }, at);
    const update = {
      dedupe_key: 'identify#cart',
      source: 'shopify' as const,
      shop: TEST_SHOP,
      occurred_at: at,
      person: {},
      attributes: {},
    };
    const signed = { ...pixel, source: 'shopify' as const, topic: 'carts/update', signed: true };
    const out = await stage.apply(
      normalized([], [update], [identityLink(true, { cart_token: 'c1' }, at)]),
      signed,
    );
    expect(out.people[0]?.person).toEqual({ customer_id: '5' });
  });
});

describe('privacy deletion', () => {
  it('forgets the identity links of a redacted person (signed deliveries only)', async () => {
    const { run, store, telemetry } = identityPipeline();
    await run(cartViewed('e1', 'anon-A', 'cart-1'));
    await run(orderCreated('d1', 'cart-1'));
    expect((await store.read(TEST_SHOP, 'email', EMAIL)).person).toMatchObject({ customer_id: CUSTOMER_ID });
    const stage = identityStage(store, telemetry);
    const deletion = {
      dedupe_key: 'redact#1',
      source: 'shopify' as const,
      shop: TEST_SHOP,
      occurred_at: '2026-11-28T11:00:00.000Z',
      person: { customer_id: CUSTOMER_ID, email: EMAIL },
    };
    const unsigned = { ...orderCreated('d2', 'cart-1'), signed: false };
    await stage.apply({ ...normalized([]), deletions: [deletion] }, unsigned);
    expect((await store.read(TEST_SHOP, 'email', EMAIL)).person).toBeDefined();
    await stage.apply({ ...normalized([]), deletions: [deletion] }, orderCreated('d3', 'cart-1'));
    expect(await store.read(TEST_SHOP, 'email', EMAIL)).toEqual({ anonymousIds: [] });
    expect((await store.read(TEST_SHOP, 'cart_token', 'cart-1')).person).toBeUndefined();
    expect(await store.personOfAnonymous(TEST_SHOP, 'anon-A')).toBeUndefined();
    // customer id, email, cart token, checkout token and the merged browser.
    expect(telemetry.counters.get('IdentityItemsForgotten')).toBe(5);
  });
});

describe('person_unresolved', () => {
  it('fails a delivery whose Recharge-only person no link resolves yet for a retry, parking as person_unresolved when out of attempts', async () => {
    const { deps, outbox, telemetry } = identityPipeline();
    const envelope: WebhookEnvelope = {
      version: 1,
      source: 'recharge',
      topic: 'subscription/cancelled',
      shop: TEST_SHOP,
      deliveryId: 'r-1',
      receivedAt: '2026-11-28T12:00:00.000Z',
      signed: true,
      body: '{}',
    };
    const stub = {
      ...deps,
      normalizers: {
        recharge: {
          'subscription/cancelled': () =>
            normalized(
              [],
              [
                {
                  dedupe_key: 'identify#recharge#r404',
                  source: 'recharge' as const,
                  shop: TEST_SHOP,
                  occurred_at: '2026-11-28T10:00:00.000Z',
                  person: { recharge_customer_id: 'r404' },
                  attributes: {},
                },
              ],
            ),
        },
      },
    };
    // The linking delivery (a Recharge customer webhook) is usually only late: retried, not parked at once.
    expect(await failureOf(processInboxMessage(JSON.stringify(envelope), stub))).toMatchObject({
      class: 'transient',
      code: 'person_unresolved',
      exhaustedCode: 'person_unresolved',
    });
    expect(outbox.sent).toEqual([]);
    expect(telemetry.counters.get('PersonUnresolved')).toBe(1);
  });
});
