import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LineItem } from '../../../shared/canonical/common.js';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import { type CanonicalEvent, CanonicalEventSchema } from '../../../shared/canonical/events.js';
import type { PersonUpdate } from '../../../shared/canonical/person.js';
import { toOperation } from '../../../shared/delivery/deliver-batch.js';
import {
  type EventMessage,
  fitEventMessage,
  fitPersonUpdate,
  TRACK_ITEM_LIMIT_BYTES,
} from '../../../shared/process/fit-event.js';
import { orderProperties } from '../../helpers/canonical-fixtures.js';

/** The longest event name a deployment may configure (EVENT_NAME_OVERRIDES allows 100 characters). */
const LONGEST_NAMES = new Proxy({} as Record<string, string>, { get: () => '"'.repeat(100) });

/** Bytes of the Track v2 item deliver builds, under the worst rename. */
const deliveredBytes = (message: EventMessage): number =>
  Buffer.byteLength(JSON.stringify(toOperation(message, LONGEST_NAMES)));

const line = (i: number, name = `Product ${i} (organic cotton tee)`): LineItem => ({
  product_id: String(7_000_000 + i),
  variant_id: String(8_000_000 + i),
  sku: `SKU-${i}`,
  name,
  variant_name: 'Large / Forest green',
  brand: 'Snowdevil Outfitters',
  category: `Category ${i % 7}`,
  quantity: 1 + (i % 3),
  price: 12.5,
  discount: 0.5,
  url: null,
  image_url: null,
});

const event = (draft: Omit<CanonicalEvent, 'id'>): CanonicalEvent =>
  CanonicalEventSchema.parse({ ...draft, id: eventIdFor(draft.dedupe_key) });

const orderMessage = (products: LineItem[], total = 1234.5): EventMessage => ({
  type: 'event',
  identifiers: { id: '115310627314723954' },
  event: event({
    name: 'Order Completed',
    dedupe_key: `order-completed#demo.myshopify.com#${products.length}`,
    source: 'shopify',
    shop: 'demo.myshopify.com',
    occurred_at: '2026-11-01T10:00:00.000Z',
    person: { customer_id: '115310627314723954', email: 'jon@example.com' },
    properties: orderProperties(String(products.length), total, { products }),
  }),
});

const propertiesOf = (message: EventMessage) => message.event.properties as Record<string, unknown>;

