import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CartActivitySignal, CheckoutDeletedSignal } from '../../../../shared/cart/cart-signal.js';
import { type OutboxMessage, OutboxMessageSchema } from '../../../../shared/delivery/outbox-message.js';
import type { IdentityLinkSignal } from '../../../../shared/identity/identity-signal.js';
import { parseJsonLossless } from '../../../../shared/json/lossless-json.js';
import type {
  Normalized,
  NormalizeResult,
  TopicNormalizer,
} from '../../../../shared/normalize/normalizer.js';
import { normalizerRegistry } from '../../../../shared/normalize/registry.js';
import { DynamoPersonVersionStore } from '../../../../shared/people/person-version-store.js';
import { staleUpdateStage } from '../../../../shared/people/stale-update-stage.js';
import { processInboxMessage } from '../../../../shared/process/process-envelope.js';
import {
  normalizeCheckoutCreated,
  normalizeCheckoutDeleted,
  normalizeCheckoutUpdated,
} from '../../../../shared/sources/shopify/checkout-normalizers.js';
import { startTestTable, type TestTable } from '../../../helpers/dynalite.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../../helpers/fakes.js';
import { readSample, shopifyEnvelope } from '../../../helpers/shopify-delivery.js';

const run = (normalizer: TopicNormalizer, topic: string, sample: string): NormalizeResult => {
  const body = readSample(sample);
  return normalizer(parseJsonLossless(body), shopifyEnvelope(topic, body));
};

const normalizedOf = (result: NormalizeResult) => {
  if (result.kind !== 'normalized') throw new Error(`expected output, got ${result.reason}`);
  return result;
};

const IPOD = {
  product_id: '632910392',
  variant_id: '808950810',
  sku: 'IPOD2008PINK',
  name: 'IPod Nano - 8GB',
  variant_name: 'Pink',
  brand: 'Apple',
  category: null,
  quantity: 1,
  price: 199,
  discount: 0,
  url: null,
  image_url: null,
};
const RECOVERY = 'https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token';

