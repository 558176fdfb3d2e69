import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOutboxRecords } from '../../../shared/delivery/deliver-batch.js';
import { DynamoDeliveryOrderStore } from '../../../shared/delivery/delivery-order-store.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { hashedEmail } from '../../../shared/people/identity-hash.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { type MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { realProcessDeps } from '../../helpers/real-process-deps.js';
import { shopifyEnvelope, shopifySampleObject } from '../../helpers/shopify-envelope.js';
import { useTrackCapture } from '../../helpers/track-capture.js';
import { pixelSample } from '../sources/pixel/pixel-samples.js';

/*
 * Finding 7 of issue 10: customers/redact left the shopper's email and phone in cart records until they expired.
 * One person goes through every flow that writes items (profile, guest and account checkouts, a storefront
 * browser, two orders, consent), another shopper buys too; deliver sends what was queued (it writes the identify
 * ordering items); then Shopify's redact arrives. Every item type the code writes is listed below; the scan proves
 * each was written, and that after the redact none holds the person's contact data, while the other shopper's data
 * is still there. Runs the real stages on dynalite, under both identifier strategies (a moved rollup key names the
 * person's email under the email strategy).
 */

const SHOP = 'demo.myshopify.com';
const CUSTOMER_ID = '115310627314723954';
const EMAIL = 'jon.private@example.com';
const OLD_EMAIL = 'jon.work@example.com';
const PHONE = '+1 613-555-0135';
const PHONE_E164 = '+16135550135';
const RECOVERY_KEY = 'redact-secret-key';
const STREET = '42 Privatesson Lane';
const OTHER_EMAIL = 'keep.me@example.com';

/** Every DynamoDB item type the connector writes: which code writes it, and how to recognise it. */
const ITEM_TYPES: readonly {
  name: string;
  matches: (pk: string, sk: string, item: Record<string, AttributeValue>) => boolean;
}[] = [
  {
    name: 'delivery claim (dedupe-store claim/complete)',
    matches: (_pk, sk, item) => sk === 'dedupe' && item.status?.S !== 'OWNED',
  },
  {
    name: 'business key owned by a delivery: event, profile merge, deletion (dedupe-store own)',
    matches: (_pk, sk, item) => sk === 'dedupe' && item.status?.S === 'OWNED',
  },
  {
    name: 'identity: identifier/token → person, token browsers',
    matches: (pk, sk) => pk.startsWith('id#') && !pk.includes('#anon#') && sk === 'person',
  },
  { name: 'identity: browser → person', matches: (pk, sk) => pk.includes('#anon#') && sk === 'person' },
  {
    name: 'identity: recorded profile merge',
    matches: (pk, sk) => pk.startsWith('merge-profiles#') && sk === 'person',
  },
  {
    name: 'person rollup',
    matches: (pk, sk, item) => pk.startsWith('rollup#') && sk === 'rollup' && !item.movedTo,
  },
  {
    name: "person rollup: a key moved to the person's rollup (rollup-person)",
    matches: (pk, sk, item) => pk.startsWith('rollup#') && sk === 'rollup' && item.movedTo !== undefined,
  },
  {
    name: 'delivery order: rollup versions sent, moved keys fenced (delivery-order-store)',
    matches: (pk, sk) => pk.startsWith('rollup-delivered#') && sk === 'v',
  },
  {
    name: 'delivery order: attribute versions sent (delivery-order-store)',
    matches: (pk, sk) => pk.startsWith('person-attrs-delivered#') && sk === 'v',
  },
  { name: 'order owner', matches: (pk, sk) => pk.startsWith('order-owner#') && sk === 'rollup' },
  { name: 'person attribute versions', matches: (pk, sk) => pk.startsWith('person-attrs#') && sk === 'v' },
  { name: 'acquisition: browser landing', matches: (pk, sk) => pk.startsWith('touch#') && sk === 'touch' },
  {
    name: 'acquisition: person first touch',
    matches: (pk, sk) => pk.startsWith('acquisition#') && sk === 'acquisition',
  },
  { name: 'cart', matches: (pk, sk) => pk.startsWith('cart#') && sk === 'cart' },
  {
    name: 'cart person: last order',
    matches: (pk, sk) => pk.startsWith('cart-person#') && sk === 'last-order',
  },
  { name: 'cart person: consent', matches: (pk, sk) => pk.startsWith('cart-person#') && sk === 'consent' },
];

const ADDRESS = {
  first_name: 'Jon',
  last_name: 'Privatesson',
  address1: STREET,
  city: 'Ottawa',
  zip: 'K2P 2L8',
  phone: PHONE,
  country_code: 'CA',
};

let delivery = 0;
const shopify = (topic: string, payload: unknown): WebhookEnvelope => {
  delivery += 1;
  return shopifyEnvelope(topic, JSON.stringify(payload), {
    shop: SHOP,
    deliveryId: `wh-redact-${delivery}`,
    eventId: `ev-redact-${delivery}`,
    triggeredAt: `2026-11-28T09:${String(delivery).padStart(2, '0')}:00.000Z`,
  });
};

const checkout = (token: string, cartToken: string, customer: unknown) => ({
  ...shopifySampleObject('checkouts-create.json'),
  token,
  cart_token: cartToken,
  email: EMAIL,
  phone: PHONE,
  customer,
  billing_address: ADDRESS,
  shipping_address: ADDRESS,
  abandoned_checkout_url: `https://${SHOP}/1/checkouts/${token}/recover?key=${RECOVERY_KEY}`,
  updated_at: '2026-11-28T08:00:00-00:00',
});

const order = (
  id: string,
  customer: Record<string, unknown>,
  email: string,
  tokens: Record<string, string> = {},
) => {
  const sample = shopifySampleObject('orders-create.json') as Record<string, unknown> & { customer: object };
  return {
    ...sample,
    // A real order (the sample is a test order, which rollups leave out by default).
    test: false,
    id,
    email,
    contact_email: email,
    phone: email === EMAIL ? PHONE : null,
    customer: { ...sample.customer, ...customer, email },
    billing_address: ADDRESS,
    shipping_address: ADDRESS,
    ...tokens,
  };
};

/** The browser's landing: a page view from another site, its first-touch candidate. */
const landing = (anonymousId: string): WebhookEnvelope => {
  const { pixelEventLabel: _label, ...raw } = pixelSample('web-pixel-page-viewed.json') as unknown as Record<
    string,
    unknown
  >;
  return {
    version: 1,
    source: 'pixel',
    topic: 'page_viewed',
    shop: SHOP,
    deliveryId: 'sh-redact-landing',
    receivedAt: '2026-11-28T09:20:00.000Z',
    signed: false,
    body: JSON.stringify({
      ...raw,
      id: 'sh-redact-landing',
      clientId: anonymousId,
      timestamp: '2026-11-28T09:20:00.000Z',
      context: {
        document: {
          location: { href: `https://${SHOP}/products/board?utm_source=newsletter&utm_medium=email` },
          referrer: 'https://www.google.com/',
          title: 'Shop',
        },
      },
    }),
  };
};

const beacon = (anonymousId: string, cartToken: string): WebhookEnvelope => {
  const {
    context: _page,
    pixelEventLabel: _label,
    ...raw
  } = pixelSample('web-pixel-cart-viewed.json') as unknown as Record<string, unknown> & {
    data: { cart: object };
  };
  return {
    version: 1,
    source: 'pixel',
    topic: 'cart_viewed',
    shop: SHOP,
    deliveryId: 'sh-redact-1',
    receivedAt: '2026-11-28T09:30:00.000Z',
    signed: false,
    body: JSON.stringify({
      ...raw,
      id: 'sh-redact-1',
      clientId: anonymousId,
      data: { cart: { ...raw.data.cart, id: cartToken } },
    }),
  };
};

describe.each(['customer_id', 'email'] as const)(
  'customers/redact leaves no contact data in any item type, identifying people by %s (dynalite, real stages, deliver to a local Customer.io capture)',
  (strategy) => {
    let table: TestTable;
    let deps: ProcessDeps;
    let outbox: MemoryQueue;
    const cio = useTrackCapture();

    beforeAll(async () => {
      table = await startTestTable();
      ({ deps, outbox } = realProcessDeps(table, { strategy, localScheduler: true }));
    });
    afterAll(async () => table.close());

    const run = async (envelope: WebhookEnvelope) =>
      expect(await processInboxMessage(JSON.stringify(envelope), deps)).toBe('processed');

    const scan = async (): Promise<Record<string, AttributeValue>[]> => {
      const items: Record<string, AttributeValue>[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await table.client.send(
          new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    };

    const typeOf = (item: Record<string, AttributeValue>) =>
      ITEM_TYPES.filter((type) => type.matches(item.pk?.S ?? '', item.sk?.S ?? '', item)).map(
        (type) => type.name,
      );

    const contactDataIn = (item: Record<string, AttributeValue>): string[] => {
      const text = JSON.stringify(item).toLowerCase();
      return [
        EMAIL,
        OLD_EMAIL,
        PHONE,
        PHONE_E164,
        '613-555-0135',
        '6135550135',
        RECOVERY_KEY,
        STREET,
        'privatesson',
      ].filter((value) => text.includes(value.toLowerCase()));
    };

    it('writes every listed item type, then forgets the person from all of them', async () => {
      const customer = {
        id: CUSTOMER_ID,
        email: EMAIL,
        phone: PHONE,
        first_name: 'Jon',
        last_name: 'Privatesson',
      };
      await run(
        shopify('customers/update', {
          ...shopifySampleObject('customers-update.json'),
          ...customer,
          email: OLD_EMAIL,
          addresses: [ADDRESS],
          default_address: ADDRESS,
        }),
      );
      await run(shopify('checkouts/create', checkout('co-guest', 'cart-guest', null)));
      await run(landing('anon-jon'));
      await run(beacon('anon-jon', 'cart-jon'));
      await run(shopify('checkouts/create', checkout('co-jon', 'cart-jon', customer)));
      await run(
        shopify(
          'orders/create',
          order('820982911946154508', customer, EMAIL, { cart_token: 'cart-jon', checkout_token: 'co-jon' }),
        ),
      );
      await run(shopify('orders/create', order('820982911946150002', customer, EMAIL)));
      await run(
        shopify('customers_email_marketing_consent/update', {
          customer_id: CUSTOMER_ID,
          email_address: EMAIL,
          email_marketing_consent: {
            state: 'unsubscribed',
            opt_in_level: 'single_opt_in',
            consent_updated_at: '2026-11-28T09:50:00Z',
          },
        }),
      );
      await run(
        shopify(
          'orders/create',
          order('820982911946150003', { id: '999', phone: null }, OTHER_EMAIL, { cart_token: 'cart-keep' }),
        ),
      );
      expect(outbox.json<OutboxMessage>().some((m) => m.type === 'merge')).toBe(true);
      // Deliver what was queued, in SQS-sized batches: deliver writes the identify ordering items.
      const ordering = {
        store: new DynamoDeliveryOrderStore(table.client, table.tableName, () => new Date()),
        inFlightMs: 90_000,
      };
      const records = outbox.sent.map((message, i) => ({ messageId: `m${i}`, body: message.body }));
      for (let i = 0; i < records.length; i += 10) {
        const failed = await deliverOutboxRecords(records.slice(i, i + 10), {
          track: cio.track,
          eventNames: {},
          clock: () => new Date(),
          telemetry: testTelemetry(),
          order: ordering,
        });
        expect([...failed.keys()]).toEqual([]);
      }

      const before = await scan();
      for (const item of before) expect(typeOf(item), `${item.pk?.S} / ${item.sk?.S}`).toHaveLength(1);
      const written = new Set(before.flatMap(typeOf));
      expect([...written].sort()).toEqual(ITEM_TYPES.map((type) => type.name).sort());
      // The once-only marks of the perf work name deliveries, never people: ownership items, the delivery that
      // bound a browser (mergedBy) and the one that set a first touch (setBy). They were written, so the leak check
      // below covers them.
      const deliveryKey = /^delivery#shopify#demo\.myshopify\.com#wh-redact-\d+$/;
      const owners = before.filter((item) => item.status?.S === 'OWNED').map((item) => item.owner?.S ?? '');
      expect(owners.length).toBeGreaterThan(0);
      for (const owner of owners) expect(owner).toMatch(deliveryKey);
      const mergedBy = before.flatMap((item) => (item.mergedBy?.S ? [item.mergedBy.S] : []));
      const setBy = before.flatMap((item) => (item.setBy?.S ? [item.setBy.S] : []));
      expect(mergedBy.length).toBeGreaterThan(0);
      expect(setBy.length).toBeGreaterThan(0);
      for (const by of [...mergedBy, ...setBy]) expect(by).toMatch(deliveryKey);
      const holding = before.filter((item) => contactDataIn(item).length > 0).flatMap(typeOf);
      expect(new Set(holding)).toEqual(
        new Set([
          'identity: identifier/token → person, token browsers',
          'identity: browser → person',
          'identity: recorded profile merge',
          'order owner',
          'cart',
          // Under the email strategy a customer-id key redirects to the person's email, which it must name.
          ...(strategy === 'email'
            ? ["person rollup: a key moved to the person's rollup (rollup-person)"]
            : []),
        ]),
      );
      const personRollupKeys = [`${SHOP}#id:${CUSTOMER_ID}`, `${SHOP}#email:${hashedEmail(EMAIL)}`];
      const ordersOfPerson = (items: Record<string, AttributeValue>[]) =>
        items
          .map((item) => item.pk?.S ?? '')
          .filter((pk) => personRollupKeys.some((key) => pk === `rollup-delivered#${key}`));
      expect(ordersOfPerson(before)).toHaveLength(2);

      await run(
        shopify('customers/redact', {
          shop_id: 954889,
          shop_domain: SHOP,
          customer: { id: CUSTOMER_ID, email: EMAIL, phone: PHONE },
          orders_to_redact: ['820982911946154508'],
        }),
      );

      const after = await scan();
      const leaks = after.flatMap((item) =>
        contactDataIn(item).length > 0
          ? [`${typeOf(item).join()}: ${item.pk?.S} / ${item.sk?.S} holds ${contactDataIn(item).join(', ')}`]
          : [],
      );
      expect(leaks).toEqual([]);
      // What deliver sent of the person's rollups is forgotten with them (a returning person starts again at 0).
      expect(ordersOfPerson(after)).toEqual([]);
      const otherKey = strategy === 'email' ? `email:${hashedEmail(OTHER_EMAIL)}` : 'id:999';
      expect(after.some((item) => item.pk?.S === `rollup-delivered#${SHOP}#${otherKey}`)).toBe(true);
      // The other shopper is untouched.
      expect(after.some((item) => JSON.stringify(item).includes(OTHER_EMAIL))).toBe(true);
      // The carts survive (conversion state, line items) without their contact data, and never recover again.
      const carts = after.filter(
        (item) => item.sk?.S === 'cart' && ['cart-jon', 'cart-guest'].includes(item.cartToken?.S ?? ''),
      );
      expect(carts.map((item) => [item.cartToken?.S, item.exitReason?.S]).sort()).toEqual([
        ['cart-guest', 'redacted'],
        ['cart-jon', 'redacted'],
      ]);
    });
  },
);
