import { describe, expect, it } from 'vitest';
import { fakeCheckout, fakeCustomer, fakeLine } from '../../../../local/fake-shop/fake-data.js';
import type { GqlLineItem, GqlOrderWithLines } from '../../../../shared/admin-api/shopify/graphql-schemas.js';
import {
  cartTokenOfRecoveryUrl,
  checkoutWebhookBody,
  customerWebhookBody,
  orderWebhookBody,
  refundWebhookBodies,
  UnmappableRecordError,
} from '../../../../shared/admin-api/shopify/webhook-shapes.js';
import type { Normalized } from '../../../../shared/normalize/normalizer.js';
import { normalizeShopify, shopifySampleObject } from '../../../helpers/shopify-envelope.js';

type Rest = Record<string, unknown> & { id: string | number };
const money = (amount: unknown, currencyCode = 'USD') => ({ amount: String(amount), currencyCode });
const bag = (amount: unknown) => ({ shopMoney: money(amount), presentmentMoney: money(amount) });

/** The GraphQL Admin API object Shopify would return for the order of the orders/create sample. */
const graphqlTwinOf = (rest: Rest): GqlOrderWithLines => {
  const customer = rest.customer as Rest & { default_address: { city: string; country_code: string } };
  const shipping = rest.shipping_address as { city: string; country_code: string };
  const lines = rest.line_items as (Rest & { discount_allocations?: { amount: string }[] })[];
  return {
    id: `gid://shopify/Order/${rest.id}`,
    name: rest.name as string,
    email: rest.email as string,
    phone: null,
    createdAt: rest.created_at as string,
    processedAt: rest.processed_at as string,
    updatedAt: rest.updated_at as string,
    cancelledAt: null,
    cancelReason: null,
    currencyCode: rest.currency as string,
    presentmentCurrencyCode: rest.presentment_currency as string,
    totalPriceSet: bag(rest.total_price),
    subtotalPriceSet: bag(rest.subtotal_price),
    totalTaxSet: bag(rest.total_tax),
    totalDiscountsSet: bag(rest.total_discounts),
    totalShippingPriceSet: bag(
      (rest.total_shipping_price_set as { shop_money: { amount: string } }).shop_money.amount,
    ),
    discountCodes: [],
    displayFinancialStatus: String(rest.financial_status).toUpperCase(),
    displayFulfillmentStatus: 'UNFULFILLED',
    test: rest.test as boolean,
    sourceName: rest.source_name as string,
    customerLocale: rest.customer_locale as string,
    cartToken: null,
    checkoutToken: null,
    customerJourneySummary: null,
    shippingLine: { title: (rest.shipping_lines as { title: string }[])[0]?.title ?? null, code: null },
    shippingAddress: { city: shipping.city, countryCodeV2: shipping.country_code },
    customer: {
      id: `gid://shopify/Customer/${customer.id}`,
      firstName: customer.first_name as string,
      lastName: customer.last_name as string,
      createdAt: null,
      defaultEmailAddress: { emailAddress: customer.email as string },
      defaultPhoneNumber: null,
      defaultAddress: {
        city: customer.default_address.city,
        countryCodeV2: customer.default_address.country_code,
      },
    },
    refunds: [],
    fulfillments: [],
    lineItems: lines.map(
      (line): GqlLineItem => ({
        id: `gid://shopify/LineItem/${line.id}`,
        sku: line.sku as string,
        name: line.name as string,
        title: line.title as string,
        variantTitle: line.variant_title as string | null,
        vendor: line.vendor as string | null,
        quantity: line.quantity as number,
        product: line.product_id
          ? { id: `gid://shopify/Product/${line.product_id}`, productType: null }
          : null,
        variant: line.variant_id ? { id: `gid://shopify/ProductVariant/${line.variant_id}` } : null,
        originalUnitPriceSet: bag(line.price),
        totalDiscountSet: bag(
          Math.max(
            Number(line.total_discount ?? 0),
            (line.discount_allocations ?? []).reduce((sum, d) => sum + Number(d.amount), 0),
          ).toFixed(2),
        ),
      }),
    ),
  };
};

const normalized = (topic: string, body: unknown): Normalized => {
  const result = normalizeShopify(topic, JSON.stringify(body));
  if (result.kind !== 'normalized') throw new Error(`${topic} ignored: ${result.reason}`);
  return result;
};