describe('Shopify checkout normalizers', () => {
  it('registers checkouts/create, checkouts/update and checkouts/delete', () => {
    expect(normalizerRegistry.shopify?.['checkouts/create']).toBe(normalizeCheckoutCreated);
    expect(normalizerRegistry.shopify?.['checkouts/update']).toBe(normalizeCheckoutUpdated);
    expect(normalizerRegistry.shopify?.['checkouts/delete']).toBe(normalizeCheckoutDeleted);
  });

  it('checkouts/create: Checkout Started keyed by shop and checkout token, with the buyer, money and lines', () => {
    const out = normalizedOf(
      run(normalizeCheckoutCreated, 'checkouts/create', 'shopify/checkouts-create.json'),
    );
    expect(out.events).toEqual([
      {
        name: 'Checkout Started',
        dedupe_key: 'checkout-started#demo.myshopify.com#123123123',
        source: 'shopify',
        shop: 'demo.myshopify.com',
        occurred_at: '2022-01-01T00:00:00.000Z',
        person: { customer_id: '603851970716743426', email: 'example@email.com' },
        properties: {
          checkout_id: '123123123',
          cart_id: 'eeafa272cebfd4b22385bc4b645e762c',
          total: 421.88,
          subtotal: 398,
          tax: 23.88,
          discount: 0,
          currency: 'USD',
          discount_codes: [],
          products: [IPOD, IPOD],
          item_count: 2,
          recovery_url: RECOVERY,
        },
      },
    ]);
    expect(out.signals).toEqual([
      {
        type: 'identity_link',
        trusted: true,
        identifiers: {
          cart_token: 'eeafa272cebfd4b22385bc4b645e762c',
          checkout_token: '123123123',
          email: 'example@email.com',
          customer_id: '603851970716743426',
        },
        observed_at: '2022-01-01T00:00:00.000Z',
      } satisfies IdentityLinkSignal,
      {
        type: 'cart_activity',
        origin: 'checkout',
        shop: 'demo.myshopify.com',
        cart_token: 'eeafa272cebfd4b22385bc4b645e762c',
        checkout_token: '123123123',
        person: { customer_id: '603851970716743426', email: 'example@email.com' },
        line_items: [IPOD, IPOD],
        total: 421.88,
        currency: 'USD',
        recovery_url: RECOVERY,
        checkout: { discount_codes: [], subtotal: 398, tax: 23.88, discount: 0, presentment_currency: 'USD' },
        occurred_at: '2022-01-01T00:00:00.000Z',
      } satisfies CartActivitySignal,
    ]);
  });

  it('checkouts/create (real capture): a guest checkout without email or address object still starts a cart', () => {
    const out = normalizedOf(
      run(normalizeCheckoutCreated, 'checkouts/create', 'shopify/checkouts-create.rudderstack.json'),
    );
    expect(out.events[0]).toMatchObject({
      dedupe_key: 'checkout-started#demo.myshopify.com#84ad78572dae52a8cbea7d55371afe89',
      occurred_at: '2024-11-06T02:22:00.000Z',
      person: {},
      properties: {
        checkout_id: '84ad78572dae52a8cbea7d55371afe89',
        total: 600,
        item_count: 1,
        currency: 'USD',
      },
    });
    const activity = out.signals[1] as CartActivitySignal;
    expect(activity.cart_token).toBe('Z2NwLXVzLWVhc3QxOjAxSkJaTUVRSjgzNUJUN1BTNjEzRFdRUFFQ');
    expect(activity.person).toEqual({});
    expect(activity.recovery_url).toContain(
      '/checkouts/ac/Z2NwLXVzLWVhc3QxOjAxSkJaTUVRSjgzNUJUN1BTNjEzRFdRUFFQ/recover',
    );
  });

  it('checkouts/update: no event, an identity link and cart activity', () => {
    const out = normalizedOf(
      run(normalizeCheckoutUpdated, 'checkouts/update', 'shopify/checkouts-update.json'),
    );
    expect(out.events).toEqual([]);
    expect(out.signals.map((s) => s.type)).toEqual(['identity_link', 'cart_activity']);
    expect((out.signals[1] as CartActivitySignal).total).toBe(421.88);
  });

  it('checkouts/update (real capture): a malformed created_at falls back to updated_at; joins the captured cart', () => {
    const out = normalizedOf(
      run(normalizeCheckoutUpdated, 'checkouts/update', 'shopify/checkouts-update.rudderstack.json'),
    );
    const [link, activity] = out.signals as [IdentityLinkSignal, CartActivitySignal];
    expect(link.identifiers).toEqual({
      cart_token: 'Z2NwLXVzLWVhc3QxOjAxSjdXRjdOQjY0NlFFNFdQVEg0MTRFM1E2',
      checkout_token: 'e89d4437003b6b8480f8bc7f8036a659',
      email: 'testuser101@gmail.com',
      customer_id: '7188389789809',
    });
    expect(activity).toMatchObject({
      cart_token: 'Z2NwLXVzLWVhc3QxOjAxSjdXRjdOQjY0NlFFNFdQVEg0MTRFM1E2',
      checkout_token: 'e89d4437003b6b8480f8bc7f8036a659',
      person: { customer_id: '7188389789809', email: 'testuser101@gmail.com' },
      total: 736.85,
      occurred_at: '2024-09-17T07:29:02.000Z',
    });
    expect(activity.line_items.map((i) => [i.name, i.price, i.quantity])).toEqual([
      ['The Multi-location Snowboard', 729.95, 1],
    ]);
  });

  it('a completed checkout links identity and closes the cart at once (no activity, even if the order is late)', () => {
    const body = readSample('shopify/checkouts-update.json').replace(
      '"completed_at": null',
      '"completed_at": "2022-01-01T00:05:00Z"',
    );
    const out = normalizedOf(
      normalizeCheckoutUpdated(parseJsonLossless(body), shopifyEnvelope('checkouts/update', body)),
    );
    expect(out.signals.map((s) => s.type)).toEqual(['identity_link', 'checkout_completed']);
    expect(out.signals[1]).toMatchObject({
      type: 'checkout_completed',
      observed_at: '2022-01-01T00:05:00.000Z',
    });
  });

  it('checkouts/delete: tells cart recovery the checkout of that cart is gone', () => {
    const out = normalizedOf(
      run(normalizeCheckoutDeleted, 'checkouts/delete', 'shopify/checkouts-delete.json'),
    );
    expect(out.events).toEqual([]);
    expect(out.signals).toEqual([
      {
        type: 'checkout_deleted',
        shop: 'demo.myshopify.com',
        cart_token: 'eeafa272cebfd4b22385bc4b645e762c',
        observed_at: '2026-11-28T10:00:00.000Z',
      } satisfies CheckoutDeletedSignal,
    ]);
  });

  it('Checkout Started passes the canonical schema and reaches the outbox through the process core', async () => {
    const outbox = new MemoryQueue();
    const body = readSample('shopify/checkouts-create.json');
    const outcome = await processInboxMessage(JSON.stringify(shopifyEnvelope('checkouts/create', body)), {
      dedupe: new MemoryDedupeStore(),
      outbox,
      normalizers: normalizerRegistry,
      stages: [],
      identity: { strategy: 'customer_id', customerIdPrefix: '' },
      clock: () => new Date('2026-11-28T10:00:00Z'),
      telemetry: testTelemetry(),
    });
    expect(outcome).toBe('processed');
    const messages = outbox.json().map((m) => OutboxMessageSchema.parse(m)) as OutboxMessage[];
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({
      type: 'identify',
      identifiers: { id: '603851970716743426' },
      update: { attributes: { email: 'example@email.com', first_name: 'John' } },
    });
    expect(messages[1]).toMatchObject({
      type: 'event',
      identifiers: { id: '603851970716743426' },
      event: { name: 'Checkout Started', properties: { checkout_id: '123123123' } },
    });
  });
});

