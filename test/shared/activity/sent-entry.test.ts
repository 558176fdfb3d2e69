import { describe, expect, it } from 'vitest';
import { ActivityEntrySchema } from '../../../shared/activity/activity-entry.js';
import { subjectOf } from '../../../shared/activity/activity-subject.js';
import { outboxSubject, sentRecords } from '../../../shared/activity/sent-entry.js';
import { DestinationRejectedError } from '../../../shared/delivery/customerio-errors.js';
import { DependencyError } from '../../../shared/errors.js';

const SHOP = 'demo.myshopify.com';
const AT = new Date('2026-11-28T10:00:05.000Z');
const trace = { delivery_id: 'wh-1', received_at: '2026-11-28T10:00:00.000Z' };

const event = (customerId: string, name: string, id: string) =>
  JSON.stringify({
    type: 'event',
    identifiers: { id: customerId },
    event: { name, id, shop: SHOP, person: { customer_id: customerId, email: 'ann@example.com' } },
    trace,
  });
const mergeIdentify = (customerId: string, anonymousId: string) =>
  JSON.stringify({
    type: 'identify',
    identifiers: { id: customerId },
    update: { shop: SHOP, person: { customer_id: customerId }, attributes: { anonymous_id: anonymousId } },
    trace,
  });

describe('sentRecords', () => {
  it('groups a call by person and tells accepted, rejected and retrying operations apart', () => {
    // Prepare
    const records = [
      { messageId: 'm1', body: event('1', 'Order Completed', 'EV1') },
      { messageId: 'm2', body: mergeIdentify('1', 'anon-phone') },
      { messageId: 'm3', body: event('2', 'Review Submitted', 'EV3') },
      { messageId: 'm4', body: 'not json' },
    ];
    const errors = new Map<string, unknown>([
      ['m2', new DestinationRejectedError('Customer.io refused the item')],
      ['m3', new DependencyError('timeout', 'customerio')],
    ]);

    // Act
    const out = sentRecords(records, errors, AT);

    // Assess
    expect(out.map((r) => r.subject).sort()).toEqual([
      subjectOf('customer', '1'),
      subjectOf('customer', '2'),
    ]);
    const first = ActivityEntrySchema.parse(out.find((r) => r.subject === 'customer:1')?.entry);
    if (first.kind !== 'sent') throw new Error('expected a sent entry');
    expect(first.operations).toEqual([
      { op: 'event', name: 'Order Completed', eventId: 'EV1', deliveryId: 'wh-1', status: 'accepted' },
      {
        op: 'identify',
        anonymousId: 'anon-phone',
        deliveryId: 'wh-1',
        status: 'rejected',
        code: 'destination_rejected',
      },
    ]);
    const second = ActivityEntrySchema.parse(out.find((r) => r.subject === 'customer:2')?.entry);
    expect(second).toMatchObject({ operations: [{ status: 'retrying', code: 'dependency_failed' }] });
    expect(JSON.stringify(out)).not.toContain('ann@example.com');
  });

  it('files profile merges under the guest profile and strips a customer id prefix when told how', () => {
    const merge = JSON.stringify({
      type: 'merge',
      primary: { id: 'shop1-7' },
      secondary: { email: 'guest@example.com' },
      shop: SHOP,
      dedupe_key: 'k',
    });
    const remove = JSON.stringify({
      type: 'delete',
      identifiers: { id: 'shop1-7' },
      shop: SHOP,
      dedupe_key: 'd',
    });
    const out = sentRecords(
      [
        { messageId: 'a', body: merge },
        { messageId: 'b', body: remove },
      ],
      new Map(),
      AT,
      (_shop, id) => id.replace(/^shop1-/, ''),
    );
    expect(out.map((r) => r.subject)).toEqual([subjectOf('email', 'guest@example.com'), 'customer:7']);
  });

  it('names the shop, person and operation of a parked outbox message, and nothing for a foreign body', () => {
    expect(outboxSubject()(event('9', 'Order Refunded', 'EV9'))).toEqual({
      shop: SHOP,
      subject: 'customer:9',
      what: 'event Order Refunded',
    });
    expect(outboxSubject()('{"type":"event"}')).toBeUndefined();
  });
});
