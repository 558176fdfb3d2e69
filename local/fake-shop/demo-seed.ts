import {
  fakeCharge,
  fakeCustomer,
  fakeLine,
  fakeOrder,
  fakeRechargeCustomer,
  fakeReview,
  fakeSubscription,
} from './fake-data.js';
import type { FakeShop } from './fake-shop-server.js';

/** The demo's people, by Shopify customer id. */
export const DEMO_PEOPLE = { ada: 101, grace: 102, linus: 103 } as const;

/** The date the demo backfills from: Linus's only order is older, so it stays out. */
export const DEMO_SINCE = '2025-01-01';

/**
 * Fills a fake shop with a small history: three customers with email and SMS consent, five orders (one cancelled,
 * one partly refunded, one before {@link DEMO_SINCE}), a Recharge customer with an active and a cancelled
 * subscription and a paid charge, and two Judge.me reviews. docs/backfill.md shows the rollups it becomes.
 */
export const seedDemoShop = (shop: FakeShop): void => {
  const ada = fakeCustomer({
    id: DEMO_PEOPLE.ada,
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: '+16135550101',
    smsState: 'SUBSCRIBED',
    createdAt: '2024-11-02T09:00:00Z',
    updatedAt: '2025-06-05T12:00:00Z',
  });
  const grace = fakeCustomer({
    id: DEMO_PEOPLE.grace,
    email: 'grace@example.com',
    firstName: 'Grace',
    lastName: 'Hopper',
    emailState: 'NOT_SUBSCRIBED',
    createdAt: '2025-04-09T09:00:00Z',
    updatedAt: '2025-08-20T10:00:00Z',
  });
  const linus = fakeCustomer({
    id: DEMO_PEOPLE.linus,
    email: 'linus@example.com',
    firstName: 'Linus',
    emailState: 'UNSUBSCRIBED',
    createdAt: '2024-11-30T09:00:00Z',
    updatedAt: '2025-02-01T09:00:00Z',
  });
  shop.shopify.customers = [ada, grace, linus];
  shop.shopify.orders = [
    fakeOrder({
      id: 5001,
      customer: ada,
      lines: [fakeLine(1, 20, 2, 'Coffee'), fakeLine(2, 15, 1, 'Tea')],
      createdAt: '2025-03-01T10:00:00Z',
    }),
    fakeOrder({
      id: 5002,
      customer: ada,
      lines: [fakeLine(3, 30, 1, 'Coffee')],
      createdAt: '2025-06-01T10:00:00Z',
      refunds: [{ id: 6001, amount: 10, createdAt: '2025-06-05T12:00:00Z' }],
    }),
    fakeOrder({
      id: 5003,
      customer: grace,
      lines: [fakeLine(4, 100, 1, 'Equipment')],
      createdAt: '2025-04-10T10:00:00Z',
      cancelledAt: '2025-04-11T10:00:00Z',
    }),
    fakeOrder({
      id: 5004,
      customer: grace,
      lines: [fakeLine(5, 42.5, 2, 'Tea')],
      createdAt: '2025-08-20T10:00:00Z',
    }),
    fakeOrder({
      id: 5005,
      customer: linus,
      lines: [fakeLine(6, 12, 1, 'Coffee')],
      createdAt: '2024-12-01T10:00:00Z',
    }),
  ];
  const subscriber = { id: 701, email: 'ada@example.com', shopifyId: DEMO_PEOPLE.ada };
  shop.recharge.customers = [fakeRechargeCustomer({ ...subscriber, updatedAt: '2025-03-01T10:00:00+00:00' })];
  shop.recharge.subscriptions = [
    fakeSubscription({ id: 801, customerId: 701, createdAt: '2025-03-01T10:00:00+00:00' }),
    fakeSubscription({
      id: 802,
      customerId: 701,
      createdAt: '2025-02-01T10:00:00+00:00',
      cancelledAt: '2025-05-01T10:00:00+00:00',
    }),
  ];
  shop.recharge.charges = [
    fakeCharge({
      id: 901,
      customer: subscriber,
      shopifyOrderId: 5001,
      total: 55,
      processedAt: '2025-03-01T10:00:00+00:00',
    }),
  ];
  shop.judgeme.reviews = [
    fakeReview({ id: 951, email: 'grace@example.com', rating: 4, createdAt: '2025-09-01T10:00:00Z' }),
    fakeReview({ id: 952, email: 'ada@example.com', rating: 5, createdAt: '2025-07-01T10:00:00Z' }),
  ];
};