/** A checkout sample with changes, through a checkout normalizer. */
const checkoutVariant = (
  normalizer: TopicNormalizer,
  sample: string,
  changes: Record<string, unknown>,
): Normalized => {
  const body = JSON.stringify({ ...(parseJsonLossless(readSample(sample)) as object), ...changes });
  const topic = normalizer === normalizeCheckoutCreated ? 'checkouts/create' : 'checkouts/update';
  return normalizedOf(normalizer(parseJsonLossless(body), shopifyEnvelope(topic, body)));
};

describe('the shopper a checkout names is identified (an email to send the reminder to)', () => {
  it.each([
    ['checkouts/create', normalizeCheckoutCreated],
    ['checkouts/update', normalizeCheckoutUpdated],
  ] as const)('%s: email, name, customer id and address, dated by the checkout', (_topic, normalizer) => {
    // Act
    const out = checkoutVariant(normalizer, 'shopify/checkouts-create.json', {});

    // Assess
    expect(out.people).toEqual([
      {
        dedupe_key: 'identify#demo.myshopify.com#checkout#123123123#2022-01-01T00:00:00.000Z',
        source: 'shopify',
        shop: 'demo.myshopify.com',
        occurred_at: '2022-01-01T00:00:00.000Z',
        person: { customer_id: '603851970716743426', email: 'example@email.com' },
        attributes: {
          email: 'example@email.com',
          first_name: 'John',
          last_name: 'Smith',
          shopify_customer_id: '603851970716743426',
          city: 'Shippington',
          country_code: 'US',
        },
      },
    ]);
  });

  it('a guest: the email and phone typed, the billing name (the payer, not a gift recipient)', () => {
    // Act
    const out = checkoutVariant(normalizeCheckoutUpdated, 'shopify/checkouts-create.rudderstack.json', {
      email: ' Guest@Example.com ',
      phone: '+16135550142',
      billing_address: { first_name: 'Gail', last_name: 'Guest', city: 'Ottawa', country_code: 'CA' },
      shipping_address: { first_name: 'Gift', last_name: 'Recipient', city: 'Paris', country_code: 'FR' },
    });

    // Assess
    expect(out.people).toHaveLength(1);
    expect(out.people[0]?.person).toEqual({ email: 'guest@example.com', phone: '+16135550142' });
    expect(out.people[0]?.attributes).toEqual({
      email: 'guest@example.com',
      phone: '+16135550142',
      first_name: 'Gail',
      last_name: 'Guest',
      city: 'Paris',
      country_code: 'FR',
      locale: 'en-US',
    });
  });

  it('nobody named (an anonymous checkout, as captured): no identify', () => {
    // Act
    const out = checkoutVariant(normalizeCheckoutCreated, 'shopify/checkouts-create.rudderstack.json', {});

    // Assess
    expect(out.people).toEqual([]);
  });

  it('consent: never from buyer_accepts_marketing; only a consent the checkout dates itself', () => {
    // Prepare
    const customer = (JSON.parse(readSample('shopify/checkouts-create.json')) as { customer: object })
      .customer;

    // Act
    const ticked = checkoutVariant(normalizeCheckoutCreated, 'shopify/checkouts-create.json', {
      buyer_accepts_marketing: true,
      buyer_accepts_sms_marketing: true,
      customer: {
        ...customer,
        email_marketing_consent: { state: 'subscribed', opt_in_level: 'single_opt_in' },
      },
    });
    const dated = checkoutVariant(normalizeCheckoutCreated, 'shopify/checkouts-create.json', {
      customer: {
        ...customer,
        email_marketing_consent: {
          state: 'unsubscribed',
          opt_in_level: 'single_opt_in',
          consent_updated_at: '2021-12-30T08:00:00-05:00',
        },
      },
    });

    // Assess
    expect(ticked.people[0]?.attributes).not.toHaveProperty('accepts_email_marketing');
    expect(ticked.people[0]?.attributes).not.toHaveProperty('accepts_sms_marketing');
    expect(ticked.people[0]?.attributes).not.toHaveProperty('email_marketing_state');
    expect(dated.people[0]?.attributes).toMatchObject({
      accepts_email_marketing: false,
      email_marketing_state: 'unsubscribed',
      unsubscribed: true,
    });
    expect(dated.signals).toContainEqual(
      expect.objectContaining({
        type: 'attribute_scope',
        update_key: dated.people[0]?.dedupe_key,
        times: expect.objectContaining({ accepts_email_marketing: '2021-12-30T13:00:00.000Z' }),
      }),
    );
    expect(dated.signals).toContainEqual(
      expect.objectContaining({ type: 'marketing_consent', unsubscribed: true }),
    );
  });
});

