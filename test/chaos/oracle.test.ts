import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../local/dead-letter-audit.js';
import type { AppliedOperation } from './customerio-chaos.js';
import { judge } from './oracle.js';
import type { ExpectedEvent, Scenario } from './scenario-types.js';

const order = (id: string, deliveries: string[] = [`wh-${id}`]): ExpectedEvent => ({
  key: `Order Completed order=${id}`,
  name: 'Order Completed',
  matches: (a) => a.order_id === id,
  deliveries,
});

const applied = (
  name: string,
  id: string,
  attributes: Record<string, unknown>,
  sequence: number,
): AppliedOperation => ({
  action: 'event',
  name,
  id,
  identifiers: { id: 'c1' },
  attributes,
  sequence,
});

const letter = (
  queue: string,
  body: unknown,
  attributes: Record<string, string>,
  reason = true,
): DeadLetter => ({
  queue,
  body: JSON.stringify(body),
  attributes,
  ...(reason
    ? { why: { format: 'worker' as const, code: attributes.failure_code ?? 'x', reason: 'r' } }
    : {}),
});

describe('the chaos oracle', () => {
  it('tells delivered, duplicated, parked and lost events apart, and counts what nothing asked for', () => {
    const scenario: Scenario = {
      seed: 1,
      stories: [],
      deliveries: [],
      expected: [order('1'), order('2'), order('3'), order('4'), order('5')],
      tolerated: [{ why: 'late', name: 'Checkout Abandoned', matches: (a) => a.cart_id === 'c' }],
      people: [{ customerId: 'c9', attributes: { first_name: 'New' }, deliveries: ['wh-p'] }],
    };
    const operations: AppliedOperation[] = [
      applied('Order Completed', 'A', { order_id: '1' }, 0),
      applied('Order Completed', 'A', { order_id: '1' }, 1),
      applied('Order Completed', 'B', { order_id: '2' }, 2),
      applied('Order Completed', 'C', { order_id: '2' }, 3),
      applied('Checkout Abandoned', 'D', { cart_id: 'c' }, 4),
      applied('Cart Abandoned', 'E', { cart_id: 'z' }, 5),
      { action: 'identify', identifiers: { id: 'c9' }, attributes: { first_name: 'New' }, sequence: 6 },
      { action: 'identify', identifiers: { id: 'c9' }, attributes: { first_name: 'Old' }, sequence: 7 },
    ];
    const letters = [
      letter('inbox-dlq', { deliveryId: 'wh-3' }, { failure_code: 'payload_invalid', delivery_id: 'wh-3' }),
      letter(
        'outbox-dlq',
        { type: 'event', event: { name: 'Order Completed', properties: { order_id: '4' } } },
        { failure_code: 'destination_rejected' },
      ),
      letter('outbox-dlq', { type: 'identify' }, {}, false),
    ];

    const verdict = judge(scenario, operations, letters);

    expect(verdict).toMatchObject({
      expected: 5,
      delivered: 2,
      duplicateIds: ['Order Completed order=2'],
      parkedExpected: ['Order Completed order=3', 'Order Completed order=4'],
      lost: ['Order Completed order=5'],
      unexpected: ['Cart Abandoned cart_id=z'],
      tolerated: { late: 1 },
      resentIds: 1,
      parkedWithReason: { 'inbox-dlq payload_invalid': 1, 'outbox-dlq destination_rejected': 1 },
      peopleChecked: 1,
    });
    expect(verdict.parkedWithoutReason).toHaveLength(1);
    expect(verdict.stalePeople).toEqual(['customer c9: first_name=Old (applied in order: New → Old)']);
  });
});
