import { describe, expect, it } from 'vitest';
import {
  attributesAt,
  type CapturedCall,
  findPerson,
  peopleFromCapture,
} from '../../../shared/journeys/capture-people.js';

const T0 = Date.parse('2026-11-28T10:00:00.000Z');
const MINUTE = 60_000;
const at = (ms: number): string => new Date(T0 + ms).toISOString();
const unix = (ms: number): number => Math.floor((T0 + ms) / 1000);

const batch = (ms: number, ...ops: unknown[]): CapturedCall => ({
  path: '/api/v2/batch',
  receivedAt: at(ms),
  body: { batch: ops },
});
const identify = (identifiers: object, attributes: object) => ({
  type: 'person',
  action: 'identify',
  identifiers,
  timestamp: unix(0),
  attributes,
});
const event = (identifiers: object, name: string, id: string, whenMs = 0, attributes: object = {}) => ({
  type: 'person',
  action: 'event',
  identifiers,
  name,
  id,
  timestamp: unix(whenMs),
  attributes,
});
const anonymous = (ms: number, anonymousId: string, name: string, id: string, whenMs = ms): CapturedCall => ({
  path: '/api/v1/events',
  receivedAt: at(ms),
  body: { anonymous_id: anonymousId, name, id, timestamp: unix(whenMs), data: { page_url: null } },
});

describe('peopleFromCapture', () => {
  it('merges identify attributes key by key in arrival order, and keeps what held at each moment', () => {
    const model = peopleFromCapture([
      batch(0, identify({ id: '1' }, { email: 'A@Example.com', orders_count: 1 })),
      batch(MINUTE, identify({ id: '1' }, { orders_count: 2, accepts_email_marketing: true })),
    ]);
    const person = findPerson(model, { id: '1' });
    expect(person && attributesAt(person)).toEqual({
      email: 'A@Example.com',
      orders_count: 2,
      accepts_email_marketing: true,
    });
    expect(person && attributesAt(person, T0)).toEqual({ email: 'A@Example.com', orders_count: 1 });
    expect(findPerson(model, { email: 'a@example.com' })).toBe(person);
  });

  it('files an event addressed by email on the profile that has that email', () => {
    const model = peopleFromCapture([
      batch(0, identify({ id: '1' }, { email: 'ann@example.com' })),
      batch(MINUTE, event({ email: 'Ann@Example.com' }, 'Review Submitted', 'ev-1')),
    ]);
    expect(model.people).toHaveLength(1);
    expect(findPerson(model, { id: '1' })?.events.map((e) => e.name)).toEqual(['Review Submitted']);
  });

  it('lets an id identify carrying the email of an id-less profile adopt it (guest becomes an account)', () => {
    const model = peopleFromCapture([
      batch(0, event({ email: 'guest@example.com' }, 'Order Completed', 'ev-1')),
      batch(MINUTE, identify({ id: '9' }, { email: 'guest@example.com' })),
    ]);
    expect(model.people.map((p) => [p.id, p.email, p.events.length])).toEqual([
      ['9', 'guest@example.com', 1],
    ]);
  });

  it('keeps one event per id, as Customer.io deduplicates a resend', () => {
    const model = peopleFromCapture([
      batch(0, event({ id: '1' }, 'Order Completed', 'ev-1')),
      batch(MINUTE, event({ id: '1' }, 'Order Completed', 'ev-1')),
    ]);
    expect(findPerson(model, { id: '1' })?.events).toHaveLength(1);
  });

  it('attaches a browser’s anonymous events received before, or up to five minutes after, the identify naming it', () => {
    const model = peopleFromCapture([
      anonymous(-10 * MINUTE, 'b-1', 'Product Viewed', 'a-1'),
      batch(0, identify({ id: '1' }, { anonymous_id: 'b-1' })),
      anonymous(4 * MINUTE, 'b-1', 'Added to Cart', 'a-2'),
      anonymous(6 * MINUTE, 'b-1', 'Cart Viewed', 'a-3'),
    ]);
    const person = findPerson(model, { id: '1' });
    expect(person?.events.map((e) => [e.name, e.arrivedAt - T0])).toEqual([
      ['Product Viewed', 0],
      ['Added to Cart', 4 * MINUTE],
    ]);
    expect(model.anonymousEvents.map((e) => e.event.name)).toEqual(['Cart Viewed']);
  });

  it('leaves anonymous events older than 30 days anonymous, and gives a browser to the first person only', () => {
    const model = peopleFromCapture([
      anonymous(-MINUTE, 'b-1', 'Product Viewed', 'a-old', -31 * 24 * 60 * MINUTE),
      anonymous(-MINUTE, 'b-1', 'Product Viewed', 'a-new'),
      batch(0, identify({ id: '1' }, { anonymous_id: 'b-1' })),
      batch(MINUTE, identify({ id: '2' }, { anonymous_id: 'b-1' })),
    ]);
    expect(findPerson(model, { id: '1' })?.events.map((e) => e.id)).toEqual(['a-new']);
    expect(findPerson(model, { id: '2' })?.events).toEqual([]);
    expect(model.anonymousEvents.map((e) => e.event.id)).toEqual(['a-old']);
  });

  it('moves the secondary profile into the primary on a merge; the primary’s values win', () => {
    const model = peopleFromCapture([
      batch(0, identify({ email: 'x@example.com' }, { first_name: 'Guest', city: 'Ottawa' })),
      batch(0, event({ email: 'x@example.com' }, 'Order Completed', 'ev-1')),
      batch(0, identify({ id: '7' }, { first_name: 'Account' })),
      batch(MINUTE, {
        type: 'person',
        action: 'merge',
        primary: { id: '7' },
        secondary: { email: 'x@example.com' },
      }),
    ]);
    expect(model.people).toHaveLength(1);
    const person = findPerson(model, { id: '7' });
    expect(person && attributesAt(person)).toEqual({ first_name: 'Account', city: 'Ottawa' });
    expect(person?.events.map((e) => e.id)).toEqual(['ev-1']);
  });

  it('removes a deleted person', () => {
    const model = peopleFromCapture([
      batch(0, identify({ id: '1' }, { email: 'a@example.com' })),
      batch(MINUTE, { type: 'person', action: 'delete', identifiers: { id: '1' } }),
    ]);
    expect(model.people).toEqual([]);
  });

  it('lists what it cannot read instead of guessing', () => {
    const model = peopleFromCapture([
      { path: '/api/v1/customers/1', receivedAt: at(0), body: {} },
      batch(0, { type: 'person', action: 'add_device', identifiers: { id: '1' } }),
      { path: '/api/v1/events', receivedAt: at(0), body: { name: 'no browser' } },
      batch(0, identify({ anonymous_id: 'b-1' }, {})),
    ]);
    expect(model.unreadable).toHaveLength(4);
    expect(model.unreadable[0]).toBe('a request to /api/v1/customers/1');
    expect(model.people).toEqual([]);
  });
});