describe('checkout identify through the process core, with per-attribute ordering (dynalite)', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table.close());

  it('a checkout older than the customer record changes nothing; a newer one sets its email and name', async () => {
    // Prepare
    const outbox = new MemoryQueue();
    const telemetry = testTelemetry();
    const deps = {
      dedupe: new MemoryDedupeStore(),
      outbox,
      normalizers: normalizerRegistry,
      stages: [staleUpdateStage(new DynamoPersonVersionStore(table.client, table.tableName), telemetry)],
      identity: { strategy: 'customer_id' as const, customerIdPrefix: '' },
      clock: () => new Date('2026-11-28T10:00:00Z'),
      telemetry,
    };
    const customer = {
      ...(parseJsonLossless(readSample('shopify/customers-update.json')) as object),
      id: '603851970716743426',
      first_name: 'Johnny',
      email: 'example@email.com',
      updated_at: '2022-01-02T00:00:00Z',
    };
    const checkout = parseJsonLossless(readSample('shopify/checkouts-update.json')) as {
      customer: object;
    };
    const newer = {
      ...checkout,
      email: 'new@example.com',
      customer: { ...checkout.customer, first_name: 'Jon' },
      updated_at: '2022-01-03T00:00:00Z',
    };

    // Act
    const deliveries = [
      ['customers/update', customer],
      ['checkouts/update', checkout],
      ['checkouts/update', newer],
    ] as const;
    for (const [i, [topic, body]] of deliveries.entries()) {
      const envelope = shopifyEnvelope(topic, JSON.stringify(body), { deliveryId: `d-${i}` });
      await processInboxMessage(JSON.stringify(envelope), deps);
    }

    // Assess
    const identifies = (outbox.json() as OutboxMessage[]).flatMap((m) => (m.type === 'identify' ? [m] : []));
    expect(identifies.map((m) => m.update.attributes.first_name)).toEqual(['Johnny', 'Jon']);
    expect(identifies[1]?.identifiers).toEqual({ id: '603851970716743426' });
    expect(identifies[1]?.update.attributes).toMatchObject({ email: 'new@example.com', last_name: 'Smith' });
    expect(telemetry.counters.get('StalePersonUpdate')).toBe(1);
  });
});
