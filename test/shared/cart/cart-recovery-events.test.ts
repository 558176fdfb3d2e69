import { describe, expect, it } from 'vitest';
import { toOperation } from '../../../shared/delivery/deliver-batch.js';
import { type OutboxMessage, OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import {
  at,
  cartBody,
  checkoutBody,
  SHOP,
  useCartRecoveryHarness,
} from '../../helpers/cart-recovery-harness.js';
import type { MemoryQueue } from '../../helpers/fakes.js';

describe('cart recovery scenarios: what the recovery events carry (stage + check cores, real dynalite, fake scheduler and outbox)', () => {
  const { harness, record } = useCartRecoveryHarness('Cart recovery scenarios (events)');

  it('4. cart updated after scheduling: updates never call the Scheduler; the check reschedules lazily', async () => {
    const h = harness();
    await h.deliver('carts/create', cartBody('s4-cart', 0));
    await h.deliver('checkouts/create', checkoutBody('s4-cart', 's4-chk', 5));
    for (const minutes of [10, 20, 40]) {
      h.setNow(minutes);
      await h.deliver('carts/update', cartBody('s4-cart', minutes, 2));
    }
    expect(h.scheduler.creates).toBe(1);
    expect(await h.fire(60)).toEqual([{ kind: 'rescheduled', due_at: at(100).toISOString() }]);
    const [outcome] = await h.fire(100);
    expect(outcome).toEqual({ kind: 'emitted', name: 'Checkout Abandoned', next_step: 2 });
    expect(await h.fire(40 + 1440)).toEqual([{ kind: 'emitted', name: 'Checkout Abandoned' }]);
    expect(h.events()).toEqual(['Checkout Started', 'Checkout Abandoned#1', 'Checkout Abandoned#2']);
    expect([h.scheduler.creates, h.scheduler.deletes]).toEqual([3, 0]);
    expect(h.scheduler.schedules.size).toBe(0);
    record('4 updated after scheduling (lazy)', h);
  });

  it('4b. the abandoned event carries step, lines, total, currency, recovery URL and minutes since activity', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s4b-cart', 's4b-chk', 0));
    await h.fire(61);
    const message = OutboxMessageSchema.parse((h.deps.outbox as MemoryQueue).json().at(-1)) as Extract<
      OutboxMessage,
      { type: 'event' }
    >;
    expect(message.identifiers).toEqual({ id: 'c-s4b' });
    expect(message.event).toMatchObject({
      name: 'Checkout Abandoned',
      dedupe_key: `checkout-abandoned#${SHOP}#s4b-cart#1`,
      occurred_at: at(60).toISOString(),
      person: { customer_id: 'c-s4b', email: 'buyerc-s4b@example.com' },
      properties: {
        step: 1,
        cart_id: 's4b-cart',
        checkout_id: 's4b-chk',
        item_count: 2,
        total: 421.88,
        currency: 'USD',
        recovery_url: `https://${SHOP}/checkouts/ac/s4b-cart/recover?key=k`,
        last_activity_at: at(0).toISOString(),
        minutes_since_activity: 61,
      },
    });
  });

  it('4c. Checkout Abandoned carries the checkout discount codes and amounts; a later cart edit drops only the amounts', async () => {
    // Prepare
    const h = harness();
    const abandoned = () =>
      (h.deps.outbox as MemoryQueue)
        .json()
        .map((m) => OutboxMessageSchema.parse(m) as OutboxMessage)
        .flatMap((m) => (m.type === 'event' && m.event.name === 'Checkout Abandoned' ? [m.event] : []));
    await h.deliver('checkouts/create', {
      ...checkoutBody('s4c-cart', 's4c-chk', 0),
      discount_codes: [
        { code: 'SAVE10', amount: '10.00', type: 'fixed_amount' },
        { code: 'FREESHIP', amount: '0.00', type: 'shipping' },
      ],
      subtotal_price: '398.00',
      total_tax: '23.88',
      total_discounts: '10.00',
      presentment_currency: 'CAD',
    });

    // Act
    await h.fire(61);
    h.setNow(100);
    await h.deliver('carts/update', cartBody('s4c-cart', 100, 3));
    await h.fire(100 + 1440);

    // Assess
    const [first, second] = abandoned();
    expect(first?.properties).toMatchObject({
      step: 1,
      discount_codes: ['SAVE10', 'FREESHIP'],
      subtotal: 398,
      tax: 23.88,
      discount: 10,
      presentment_currency: 'CAD',
    });
    expect(second?.properties).toMatchObject({
      step: 2,
      discount_codes: ['SAVE10', 'FREESHIP'],
      subtotal: null,
      tax: null,
      discount: null,
      presentment_currency: 'CAD',
      item_count: 3,
    });
  });

  it('10. checkout deleted without an order: Cart Abandoned with a cart permalink instead of the dead link', async () => {
    const h = harness();
    await h.deliver('carts/create', cartBody('s10-cart', 0, 2));
    await h.deliver('checkouts/create', checkoutBody('s10-cart', 's10-chk', 0));
    await h.deliver('carts/update', cartBody('s10-cart', 1, 2));
    await h.deliver('checkouts/delete', { id: 1, cart_token: 's10-cart' });
    await h.fire(61);
    const last = (h.deps.outbox as MemoryQueue).json<OutboxMessage>().at(-1);
    expect(last?.type === 'event' && last.event.name).toBe('Cart Abandoned');
    expect(last?.type === 'event' && last.event.properties).toMatchObject({
      recovery_url: `https://${SHOP}/cart/704912205188288575:2`,
      total: 39.98,
    });
    record('10 checkout deleted, no order', h);
  });

  it('a checkout of 3,000 lines: stored shortened, abandoned event under 32 KB with the full counts', async () => {
    const h = harness();
    const checkout = checkoutBody('s16-cart', 's16-chk', 0);
    const [line] = (checkout as Record<string, unknown>).line_items as Record<string, unknown>[];
    const lines = Array.from({ length: 3_000 }, (_, i) => ({
      ...line,
      variant_id: String(900_000 + i),
      title: `Bulk item ${i} with a descriptive title`,
      quantity: 2,
    }));
    await h.deliver('checkouts/create', { ...checkout, line_items: lines });
    const stored = await h.deps.store.getCart({ shop: SHOP, cart_token: 's16-cart' });
    expect(stored?.line_count).toBe(3_000);
    expect(stored?.item_count).toBe(6_000);
    expect(stored?.line_items.length).toBeLessThan(3_000);
    await h.fire(61);
    const messages = (h.deps.outbox as MemoryQueue).json<OutboxMessage>();
    const abandoned = messages.find((m) => m.type === 'event' && m.event.name === 'Checkout Abandoned');
    if (abandoned?.type !== 'event') throw new Error('no Checkout Abandoned');
    expect(Buffer.byteLength(JSON.stringify(toOperation(abandoned, {})))).toBeLessThanOrEqual(32 * 1024);
    expect(abandoned.event.properties).toMatchObject({
      item_count: 6_000,
      products_truncated: true,
      products_total_count: 3_000,
    });
    const started = messages.find((m) => m.type === 'event' && m.event.name === 'Checkout Started');
    expect(started?.type === 'event' && started.event.properties).toMatchObject({
      item_count: 6_000,
      products_truncated: true,
      products_total_count: 3_000,
    });
  });
});
