import { describe, expect, it } from 'vitest';
import { evaluateCheck, whereToLook } from '../../../shared/qa/qa-checks.js';
import { exitCodeOf } from '../../../shared/qa/qa-runner.js';

const person = {
  found: true,
  attributes: { email: 'a@example.com', orders_count: 2 },
  events: [{ name: 'Order Completed', data: { order_id: '9', is_test: true } }],
  mergedAnonymousIds: ['b1'],
};
const who = { id: '7', email: 'qa+r1-order@example.com' };

describe('QA checks', () => {
  it('holds an event with its properties, and waits for one that is not there yet', () => {
    expect(
      evaluateCheck({ kind: 'event', name: 'Order Completed', data: { order_id: '9' }, says: '' }, person, 0)
        .ok,
    ).toBe(true);
    expect(
      evaluateCheck({ kind: 'event', name: 'Order Completed', data: { order_id: '8' }, says: '' }, person, 0),
    ).toMatchObject({
      ok: false,
      final: false,
    });
  });

  it('proves an absence only once its due time passed, and fails for good when the event came', () => {
    const check = { kind: 'no-event', name: 'Checkout Abandoned', notBefore: 1_000, says: '' } as const;
    expect(evaluateCheck(check, person, 999)).toMatchObject({ ok: false, final: false });
    expect(evaluateCheck(check, person, 1_000)).toMatchObject({ ok: true, final: true });
    const sent = { ...person, events: [...person.events, { name: 'Checkout Abandoned', data: {} }] };
    expect(evaluateCheck(check, sent, 0)).toMatchObject({ ok: false, final: true });
  });

  it('checks attributes set and absent, and browsers merged', () => {
    expect(
      evaluateCheck({ kind: 'attribute', name: 'orders_count', absent: true, says: '' }, person, 0).ok,
    ).toBe(false);
    expect(
      evaluateCheck({ kind: 'attribute', name: 'email', value: 'a@example.com', says: '' }, person, 0).ok,
    ).toBe(true);
    expect(
      evaluateCheck({ kind: 'merged', anonymousId: 'b1', anonymousEvent: 'x', says: '' }, person, 0).ok,
    ).toBe(true);
    expect(evaluateCheck({ kind: 'event', name: 'x', says: '' }, { ...person, found: false }, 0).detail).toBe(
      'person not found yet',
    );
  });

  it('says exactly where to look in Customer.io', () => {
    expect(
      whereToLook({ kind: 'event', name: 'Order Refunded', data: { order_id: '9' }, says: '' }, who),
    ).toBe(
      'People → search "qa+r1-order@example.com" (id 7) → Activity: an event "Order Refunded" with {"order_id":"9"}',
    );
  });

  it('exits 0 only when every scenario passed', () => {
    const report = (status: 'pass' | 'fail' | 'manual' | 'not run') => ({
      id: status,
      title: status,
      shouldBeTrue: '',
      status,
      results: [],
    });
    expect(exitCodeOf([report('pass')])).toBe(0);
    expect(exitCodeOf([report('pass'), report('manual')])).toBe(2);
    expect(exitCodeOf([report('pass'), report('not run')])).toBe(2);
    expect(exitCodeOf([report('manual'), report('fail')])).toBe(1);
    expect(exitCodeOf([])).toBe(1);
  });
});
