import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRef } from '../../../shared/canonical/common.js';
import type { CanonicalEventDraft } from '../../../shared/canonical/events.js';
import type { PersonUpdate } from '../../../shared/canonical/person.js';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { DynamoIdentityStore, IDENTITY_RETENTION } from '../../../shared/identity/dynamo-identity-store.js';
import type { IdentityConfig } from '../../../shared/identity/identifiers.js';
import { type Normalized, normalized } from '../../../shared/normalize/normalizer.js';
import { EMPTY_ROLLUP, type RollupState } from '../../../shared/people/rollup.js';
import { rollupStage } from '../../../shared/people/rollup-stage.js';
import { DynamoRollupStore } from '../../../shared/people/rollup-store.js';
import { planOutputs } from '../../../shared/process/plan-outputs.js';
import { orderCompletedDraft } from '../../helpers/canonical-fixtures.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { testTelemetry } from '../../helpers/fakes.js';
import { shopifyEnvelope } from '../../helpers/shopify-delivery.js';

const SHOP = 'demo.myshopify.com';
const CUSTOMER_ID: IdentityConfig = { strategy: 'customer_id', customerIdPrefix: '' };
const EMAIL: IdentityConfig = { strategy: 'email', customerIdPrefix: '' };

const reviewDraft = (id: string, email: string, rating: number): CanonicalEventDraft => ({
  name: 'Review Submitted',
  dedupe_key: `review-submitted#${SHOP}#judgeme#${id}`,
  source: 'judgeme',
  shop: SHOP,
  occurred_at: '2026-11-20T10:00:00.000Z',
  person: { email },
  properties: {
    review_id: id,
    product_id: '1',
    product_name: 'Grinder',
    rating,
    title: null,
    body: null,
    verified_buyer: true,
    platform: 'judgeme',
  },
});

/** The rollup identify a stage output sends last, as deliver would address it. */
const lastRollup = (output: Normalized, identity: IdentityConfig) => {
  const update = output.people.at(-1) as PersonUpdate;
  const plan = planOutputs({ ...output, events: [], people: [update] }, identity, {
    delivery_id: 'd',
    received_at: '2026-11-28T00:00:00.000Z',
  });
  const message = JSON.parse(plan.emits[0]?.body ?? '{}') as { identifiers: unknown };
  return { identifiers: message.identifiers, attributes: update.attributes };
};