describe('fitEventMessage', () => {
  it('returns an event that fits unchanged', () => {
    const message = orderMessage([line(1), line(2)]);
    expect(fitEventMessage(message)).toBe(message);
  });

  it.each([1, 100, 1_000, 10_000])(
    'fits a %i-line order under 32 KB with its total, item count and line count intact',
    (lines) => {
      const products = Array.from({ length: lines }, (_, i) => line(i));
      const message = orderMessage(products);
      const fitted = fitEventMessage(message);
      expect(deliveredBytes(fitted)).toBeLessThanOrEqual(TRACK_ITEM_LIMIT_BYTES);
      const properties = propertiesOf(fitted);
      expect(properties.total).toBe(1234.5);
      expect(properties.item_count).toBe(propertiesOf(message).item_count);
      const kept = properties.products as LineItem[];
      expect(kept).toEqual(products.slice(0, kept.length));
      if (kept.length < lines) {
        expect(properties.products_truncated).toBe(true);
        expect(properties.products_total_count).toBe(lines);
        // As many as fit: one more line would not.
        expect(kept.length).toBeGreaterThan(50);
      } else {
        expect(properties).not.toHaveProperty('products_truncated');
      }
      // Still a valid canonical event, markers included (the deliver worker re-parses it).
      expect(CanonicalEventSchema.parse(fitted.event)).toEqual(fitted.event);
    },
  );

  it('shortens a 40 KB product title instead of dropping the line or the event', () => {
    const fitted = fitEventMessage(orderMessage([line(1, `Big ${'title '.repeat(8_000)}`)]));
    expect(deliveredBytes(fitted)).toBeLessThanOrEqual(TRACK_ITEM_LIMIT_BYTES);
    const [kept] = propertiesOf(fitted).products as LineItem[];
    expect(kept?.name.startsWith('Big title title')).toBe(true);
    expect(kept?.name.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(kept?.name ?? '')).toBeLessThanOrEqual(1024);
    expect(propertiesOf(fitted)).not.toHaveProperty('products_truncated');
  });

  it('shortens a 40 KB refund note, and escapes count: quotes and control characters', () => {
    const message: EventMessage = {
      type: 'event',
      identifiers: { email: 'jon@example.com' },
      event: event({
        name: 'Order Refunded',
        dedupe_key: 'order-refunded#demo.myshopify.com#1',
        source: 'shopify',
        shop: 'demo.myshopify.com',
        occurred_at: '2026-11-01T10:00:00.000Z',
        person: { email: 'jon@example.com' },
        properties: {
          refund_id: '1',
          order_id: '2',
          total: 10,
          currency: 'USD',
          presentment_currency: null,
          products: [line(1)],
          item_count: 2,
          note: '"\u0001'.repeat(20_000),
          restock: false,
        },
      }),
    };
    const fitted = fitEventMessage(message);
    expect(deliveredBytes(fitted)).toBeLessThanOrEqual(TRACK_ITEM_LIMIT_BYTES);
    const note = propertiesOf(fitted).note as string;
    expect(note.startsWith('"\u0001"\u0001')).toBe(true);
    expect(note.endsWith('…')).toBe(true);
    expect(propertiesOf(fitted).total).toBe(10);
  });

  it('fits every list of an Order Fulfilled with thousands of shipments, each with its markers', () => {
    const shipments = Array.from({ length: 3_000 }, (_, i) => ({
      fulfillment_id: String(i),
      status: 'success',
      tracking_company: 'UPS',
      tracking_numbers: [`1Z${i}`],
      tracking_urls: [`https://ups.example/track/1Z${i}`],
    }));
    const base = orderMessage(Array.from({ length: 2_000 }, (_, i) => line(i)));
    const message: EventMessage = {
      ...base,
      event: CanonicalEventSchema.parse({
        ...base.event,
        name: 'Order Fulfilled',
        properties: {
          ...base.event.properties,
          fulfillment_status: 'fulfilled',
          tracking_numbers: shipments.map((s) => s.tracking_numbers[0]),
          tracking_urls: shipments.map((s) => s.tracking_urls[0]),
          shipments,
        },
      }),
    };
    const fitted = fitEventMessage(message);
    expect(deliveredBytes(fitted)).toBeLessThanOrEqual(TRACK_ITEM_LIMIT_BYTES);
    const properties = propertiesOf(fitted);
    for (const [list, total] of [
      ['products', 2_000],
      ['shipments', 3_000],
      ['tracking_numbers', 3_000],
      ['tracking_urls', 3_000],
    ] as const) {
      expect(properties[`${list}_truncated`], list).toBe(true);
      expect(properties[`${list}_total_count`], list).toBe(total);
      expect((properties[list] as unknown[]).length, list).toBeGreaterThan(10);
    }
    expect(CanonicalEventSchema.parse(fitted.event)).toEqual(fitted.event);
  });

  it('keeps a list count an earlier step already recorded (a stored cart shortened for DynamoDB)', () => {
    const products = Array.from({ length: 400 }, (_, i) => line(i));
    const message: EventMessage = {
      type: 'event',
      identifiers: { id: '7' },
      event: event({
        name: 'Cart Abandoned',
        dedupe_key: 'cart-abandoned#demo.myshopify.com#c1#1',
        source: 'shopify',
        shop: 'demo.myshopify.com',
        occurred_at: '2026-11-01T10:00:00.000Z',
        person: { customer_id: '7' },
        properties: {
          step: 1,
          cart_id: 'c1',
          checkout_id: null,
          products,
          item_count: 5_000,
          total: 99,
          currency: 'USD',
          discount_codes: [],
          subtotal: null,
          tax: null,
          discount: null,
          presentment_currency: null,
          recovery_url: null,
          last_activity_at: '2026-11-01T09:00:00.000Z',
          minutes_since_activity: 60,
          products_truncated: true,
          products_total_count: 2_500,
        },
      }),
    };
    const properties = propertiesOf(fitEventMessage(message));
    expect(properties.products_total_count).toBe(2_500);
    expect(properties.products_truncated).toBe(true);
    expect(properties.item_count).toBe(5_000);
  });

  it('declares truncation markers for every list property of every canonical event', () => {
    for (const option of CanonicalEventSchema.options) {
      const shape = option.shape.properties.shape as Record<string, z.ZodType>;
      const lists = Object.entries(shape).filter(([, schema]) => schema instanceof z.ZodArray);
      for (const [list] of lists) {
        expect(shape, `${option.shape.name.value}.${list}`).toHaveProperty(`${list}_truncated`);
        expect(shape, `${option.shape.name.value}.${list}`).toHaveProperty(`${list}_total_count`);
      }
    }
  });
});

describe('fitPersonUpdate', () => {
  const update = (attributes: PersonUpdate['attributes']): PersonUpdate => ({
    dedupe_key: 'identify#1',
    source: 'shopify',
    shop: 'demo.myshopify.com',
    occurred_at: '2026-11-01T10:00:00.000Z',
    person: { customer_id: '1' },
    attributes,
  });

  it('shortens values Customer.io would refuse (over 1000 bytes), never identifying ones', () => {
    const email = `${'a'.repeat(1200)}@example.com`;
    const fitted = fitPersonUpdate(update({ first_name: 'é'.repeat(40_000), email, city: 'Paris' }));
    expect(Buffer.byteLength(fitted.attributes.first_name ?? '')).toBeLessThanOrEqual(1000);
    expect(fitted.attributes.first_name?.endsWith('é…')).toBe(true);
    expect(fitted.attributes.email).toBe(email);
    expect(fitted.attributes.city).toBe('Paris');
  });

  it('returns an update that fits unchanged', () => {
    const small = update({ first_name: 'Ann' });
    expect(fitPersonUpdate(small)).toBe(small);
  });
});
