import { describe, expect, it } from 'vitest';
import type { Person, PersonEvent } from '../../../shared/journeys/capture-people.js';
import {
  allOf,
  anyOf,
  attribute,
  type Campaign,
  type Comparison,
  contains,
  DAY_MS,
  doesNotExist,
  isEqualTo,
  isGreaterThan,
  notPerformed,
  onEvent,
  performed,
  span,
  timestampBeforeDaysAgo,
  where,
  whereAtLeastOne,
} from '../../../shared/journeys/conditions.js';
import {
  channelsMessaged,
  compare,
  matches,
  passes,
  runCampaign,
} from '../../../shared/journeys/evaluate.js';

const NOW = Date.parse('2026-11-28T10:00:00.000Z');
const HOUR = 3_600_000;

const ev = (
  name: string,
  atMs: number,
  data: Record<string, unknown> = {},
  arrivedMs = atMs,
): PersonEvent => ({
  id: `${name}-${atMs}`,
  name,
  at: NOW + atMs,
  arrivedAt: NOW + arrivedMs,
  data,
});

const personWith = (
  options: {
    events?: PersonEvent[];
    attributes?: Record<string, unknown>;
    firstSeenMs?: number;
    email?: string;
  } = {},
): Person => ({
  id: '1',
  email: options.email ?? 'a@example.com',
  firstSeenAt: NOW + (options.firstSeenMs ?? -400 * DAY_MS),
  anonymousIds: [],
  changes: [{ arrivedAt: NOW - 400 * DAY_MS, attributes: options.attributes ?? {} }],
  events: options.events ?? [],
});

describe('compare', () => {
  const lastOrder = Math.floor((NOW - 100 * DAY_MS) / 1000);
  it.each<[unknown, Comparison, boolean]>([
    [true, isEqualTo(true), true],
    ['true', isEqualTo(true), false],
    [3, isGreaterThan(2), true],
    ['3', isGreaterThan(2), true],
    [2, isGreaterThan(2), false],
    [undefined, isGreaterThan(0), false],
    [1, { op: 'lessThan', value: 2 }, true],
    ['Coffee,Equipment', contains(','), true],
    ['Coffee', contains(','), false],
    [['a', 'b'], contains('b'), true],
    [undefined, doesNotExist(), true],
    ['', doesNotExist(), true],
    [0, doesNotExist(), false],
    [0, { op: 'exists' }, true],
    [lastOrder, timestampBeforeDaysAgo(90), true],
    [lastOrder, timestampBeforeDaysAgo(120), false],
    [lastOrder, { op: 'timestampAfter', daysAgo: 120 }, true],
    ['not a time', timestampBeforeDaysAgo(1), false],
  ])('%j %j → %s', (value, is, expected) => {
    expect(compare(value, is, NOW)).toBe(expected);
  });
});

describe('passes', () => {
  it('matches a list of objects when at least one entry meets every inner filter', () => {
    const data = {
      products: [
        { product_id: '1', quantity: 1 },
        { product_id: '2', quantity: 3 },
      ],
    };
    const filter = whereAtLeastOne(
      'products',
      where('product_id', isEqualTo('2')),
      where('quantity', isGreaterThan(2)),
    );
    expect(passes(data, filter, NOW)).toBe(true);
    expect(passes(data, whereAtLeastOne('products', where('product_id', isEqualTo('3'))), NOW)).toBe(false);
    expect(passes({ products: 'x' }, filter, NOW)).toBe(false);
  });
});

describe('matches', () => {
  it('counts an event within the window, with its data filters, once it has arrived', () => {
    const person = personWith({ events: [ev('Checkout Abandoned', -2 * HOUR, { step: 1 }, -HOUR)] });
    expect(matches(performed('Checkout Abandoned', { within: { days: 1 } }), person, NOW)).toBe(true);
    expect(
      matches(performed('Checkout Abandoned', { where: [where('step', isEqualTo(2))] }), person, NOW),
    ).toBe(false);
    expect(matches(performed('Checkout Abandoned', { within: { days: 1 } }), person, NOW + 2 * DAY_MS)).toBe(
      false,
    );
    expect(matches(performed('Checkout Abandoned'), person, NOW - 90 * 60_000)).toBe(false);
  });

  it('"has not performed within N days" matches only people known for N days (Customer.io’s rule)', () => {
    const condition = notPerformed('Order Completed', { within: { days: 7 } });
    expect(matches(condition, personWith({ firstSeenMs: -8 * DAY_MS }), NOW)).toBe(true);
    expect(matches(condition, personWith({ firstSeenMs: -HOUR }), NOW)).toBe(false);
    const knownByAnOldEvent = personWith({
      firstSeenMs: -HOUR,
      events: [ev('Product Viewed', -9 * DAY_MS, {}, -HOUR)],
    });
    expect(matches(condition, knownByAnOldEvent, NOW)).toBe(true);
    const recentBuyer = personWith({ events: [ev('Order Completed', -DAY_MS)] });
    expect(matches(condition, recentBuyer, NOW)).toBe(false);
  });

  it('combines conditions with all and any', () => {
    const person = personWith({ attributes: { orders_count: 3, top_categories: 'Coffee' } });
    const many = attribute('orders_count', isGreaterThan(2));
    const mixed = attribute('top_categories', contains(','));
    expect(matches(allOf(many, mixed), person, NOW)).toBe(false);
    expect(matches(anyOf(many, mixed), person, NOW)).toBe(true);
  });
});