describe('one rollup per person, whichever identifier an event names (dynalite)', () => {
  let table: TestTable;
  const envelope = shopifyEnvelope('orders/create', '{}');
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table.close());

  const identityStore = () =>
    new DynamoIdentityStore(
      table.client,
      { tableName: table.tableName, ...IDENTITY_RETENTION, maxAnonymousIdsPerToken: 10 },
      () => new Date('2026-11-28T00:00:00Z'),
    );
  const stage = (identity: IdentityConfig = CUSTOMER_ID, moved: [string, number][] = []) =>
    rollupStage({
      store: new DynamoRollupStore(table.client, table.tableName),
      identity,
      clock: () => new Date('2026-11-28T00:00:00Z'),
      telemetry: testTelemetry(),
      moved: async (key, version) => {
        moved.push([key, version]);
      },
      personOf: async (shop, kind, value) => (await identityStore().read(shop, kind, value)).person,
    });
  const order = (id: string, total: number, person: PersonRef) =>
    normalized([orderCompletedDraft(id, total, person)]);

  it('a review naming only the email updates the buyer rollup and goes to their customer profile (gap 9)', async () => {
    // Prepare
    const s = stage();
    const buyer = { customer_id: 'rv-1', email: 'Buyer.One@example.com' };
    await s.apply(order('rv-o1', 120, buyer), envelope);
    await s.apply(order('rv-o2', 80, buyer), envelope);

    // Act
    const reviewed = await s.apply(normalized([reviewDraft('rv-r1', 'buyer.one@example.com', 5)]), envelope);

    // Assess
    expect(lastRollup(reviewed, CUSTOMER_ID)).toEqual({
      identifiers: { id: 'rv-1' },
      attributes: expect.objectContaining({
        orders_count: 2,
        total_spent: 200,
        average_order_value: 100,
        last_review_rating: 5,
      }),
    });
  });

  it("a guest's orders join their account's, once; the account holder's later email-only events too", async () => {
    // Prepare
    const moved: [string, number][] = [];
    const s = stage(CUSTOMER_ID, moved);
    const email = 'guest.later@example.com';
    await s.apply(order('gl-o1', 40, { email }), envelope);
    await s.apply(order('gl-o2', 60, { email }), envelope);

    // Act
    const first = await s.apply(order('gl-o3', 100, { customer_id: 'gl-1', email }), envelope);
    const reviewed = await s.apply(normalized([reviewDraft('gl-r1', email, 4)]), envelope);
    const asGuestAgain = await s.apply(order('gl-o4', 50, { email }), envelope);

    // Assess
    expect(lastRollup(first, CUSTOMER_ID)).toEqual({
      identifiers: { id: 'gl-1' },
      attributes: expect.objectContaining({ orders_count: 3, total_spent: 200 }),
    });
    expect(lastRollup(reviewed, CUSTOMER_ID)).toEqual({
      identifiers: { id: 'gl-1' },
      attributes: expect.objectContaining({ orders_count: 3, last_review_rating: 4 }),
    });
    expect(lastRollup(asGuestAgain, CUSTOMER_ID)).toEqual({
      identifiers: { id: 'gl-1' },
      attributes: expect.objectContaining({ orders_count: 4, total_spent: 250 }),
    });
    // The guest key's two versions, then the move: its older identifies are fenced at version 3.
    expect(moved).toEqual([[expect.stringMatching(/^demo\.myshopify\.com#email:[0-9a-f]{32}$/), 3]]);
  });

  it('absorbs a guest history exactly once when the first account orders race', async () => {
    // Prepare
    const s = stage();
    const email = 'racer.guest@example.com';
    await s.apply(order('rg-o0', 10, { email }), envelope);

    // Act
    await Promise.all(
      ['rg-o1', 'rg-o2', 'rg-o3', 'rg-o4'].map((id) =>
        s.apply(order(id, 10, { customer_id: 'rg-1', email }), envelope),
      ),
    );
    const after = await s.apply(order('rg-o5', 10, { customer_id: 'rg-1', email }), envelope);

    // Assess
    expect(lastRollup(after, CUSTOMER_ID).attributes).toMatchObject({ orders_count: 6, total_spent: 60 });
  });

  it('an email another account used before brings none of that account history', async () => {
    // Prepare
    const s = stage();
    const email = 'shared.inbox@example.com';
    await s.apply(order('sh-o1', 70, { customer_id: 'sh-a', email }), envelope);

    // Act
    const other = await s.apply(order('sh-o2', 30, { customer_id: 'sh-b', email }), envelope);
    const reviewed = await s.apply(normalized([reviewDraft('sh-r1', email, 3)]), envelope);

    // Assess
    expect(lastRollup(other, CUSTOMER_ID).attributes).toMatchObject({ orders_count: 1, total_spent: 30 });
    expect(lastRollup(reviewed, CUSTOMER_ID)).toEqual({
      identifiers: { id: 'sh-b' },
      attributes: expect.objectContaining({ orders_count: 1, last_review_rating: 3 }),
    });
  });

  it('under the email strategy, an event naming only the customer id updates the email rollup', async () => {
    // Prepare
    const s = stage(EMAIL);
    await s.apply(order('em-o1', 25, { customer_id: 'em-1', email: 'em@example.com' }), envelope);

    // Act
    const byId = await s.apply(order('em-o2', 75, { customer_id: 'em-1' }), envelope);

    // Assess
    expect(lastRollup(byId, EMAIL)).toEqual({
      identifiers: { email: 'em@example.com' },
      attributes: expect.objectContaining({ orders_count: 2, total_spent: 100 }),
    });
  });

  it('a review by an email the customer changed to since their last order still finds their rollup (identity graph)', async () => {
    // Prepare
    const s = stage();
    await s.apply(order('ch-o1', 90, { customer_id: 'ch-1', email: 'before@example.com' }), envelope);
    // What the identity stage records from a later customers/update (a signed statement of the new email).
    await identityStore().bindPerson(
      SHOP,
      'email',
      'after@example.com',
      { customer_id: 'ch-1', email: 'after@example.com' },
      '2026-11-10T00:00:00.000Z',
    );

    // Act
    const reviewed = await s.apply(normalized([reviewDraft('ch-r1', 'after@example.com', 2)]), envelope);

    // Assess
    expect(lastRollup(reviewed, CUSTOMER_ID)).toEqual({
      identifiers: { id: 'ch-1' },
      attributes: expect.objectContaining({ orders_count: 1, total_spent: 90, last_review_rating: 2 }),
    });
  });

  it('forgets both keys of a redacted person', async () => {
    // Prepare
    const s = stage();
    const person = { customer_id: 'fg-1', email: 'forget.me@example.com' };
    await s.apply(order('fg-o1', 10, person), envelope);

    // Act
    await s.apply(
      {
        ...normalized([]),
        deletions: [
          {
            dedupe_key: 'delete#fg',
            source: 'shopify',
            shop: SHOP,
            occurred_at: '2026-11-28T00:00:00.000Z',
            person,
            order_ids: ['fg-o1'],
          },
        ],
      },
      envelope,
    );
    const review = await s.apply(normalized([reviewDraft('fg-r1', 'forget.me@example.com', 1)]), envelope);

    // Assess
    expect(lastRollup(review, CUSTOMER_ID)).toEqual({
      identifiers: { email: 'forget.me@example.com' },
      attributes: expect.objectContaining({ orders_count: 0, last_review_rating: 1 }),
    });
  });

  it('forgets a guest history merged under an email the customer no longer uses, and tells which keys it forgot', async () => {
    // Prepare
    const forgotten: string[] = [];
    const store = new DynamoRollupStore(table.client, table.tableName);
    const s = rollupStage({
      store,
      identity: CUSTOMER_ID,
      clock: () => new Date('2026-11-28T00:00:00Z'),
      telemetry: testTelemetry(),
      forgotten: async (keys) => {
        forgotten.push(...keys);
      },
    });
    const oldEmail = 'old.address@example.com';
    await s.apply(order('fo-o1', 30, { email: oldEmail }), envelope);
    await s.apply(order('fo-o2', 70, { customer_id: 'fo-1', email: oldEmail }), envelope);
    expect(forgotten).toEqual([]);
    const before = (await store.read('demo.myshopify.com#id:fo-1')).state.absorbed ?? [];
    expect(before).toHaveLength(1);

    // Act: the redact names the customer's current email, not the old one.
    await s.apply(
      {
        ...normalized([]),
        deletions: [
          {
            dedupe_key: 'delete#fo',
            source: 'shopify',
            shop: SHOP,
            occurred_at: '2026-11-28T00:00:00.000Z',
            person: { customer_id: 'fo-1', email: 'new.address@example.com' },
            order_ids: [],
          },
        ],
      },
      envelope,
    );

    // Assess
    expect(forgotten).toEqual(expect.arrayContaining(['demo.myshopify.com#id:fo-1', ...before]));
    expect(forgotten).toHaveLength(3);
    for (const key of forgotten) expect(await store.read(key)).toEqual({ state: EMPTY_ROLLUP, version: 0 });
  });

  it('a rollup that keeps changing under it fails its record as transient, retried after a backoff, never parked as a defect', async () => {
    // Prepare: another writer changes the rollup before each of this stage's writes (real conditional failures).
    const store = new DynamoRollupStore(table.client, table.tableName);
    const contended = Object.assign(Object.create(store) as DynamoRollupStore, {
      write: async (key: string, state: RollupState, expected: number) => {
        const other = await store.read(key);
        const changed = {
          ...other.state,
          recentViews: [...other.state.recentViews, `other-${other.version}`],
        };
        await store.write(key, changed, other.version);
        return store.write(key, state, expected);
      },
    });
    const s = rollupStage({
      store: contended,
      identity: CUSTOMER_ID,
      clock: () => new Date('2026-11-28T00:00:00Z'),
      telemetry: testTelemetry(),
    });

    // Act
    const thrown = await s
      .apply(order('ct-o1', 10, { customer_id: 'ct-1' }), envelope)
      .catch((e: unknown) => e);

    // Assess
    expect(classifyFailure(thrown)).toMatchObject({
      class: 'transient',
      code: 'dependency_failed',
      exhaustedCode: 'dependency_exhausted',
      reason: expect.stringMatching(/kept changing/),
    });
  });
});