describe('GraphQL Admin API objects in the webhook shape', () => {
  it('normalizes an order read from GraphQL into the same Order Completed, under the same keys, as its orders/create webhook', () => {
    const rest = shopifySampleObject('orders-create.json') as Rest;

    const fromWebhook = normalized('orders/create', rest);
    const fromApi = normalized('orders/create', orderWebhookBody(graphqlTwinOf(rest)));

    expect(fromApi.events.map((e) => e.dedupe_key)).toEqual(fromWebhook.events.map((e) => e.dedupe_key));
    expect(fromApi.people.map((p) => p.dedupe_key)).toEqual(fromWebhook.people.map((p) => p.dedupe_key));
    expect(fromApi.events[0]?.person).toEqual(fromWebhook.events[0]?.person);
    expect(fromApi.events[0]?.occurred_at).toBe(fromWebhook.events[0]?.occurred_at);
    const { products: apiProducts, ...apiProperties } = (fromApi.events[0]?.properties ?? {}) as Record<
      string,
      unknown
    >;
    const { products: hookProducts, ...hookProperties } = (fromWebhook.events[0]?.properties ?? {}) as Record<
      string,
      unknown
    >;
    expect(apiProperties).toEqual(hookProperties);
    expect(apiProducts).toEqual(hookProducts);
    expect(fromApi.events[0]?.dedupe_key).toBe('order-completed#snowdevil.myshopify.com#820982911946154508');
  });

  it('writes refunds as refunds/create with the refunded amount, keyed by the refund’s numeric id', () => {
    const buyer = fakeCustomer({ id: 7, email: 'r@example.com', updatedAt: '2026-01-01T00:00:00Z' });
    const order = {
      ...graphqlTwinOf(shopifySampleObject('orders-create.json') as Rest),
      customer: buyer,
      refunds: [
        {
          id: 'gid://shopify/Refund/55',
          createdAt: '2026-01-03T00:00:00Z',
          note: null,
          totalRefundedSet: bag('12.50'),
        },
      ],
    };

    const [refund] = refundWebhookBodies(order);
    const event = normalized('refunds/create', refund).events[0];

    expect(event).toMatchObject({
      name: 'Order Refunded',
      dedupe_key: 'order-refunded#snowdevil.myshopify.com#55',
      properties: { refund_id: '55', order_id: '820982911946154508', total: 12.5, currency: 'USD' },
    });
  });

  it('writes a customer with its email and SMS consent the way the consent webhooks state it', () => {
    const customer = fakeCustomer({
      id: 42,
      email: 'Consent@Example.com',
      phone: '+16135550142',
      emailState: 'UNSUBSCRIBED',
      smsState: 'SUBSCRIBED',
      updatedAt: '2026-01-05T10:00:00Z',
    });

    const update = normalized('customers/update', customerWebhookBody(customer)).people[0];

    expect(update?.dedupe_key).toBe('identify#snowdevil.myshopify.com#customer#42#2026-01-05T10:00:00.000Z');
    expect(update?.person).toEqual({
      customer_id: '42',
      email: 'consent@example.com',
      phone: '+16135550142',
    });
    expect(update?.attributes).toMatchObject({
      accepts_email_marketing: false,
      email_marketing_state: 'unsubscribed',
      unsubscribed: true,
      accepts_sms_marketing: true,
      sms_marketing_state: 'subscribed',
    });
  });

  it('names an abandoned checkout’s cart by the token in its recovery URL', () => {
    const captured =
      'https://pixel-testing-rs.myshopify.com/59026964593/checkouts/ac/Z2NwLXVzLWVhc3QxOjAxSkJaTUVRSjgzNUJUN1BTNjEzRFdRUFFQ/recover?key=0385';

    expect(cartTokenOfRecoveryUrl(captured)).toBe('Z2NwLXVzLWVhc3QxOjAxSkJaTUVRSjgzNUJUN1BTNjEzRFdRUFFQ');
    expect(cartTokenOfRecoveryUrl('https://shop.example/cart/abc')).toBeUndefined();
    expect(cartTokenOfRecoveryUrl('not a url')).toBeUndefined();
    const buyer = fakeCustomer({ id: 9, email: 'cart@example.com', updatedAt: '2026-01-01T00:00:00Z' });
    const { checkout, lines } = fakeCheckout({
      id: 31,
      shop: 'x.myshopify.com',
      cartToken: 'cartTOKEN123',
      customer: buyer,
      lines: [fakeLine(1, 9)],
      updatedAt: '2026-01-02T00:00:00Z',
    });
    expect(checkoutWebhookBody({ ...checkout, lineItems: lines })).toMatchObject({
      token: 'ac-31',
      cart_token: 'cartTOKEN123',
      email: 'cart@example.com',
    });
  });

  it('refuses an id that is not a Shopify id of the expected type', () => {
    const twin = graphqlTwinOf(shopifySampleObject('orders-create.json') as Rest);

    expect(() => orderWebhookBody({ ...twin, id: 'gid://shopify/Customer/1' })).toThrow(
      UnmappableRecordError,
    );
    expect(() => orderWebhookBody({ ...twin, id: 'gid://shopify/Order/abc' })).toThrow(UnmappableRecordError);
  });
});
