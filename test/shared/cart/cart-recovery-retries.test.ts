import { describe, expect, it } from 'vitest';
import { checkCart } from '../../../shared/cart/check-cart.js';
import type { CartCheckInput } from '../../../shared/cart/recovery-scheduler.js';
import type { DedupeStore } from '../../../shared/dedupe/dedupe-store.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { ClaimInProgressError } from '../../../shared/errors.js';
import {
  at,
  checkoutBody,
  orderBody,
  SHOP,
  useCartRecoveryHarness,
} from '../../helpers/cart-recovery-harness.js';
import type { MemoryQueue } from '../../helpers/fakes.js';

describe('cart recovery scenarios: double firing, failed hand-offs, crashes and repeats (stage + check cores, real dynalite, fake scheduler and outbox)', () => {
  const { harness, record } = useCartRecoveryHarness('Cart recovery scenarios (retries)');

  it('5. double firing: the step is emitted once, sequentially and concurrently', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s5-cart', 's5-chk', 0));
    const outcomes = await h.fire(60, 2);
    expect(outcomes).toEqual([
      { kind: 'emitted', name: 'Checkout Abandoned', next_step: 2 },
      { kind: 'exited', reason: 'already_emitted' },
    ]);
    h.setNow(60 + 1440);
    const [input] = h.scheduler.takeDue(at(60 + 1440));
    expect(input).toEqual({ shop: SHOP, cart_token: 's5-cart', step: 2 });
    const concurrent = await Promise.allSettled(
      [1, 2, 3].map(() => checkCart(input as CartCheckInput, h.deps)),
    );
    const settled = concurrent.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(settled.filter((o) => o.kind === 'emitted')).toHaveLength(1);
    // A check that found the step's hand-off claimed by another fails for a retry (the holder may have crashed)...
    const failed = concurrent.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    for (const reason of failed) expect(reason).toBeInstanceOf(ClaimInProgressError);
    // ...and its retry finds the step done.
    for (const _ of failed) {
      expect(await checkCart(input as CartCheckInput, h.deps)).toEqual({
        kind: 'exited',
        reason: 'already_emitted',
      });
    }
    expect(h.events()).toEqual(['Checkout Started', 'Checkout Abandoned#1', 'Checkout Abandoned#2']);
    record('5 double firing', h);
  });

  it('a failed hand-off gives the step back; a failed next-step schedule is finished by the retry', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s12-cart', 's12-chk', 0));
    const [input] = h.scheduler.takeDue(at(60));
    h.setNow(60);
    const outbox = h.deps.outbox as MemoryQueue;
    outbox.failWith = new Error('SQS down');
    await expect(checkCart(input as CartCheckInput, h.deps)).rejects.toThrow('SQS down');
    outbox.failWith = undefined;
    h.scheduler.failNext = new Error('Scheduler throttled');
    await expect(checkCart(input as CartCheckInput, h.deps)).rejects.toThrow('Scheduler throttled');
    expect(await checkCart(input as CartCheckInput, h.deps)).toEqual({
      kind: 'rescheduled',
      due_at: at(1440).toISOString(),
    });
    expect(await checkCart(input as CartCheckInput, h.deps)).toEqual({
      kind: 'exited',
      reason: 'already_emitted',
    });
    expect(h.events()).toEqual(['Checkout Started', 'Checkout Abandoned#1']);
    expect([...h.scheduler.schedules.values()].map((c) => c.step)).toEqual([2]);
  });

  describe('a crash never loses a step (claim → send → complete, one event id)', () => {
    /** A dedupe store whose owner dies at the given point: the process is gone, so nothing after it runs. */
    const dying = (point: 'before_send' | 'before_complete') => {
      const crash = { armed: true };
      const wrap = (dedupe: DedupeStore): DedupeStore => ({
        claim: (key, now) => dedupe.claim(key, now),
        release: async (key, token) => {
          // A crashed process releases nothing.
          if (!(crash.armed && point === 'before_send')) await dedupe.release(key, token);
        },
        complete: async (key, token, now) => {
          if (crash.armed && point === 'before_complete') {
            crash.armed = false;
            throw new Error('crashed after the send');
          }
          await dedupe.complete(key, token, now);
        },
      });
      return { crash, wrap };
    };

    it('between marking the step and the outbox send: the retry after the lease sends it', async () => {
      const { crash, wrap } = dying('before_send');
      const h = harness(undefined, wrap);
      const outbox = h.deps.outbox as MemoryQueue;
      await h.deliver('checkouts/create', checkoutBody('s14-cart', 's14-chk', 0));
      const [input] = h.scheduler.takeDue(at(60));
      h.setNow(60);
      outbox.failWith = new Error('crashed before the send');
      await expect(checkCart(input as CartCheckInput, h.deps)).rejects.toThrow('crashed before the send');
      outbox.failWith = undefined;
      crash.armed = false;
      expect((await h.deps.store.getCart({ shop: SHOP, cart_token: 's14-cart' }))?.emitted_steps).toEqual([
        1,
      ]);
      // Lambda retries about a minute later: the dead attempt's claim still holds, so this one fails for a retry.
      await expect(checkCart(input as CartCheckInput, h.deps)).rejects.toBeInstanceOf(ClaimInProgressError);
      h.setNow(60 + 2);
      expect(await checkCart(input as CartCheckInput, h.deps)).toEqual({
        kind: 'emitted',
        name: 'Checkout Abandoned',
        next_step: 2,
      });
      expect(h.events()).toEqual(['Checkout Started', 'Checkout Abandoned#1']);
    });

    it('between the send and completing the claim: sent again under the same event id, then done', async () => {
      const { wrap } = dying('before_complete');
      const h = harness(undefined, wrap);
      await h.deliver('checkouts/create', checkoutBody('s15-cart', 's15-chk', 0));
      const [input] = h.scheduler.takeDue(at(60));
      h.setNow(60);
      await expect(checkCart(input as CartCheckInput, h.deps)).rejects.toThrow('crashed after the send');
      h.setNow(60 + 2);
      expect(await checkCart(input as CartCheckInput, h.deps)).toMatchObject({ kind: 'emitted' });
      expect(await checkCart(input as CartCheckInput, h.deps)).toEqual({
        kind: 'exited',
        reason: 'already_emitted',
      });
      const ids = (h.deps.outbox as MemoryQueue)
        .json<OutboxMessage>()
        .flatMap((m) => (m.type === 'event' && m.event.name === 'Checkout Abandoned' ? [m.event.id] : []));
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(1);
    });
  });

  it('a repeated delivery of the same activity or order makes no further Scheduler call', async () => {
    const h = harness();
    const checkout = checkoutBody('s11-cart', 's11-chk', 0);
    await h.deliver('checkouts/create', checkout);
    await h.deliver('checkouts/update', checkout);
    const order = orderBody('9011', 10, { cart: 's11-cart', checkout: 's11-chk' });
    h.setNow(10);
    await h.deliver('orders/create', order);
    await h.deliver('orders/paid', order);
    expect([h.scheduler.creates, h.scheduler.deletes]).toEqual([1, 1]);
  });
});
