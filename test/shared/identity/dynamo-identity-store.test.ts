import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIdentityStore } from '../../../shared/identity/dynamo-identity-store.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';

const SHOP = 'demo.myshopify.com';
const T1 = '2026-11-28T10:00:00.000Z';
const T2 = '2026-11-28T11:00:00.000Z';

describe('DynamoIdentityStore on dynalite', () => {
  let table: TestTable;
  let store: DynamoIdentityStore;
  let now = new Date('2026-11-28T12:00:00Z');

  beforeAll(async () => {
    table = await startTestTable();
    store = new DynamoIdentityStore(
      table.client,
      {
        tableName: table.tableName,
        personRetentionDays: 400,
        anonymousRetentionDays: 30,
        maxAnonymousIdsPerToken: 3,
      },
      () => now,
    );
  });
  afterAll(async () => table.close());

  it('never mixes two people on one identifier: a newer statement about someone else replaces the person', async () => {
    await store.bindPerson(
      SHOP,
      'phone',
      '+16135550123',
      { customer_id: '111', email: 'a@example.com', phone: '+16135550123' },
      T1,
    );
    await store.bindPerson(
      SHOP,
      'phone',
      '+16135550123',
      { email: 'b@example.com', phone: '+16135550123' },
      T2,
    );
    expect((await store.read(SHOP, 'phone', '+16135550123')).person).toEqual({
      email: 'b@example.com',
      phone: '+16135550123',
    });
  });

  it('adds to the person when the statement is compatible, even if it carries less', async () => {
    await store.bindPerson(
      SHOP,
      'email',
      'kim@example.com',
      { customer_id: '222', email: 'kim@example.com' },
      T1,
    );
    await store.bindPerson(
      SHOP,
      'email',
      'kim@example.com',
      { email: 'kim@example.com', phone: '+442079460018' },
      T2,
    );
    expect((await store.read(SHOP, 'email', 'kim@example.com')).person).toEqual({
      customer_id: '222',
      email: 'kim@example.com',
      phone: '+442079460018',
    });
    // The node stays findable under the customer id for a redact.
    expect((await store.forgetPerson(SHOP, { customer_id: '222' })).removed).toBeGreaterThan(0);
    expect((await store.read(SHOP, 'email', 'kim@example.com')).person).toBeUndefined();
  });

  it('binds identifiers to a person and keeps the newest statement', async () => {
    await store.bindPerson(
      SHOP,
      'email',
      'ada@example.com',
      { customer_id: '1', email: 'ada@example.com' },
      T2,
    );
    await store.bindPerson(
      SHOP,
      'email',
      'ada@example.com',
      { customer_id: '9', email: 'ada@example.com' },
      T1,
    );
    expect(await store.read(SHOP, 'email', 'ada@example.com')).toEqual({
      person: { customer_id: '1', email: 'ada@example.com' },
      anonymousIds: [],
    });
    await store.bindPerson(SHOP, 'email', 'ada@example.com', { customer_id: '1', phone: '+14155550100' }, T2);
    expect((await store.read(SHOP, 'email', 'ada@example.com')).person).toEqual({
      customer_id: '1',
      email: 'ada@example.com',
      phone: '+14155550100',
    });
  });

  it('reads nothing for an unknown identifier, and keeps shops apart', async () => {
    expect(await store.read(SHOP, 'customer_id', 'nobody')).toEqual({ anonymousIds: [] });
    expect(await store.read('other.myshopify.com', 'email', 'ada@example.com')).toEqual({ anonymousIds: [] });
  });

  it('attaches several browsers to one token, idempotently, beside the token owner', async () => {
    expect(await store.attachAnonymous(SHOP, 'cart_token', 'cart-1', 'anon-phone', T1)).toEqual({
      attached: true,
    });
    await store.attachAnonymous(SHOP, 'cart_token', 'cart-1', 'anon-desktop', T1);
    await store.attachAnonymous(SHOP, 'cart_token', 'cart-1', 'anon-phone', T2);
    await store.bindPerson(SHOP, 'cart_token', 'cart-1', { email: 'ada@example.com' }, T2);
    const node = await store.read(SHOP, 'cart_token', 'cart-1');
    expect(node.person).toEqual({ email: 'ada@example.com' });
    expect([...node.anonymousIds].sort()).toEqual(['anon-desktop', 'anon-phone']);
    // A later browser learns the owner from the same write that attaches it.
    expect(await store.attachAnonymous(SHOP, 'cart_token', 'cart-1', 'anon-tablet', T2)).toEqual({
      attached: true,
      owner: { email: 'ada@example.com' },
    });
  });

  it('refuses browsers past the per-token cap, but still takes one already attached', async () => {
    for (const id of ['b1', 'b2', 'b3']) await store.attachAnonymous(SHOP, 'cart_token', 'cart-cap', id, T1);
    expect(await store.attachAnonymous(SHOP, 'cart_token', 'cart-cap', 'b4', T1)).toEqual({
      attached: false,
    });
    expect(await store.attachAnonymous(SHOP, 'cart_token', 'cart-cap', 'b2', T2)).toEqual({ attached: true });
    expect((await store.read(SHOP, 'cart_token', 'cart-cap')).anonymousIds).toEqual(['b1', 'b2', 'b3']);
  });

  it('binds an anonymous id to the first person only; the same person (by id or email) binds again', async () => {
    const ada = { customer_id: '1', email: 'ada@example.com' };
    expect(await store.bindAnonymous(SHOP, 'anon-x', { email: 'ada@example.com' }, T1)).toEqual({
      bound: true,
      person: { email: 'ada@example.com' },
      boundAt: T1,
    });
    expect(await store.bindAnonymous(SHOP, 'anon-x', ada, T2)).toEqual({
      bound: true,
      person: ada,
      boundAt: T1,
    });
    expect(
      await store.bindAnonymous(SHOP, 'anon-x', { customer_id: '2', email: 'bob@example.com' }, T2),
    ).toEqual({ bound: false, person: ada, boundAt: T1 });
    expect(await store.personOfAnonymous(SHOP, 'anon-x')).toEqual(ada);
    expect(await store.personOfAnonymous(SHOP, 'anon-never')).toBeUndefined();
  });

  it('forgets every item bound to a person on a redact, and nothing of anyone else', async () => {
    const zoe = { customer_id: '50', email: 'zoe@example.com', phone: '+14155550123' };
    await store.bindPerson(SHOP, 'email', 'zoe@example.com', { email: 'zoe@example.com' }, T1);
    await store.bindPerson(SHOP, 'customer_id', '50', zoe, T2);
    await store.bindPerson(SHOP, 'phone', '+14155550123', zoe, T2);
    await store.bindPerson(SHOP, 'cart_token', 'cart-zoe', zoe, T2);
    await store.bindAnonymous(SHOP, 'anon-zoe', zoe, T2);
    await store.bindPerson(
      SHOP,
      'email',
      'sam@example.com',
      { customer_id: '51', email: 'sam@example.com' },
      T2,
    );

    expect(await store.forgetPerson(SHOP, { customer_id: '50', email: 'zoe@example.com' })).toEqual({
      removed: 5,
      tokens: [['cart_token', 'cart-zoe']],
    });
    expect(await store.read(SHOP, 'email', 'zoe@example.com')).toEqual({ anonymousIds: [] });
    expect(await store.read(SHOP, 'phone', '+14155550123')).toEqual({ anonymousIds: [] });
    expect(await store.read(SHOP, 'cart_token', 'cart-zoe')).toEqual({ anonymousIds: [] });
    expect(await store.personOfAnonymous(SHOP, 'anon-zoe')).toBeUndefined();
    expect((await store.read(SHOP, 'email', 'sam@example.com')).person).toEqual({
      customer_id: '51',
      email: 'sam@example.com',
    });
    expect(await store.forgetPerson(SHOP, { customer_id: '50', email: 'zoe@example.com' })).toEqual({
      removed: 0,
      tokens: [],
    });
  });

  it('lets expired attachments and bindings count as absent (TTL deletes late)', async () => {
    await store.attachAnonymous(SHOP, 'checkout_token', 'co-1', 'anon-old', T1);
    await store.bindAnonymous(SHOP, 'anon-old', { customer_id: '1' }, T1);
    now = new Date('2029-01-01T00:00:00Z');
    expect(await store.read(SHOP, 'checkout_token', 'co-1')).toEqual({ anonymousIds: [] });
    expect(await store.personOfAnonymous(SHOP, 'anon-old')).toBeUndefined();
    expect((await store.bindAnonymous(SHOP, 'anon-old', { customer_id: '2' }, T2)).bound).toBe(true);
    now = new Date('2026-11-28T12:00:00Z');
  });
});
