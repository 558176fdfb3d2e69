import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OutboxMessage, OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryDedupeStore, type MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { realProcessDeps } from '../../helpers/real-process-deps.js';
import { readSample, shopifyEnvelope } from '../../helpers/shopify-delivery.js';

const SHOP = 'demo.myshopify.com';
const STORE = 'https://demo-store.example';

type Identify = Extract<OutboxMessage, { type: 'identify' }>;

describe('first-touch attribution through the process worker (every stage, dynalite)', () => {
  let table: TestTable;
  let deps: ProcessDeps;
  let outbox: MemoryQueue;
  const telemetry = testTelemetry();
  /** DynamoDB calls that touch first-touch items, by command. */
  const acquisitionCalls: string[] = [];
  const clock = () => new Date('2026-11-28T12:00:00Z');

  beforeAll(async () => {
    table = await startTestTable();
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: { pk?: { S?: string } }; Item?: { pk?: { S?: string } } };
        const pk = input.Key?.pk?.S ?? input.Item?.pk?.S ?? '';
        if (pk.startsWith('touch#') || pk.startsWith('acquisition#'))
          acquisitionCalls.push(context.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', name: 'countAcquisitionCalls' },
    );
    ({ deps, outbox } = realProcessDeps(table, {
      clock,
      telemetry,
      dedupe: new MemoryDedupeStore(),
      localScheduler: true,
    }));
  });
  afterAll(async () => table?.close());
  beforeEach(() => {
    outbox.sent.length = 0;
    acquisitionCalls.length = 0;
  });

  const beacon = (
    name: string,
    clientId: string,
    href: string,
    referrer: string | null,
    data: unknown = {},
  ) => {
    const event = {
      id: `sh-${name}-${clientId}-${href.length}`,
      name,
      clientId,
      timestamp: '2026-11-28T09:00:00.000Z',
      type: 'standard',
      data,
      context: { document: { location: { href }, referrer, title: 'Shop' } },
    };
    const envelope: WebhookEnvelope = {
      version: 1,
      source: 'pixel',
      topic: name,
      shop: SHOP,
      deliveryId: event.id,
      receivedAt: '2026-11-28T12:00:00.000Z',
      signed: false,
      body: JSON.stringify(event),
    };
    return processInboxMessage(JSON.stringify(envelope), deps);
  };

  const cartViewed = (clientId: string, cartToken: string) => {
    const sample = JSON.parse(readSample('shopify/web-pixel-cart-viewed.json')) as {
      data: { cart: Record<string, unknown> };
    };
    return beacon('cart_viewed', clientId, `${STORE}/cart`, `${STORE}/products/tee`, {
      cart: { ...sample.data.cart, id: cartToken },
    });
  };

  const order = (id: string, customerId: string, fields: Record<string, unknown>) => {
    const body = readSample('shopify/orders-create.json')
      .replace('"id": 820982911946154508', `"id": ${id}`)
      .replaceAll('115310627314723954', customerId)
      .replace('"test": true', `"test": ${fields.test === true}`);
    const parsed = { ...(JSON.parse(body) as Record<string, unknown>), ...fields };
    return processInboxMessage(
      JSON.stringify(
        shopifyEnvelope('orders/create', JSON.stringify(parsed), { deliveryId: `wh-order-${id}` }),
      ),
      deps,
    );
  };

  const acquisitionIdentifies = (): Identify[] =>
    outbox
      .json()
      .map((m) => OutboxMessageSchema.parse(m))
      .filter((m): m is Identify => m.type === 'identify' && m.update.dedupe_key.startsWith('acquisition#'));

  it("carries a browser's landing to the person it is merged into, ahead of the order's own landing", async () => {
    expect(
      await beacon(
        'page_viewed',
        'browser-a',
        `${STORE}/collections/fall?utm_source=instagram&utm_medium=social&utm_campaign=fall24&fbclid=xyz`,
        'https://l.instagram.com/',
      ),
    ).toBe('processed');
    expect(acquisitionCalls).toEqual(['PutItemCommand']);
    expect(outbox.sent).toHaveLength(0);
    await cartViewed('browser-a', 'cart-a');
    await order('9001', '5001', {
      cart_token: 'cart-a',
      landing_site: '/?utm_source=google&utm_medium=cpc',
      referring_site: 'https://www.google.com/',
    });
    const [identify, ...others] = acquisitionIdentifies();
    expect(others).toEqual([]);
    expect(identify?.identifiers).toEqual({ id: '5001' });
    expect(identify?.update.attributes).toEqual({
      acquisition_source: 'instagram',
      acquisition_medium: 'social',
      acquisition_campaign: 'fall24',
      first_landing_page: `${STORE}/collections/fall?utm_source=instagram&utm_medium=social&utm_campaign=fall24`,
      first_referrer: 'https://l.instagram.com/',
    });
    expect(identify?.update.occurred_at).toBe('2026-11-28T09:00:00.000Z');

    // A later order, and a later landing of the same browser, never overwrite it.
    outbox.sent.length = 0;
    await order('9002', '5001', { landing_site: '/?utm_source=newsletter', referring_site: null });
    await beacon('page_viewed', 'browser-a', `${STORE}/?utm_source=tiktok`, null);
    expect(acquisitionIdentifies()).toEqual([]);
  });

  it("takes the first order's landing_site, referring_site and channel when no browser is known", async () => {
    await order('9101', '5101', {
      landing_site: '/products/tee?utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=1',
      referring_site: 'https://www.google.com/search?q=tee',
    });
    expect(acquisitionIdentifies().map((m) => m.update.attributes)).toEqual([
      {
        acquisition_source: 'google',
        acquisition_medium: 'cpc',
        acquisition_campaign: 'brand',
        first_landing_page: '/products/tee?utm_source=google&utm_medium=cpc&utm_campaign=brand',
        first_referrer: 'https://www.google.com/search',
      },
    ]);
    outbox.sent.length = 0;
    await order('9201', '5201', { landing_site: null, referring_site: null, source_name: 'pos' });
    expect(acquisitionIdentifies().map((m) => m.update.attributes)).toEqual([
      { acquisition_source: 'pos', acquisition_medium: '(none)' },
    ]);
  });

  it('sets it once per person: another delivery of the same order (same origin) finds it set and sends nothing', async () => {
    const before = telemetry.counters.get('AcquisitionSet');
    const fields = { landing_site: '/?utm_source=retry', referring_site: null };
    await order('9301', '5301', fields);
    const body = readSample('shopify/orders-create.json')
      .replace('"id": 820982911946154508', '"id": 9301')
      .replaceAll('115310627314723954', '5301')
      .replace('"test": true', '"test": false');
    // Another delivery of the same order (orders/paid): the first touch is the same order's, but orders/create set it
    // and sent its identify; only a retry of orders/create itself would send it again.
    await processInboxMessage(
      JSON.stringify(
        shopifyEnvelope('orders/paid', JSON.stringify({ ...JSON.parse(body), ...fields }), {
          deliveryId: 'wh-paid-9301',
        }),
      ),
      deps,
    );
    expect(acquisitionIdentifies()).toHaveLength(1);
    expect(telemetry.counters.get('AcquisitionSet') - before).toBe(1);
  });

  it('takes nothing from test orders, and costs nothing on beacons that are not landings', async () => {
    await order('9401', '5401', { test: true, landing_site: '/?utm_source=qa', referring_site: null });
    expect(acquisitionIdentifies()).toEqual([]);
    acquisitionCalls.length = 0;
    expect(await beacon('page_viewed', 'browser-b', `${STORE}/p`, `${STORE}/collections/all`)).toBe(
      'ignored',
    );
    await cartViewed('browser-b', 'cart-b');
    expect(acquisitionCalls).toEqual([]);
  });

  it("forgets a redacted person's first touch with the rest of their data", async () => {
    await order('9501', '5501', { landing_site: '/?utm_source=first', referring_site: null });
    const redact = JSON.stringify({
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 5501, email: 'jon@example.com' },
      orders_to_redact: [9501],
    });
    await processInboxMessage(
      JSON.stringify(shopifyEnvelope('customers/redact', redact, { deliveryId: 'wh-redact-5501' })),
      deps,
    );
    expect(acquisitionCalls).toContain('DeleteItemCommand');
    outbox.sent.length = 0;
    // The person is gone from Customer.io: their next order starts a new profile with its own first touch.
    await order('9502', '5501', { landing_site: '/?utm_source=second', referring_site: null });
    expect(acquisitionIdentifies().map((m) => m.update.attributes.acquisition_source)).toEqual(['second']);
  });
});