describe('runCampaign', () => {
  const consent = attribute('accepts_email_marketing', isEqualTo(true));
  const campaign: Campaign = {
    trigger: onEvent('Added to Cart'),
    filter: anyOf(
      attribute('last_order_at', doesNotExist()),
      attribute('last_order_at', timestampBeforeDaysAgo(1)),
    ),
    goal: onEvent('Order Completed'),
    exit: 'goal',
    messages: [{ channel: 'email', after: span(4, 'hours'), sendIf: consent }],
  };
  const later = NOW + 5 * HOUR;

  it('sends when the trigger arrived, the filter held, nothing exited it and the channel is consented', () => {
    const outcome = runCampaign(
      campaign,
      personWith({ events: [ev('Added to Cart', 0)], attributes: { accepts_email_marketing: true } }),
      later,
    );
    expect(outcome).toMatchObject({ kind: 'entered', exit: undefined, messages: [{ outcome: 'sent' }] });
    expect(channelsMessaged(outcome)).toEqual(['email']);
  });

  it('does not start on a missing trigger, nor on one older than 72 hours when it arrived', () => {
    expect(runCampaign(campaign, personWith(), later).kind).toBe('not_triggered');
    const late = personWith({ events: [ev('Added to Cart', -73 * HOUR, {}, 0)] });
    expect(runCampaign(campaign, late, later).kind).toBe('not_triggered');
  });

  it('keeps out people failing the filter when they enter', () => {
    const recentBuyer = personWith({
      events: [ev('Added to Cart', 0)],
      attributes: { last_order_at: Math.floor((NOW - HOUR) / 1000) },
    });
    expect(runCampaign(campaign, recentBuyer, later).kind).toBe('filtered_out');
  });

  it('exits on a goal that arrives after entry, but not on one processed before it', () => {
    const converted = personWith({ events: [ev('Added to Cart', 0), ev('Order Completed', HOUR)] });
    expect(runCampaign(campaign, converted, later)).toMatchObject({
      exit: { reason: 'goal' },
      messages: [{ outcome: 'exited' }],
    });
    const boughtFirst = personWith({
      events: [ev('Order Completed', -HOUR), ev('Added to Cart', -2 * HOUR, {}, 0)],
      attributes: { accepts_email_marketing: true },
    });
    expect(runCampaign(campaign, boughtFirst, later)).toMatchObject({ exit: undefined });
  });

  it('exits when the filter stops matching, when the exit criteria say so', () => {
    const person = {
      ...personWith({ events: [ev('Added to Cart', 0)] }),
      changes: [{ arrivedAt: NOW + HOUR, attributes: { last_order_at: Math.floor((NOW + HOUR) / 1000) } }],
    };
    expect(runCampaign({ ...campaign, exit: 'goal-or-filter' }, person, later)).toMatchObject({
      exit: { reason: 'filter' },
    });
    expect(runCampaign(campaign, person, later)).toMatchObject({ exit: undefined });
  });

  it('does not send before the delay, to unsubscribed people, without an address, or without consent', () => {
    const base = { events: [ev('Added to Cart', 0)], attributes: { accepts_email_marketing: true } };
    const outcomeOf = (person: Person, when = later): string | undefined => {
      const outcome = runCampaign(campaign, person, when);
      return outcome.kind === 'entered' ? outcome.messages[0]?.outcome : outcome.kind;
    };
    expect(outcomeOf(personWith(base), NOW + HOUR)).toBe('not_due');
    expect(outcomeOf(personWith({ ...base, attributes: { ...base.attributes, unsubscribed: true } }))).toBe(
      'skipped_unsubscribed',
    );
    expect(outcomeOf({ ...personWith(base), email: undefined })).toBe('skipped_no_address');
    expect(outcomeOf(personWith({ ...base, attributes: { accepts_email_marketing: false } }))).toBe(
      'skipped_send_condition',
    );
  });

  it('follows the latest trigger', () => {
    const person = personWith({
      events: [ev('Added to Cart', -2 * HOUR, { value: 1 }), ev('Added to Cart', 0, { value: 2 })],
      attributes: { accepts_email_marketing: true },
    });
    const outcome = runCampaign(campaign, person, later);
    expect(outcome.kind === 'entered' && outcome.trigger.data).toEqual({ value: 2 });
  });
});
