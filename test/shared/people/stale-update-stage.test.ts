import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonUpdate } from '../../../shared/canonical/person.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { normalized } from '../../../shared/normalize/normalizer.js';
import { attributeScope } from '../../../shared/people/attribute-scope.js';
import { DynamoPersonVersionStore } from '../../../shared/people/person-version-store.js';
import { personVersionKey, staleUpdateStage } from '../../../shared/people/stale-update-stage.js';
import { shopifyNormalizers } from '../../../shared/sources/shopify/shopify-normalizers.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { testTelemetry } from '../../helpers/fakes.js';
import { shopifyEnvelope } from '../../helpers/shopify-delivery.js';
import { shopifySampleObject } from '../../helpers/shopify-envelope.js';

const update = (
  occurredAt: string,
  firstName: string,
  person: PersonUpdate['person'] = { customer_id: '7' },
): PersonUpdate => ({
  dedupe_key: `identify#${occurredAt}#${firstName}`,
  source: 'shopify',
  shop: 'demo.myshopify.com',
  occurred_at: occurredAt,
  person,
  attributes: { first_name: firstName },
});

/** Every order of a list. */
const permutations = <T>(items: readonly T[]): T[][] =>
  items.length <= 1
    ? [[...items]]
    : items.flatMap((item, i) =>
        permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
      );

/** A person profile as Customer.io holds it after a series of identifies: an empty value removes an attribute. */
const applyIdentifies = (updates: readonly PersonUpdate[]): Record<string, unknown> => {
  const profile: Record<string, unknown> = {};
  for (const u of updates) {
    for (const [name, value] of Object.entries(u.attributes)) {
      if (value === '') delete profile[name];
      else profile[name] = value;
    }
  }
  return profile;
};

describe('staleUpdateStage with the DynamoDB version store (dynalite)', () => {
  let table: TestTable;
  const envelope: WebhookEnvelope = shopifyEnvelope('customers/update', '{}');
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table.close());

  const newStage = () => {
    const telemetry = testTelemetry();
    return {
      telemetry,
      stage: staleUpdateStage(new DynamoPersonVersionStore(table.client, table.tableName), telemetry),
    };
  };

  /** A Shopify delivery through its real normalizer and the stage: the identifies that go out. */
  const deliver = async (
    stage: ReturnType<typeof staleUpdateStage>,
    topic: string,
    payload: Record<string, unknown>,
  ): Promise<PersonUpdate[]> => {
    const body = JSON.stringify(payload);
    const normalizer = shopifyNormalizers[topic];
    if (!normalizer) throw new Error(topic);
    const result = normalizer(payload, shopifyEnvelope(topic, body));
    if (result.kind !== 'normalized') throw new Error(result.reason);
    return (await stage.apply(result, shopifyEnvelope(topic, body))).people;
  };

  it('keeps the newest state when updates arrive out of order, and lets a retry of the newest through', async () => {
    const { stage, telemetry } = newStage();
    const run = async (u: PersonUpdate) =>
      (await stage.apply(normalized([], [u]), envelope)).people.map((p) => p.attributes.first_name);
    expect(await run(update('2026-11-28T10:00:00Z', 'Newer'))).toEqual(['Newer']);
    expect(await run(update('2026-11-28T09:00:00Z', 'Older'))).toEqual([]);
    expect(await run(update('2026-11-28T10:00:00Z', 'Newer'))).toEqual(['Newer']);
    expect(await run(update('2026-11-28T11:00:00Z', 'Newest'))).toEqual(['Newest']);
    expect(telemetry.counters.get('StalePersonUpdate')).toBe(1);
  });

  it('tracks people independently and passes updates that name nobody', async () => {
    const { stage } = newStage();
    await stage.apply(
      normalized([], [update('2026-11-28T12:00:00Z', 'A', { customer_id: '100' })]),
      envelope,
    );
    const other = await stage.apply(
      normalized([], [update('2026-11-28T08:00:00Z', 'B', { customer_id: '200' })]),
      envelope,
    );
    expect(other.people).toHaveLength(1);
    const anonymous = await stage.apply(normalized([], [update('2020-01-01T00:00:00Z', 'C', {})]), envelope);
    expect(anonymous.people).toHaveLength(1);
  });

  it('keys by shop, source and the strongest identifier, never by the email itself', () => {
    const byId = personVersionKey(update('2026-01-01T00:00:00Z', 'x', { customer_id: '1', email: 'a@b.c' }));
    const byEmail = personVersionKey(update('2026-01-01T00:00:00Z', 'x', { email: 'a@b.c' }));
    expect(byId).toBe('demo.myshopify.com#shopify#customer:1');
    expect(byEmail).toMatch(/^demo\.myshopify\.com#shopify#email:[0-9a-f]{32}$/);
    expect(byEmail).not.toContain('a@b.c');
    expect(personVersionKey(update('2026-01-01T00:00:00Z', 'x', {}))).toBeUndefined();
  });

  it('sends what is newer of an older update and drops only its stale attributes', async () => {
    const { stage, telemetry } = newStage();
    const person = { customer_id: '300' };
    await stage.apply(normalized([], [update('2026-11-28T10:00:00Z', 'Newer', person)]), envelope);
    const older: PersonUpdate = {
      ...update('2026-11-28T09:00:00Z', 'Older', person),
      attributes: { first_name: 'Older', city: 'Lyon' },
    };
    const out = await stage.apply(normalized([], [older]), envelope);
    expect(out.people.map((p) => p.attributes)).toEqual([{ city: 'Lyon' }]);
    expect(telemetry.counters.get('StalePersonUpdate')).toBe(1);
  });

  it('sends a winning cleared attribute empty, and an older value cannot come back after it', async () => {
    const { stage } = newStage();
    const person = { customer_id: '400' };
    const clearing: PersonUpdate = {
      ...update('2026-11-28T10:00:00Z', 'Ann', person),
      dedupe_key: 'identify#clearing',
    };
    const out = await stage.apply(
      normalized([], [clearing], [attributeScope('identify#clearing', { cleared: ['phone'] })]),
      envelope,
    );
    expect(out.people.map((p) => p.attributes)).toEqual([{ first_name: 'Ann', phone: '' }]);
    const stalePhone: PersonUpdate = {
      ...update('2026-11-28T09:00:00Z', 'Ann', person),
      attributes: { phone: '+16135550101' },
    };
    expect((await stage.apply(normalized([], [stalePhone]), envelope)).people).toEqual([]);
  });

  describe('three customers/update deliveries in every order (the newest clears the phone)', () => {
    const customer = (id: string, updatedAt: string, fields: Record<string, unknown>) => ({
      ...shopifySampleObject('customers-update.json'),
      id,
      updated_at: updatedAt,
      ...fields,
    });
    const versions = (id: string) => [
      customer(id, '2026-11-28T10:00:00Z', {
        first_name: 'Ann',
        last_name: 'Old',
        phone: '+16135550101',
        default_address: { city: 'Ottawa', country_code: 'CA' },
      }),
      customer(id, '2026-11-28T11:00:00Z', {
        first_name: 'Anna',
        last_name: 'Old',
        phone: '+16135550102',
        default_address: { city: 'Toronto', country_code: 'CA' },
      }),
      // The newest removes the phone and renames; it reports no address at all (absent: not cleared).
      customer(id, '2026-11-28T12:00:00Z', {
        first_name: 'Anna',
        last_name: 'New',
        phone: null,
        default_address: undefined,
      }),
    ];
    const expected = (id: string) => ({
      email: 'bob@biller.com',
      first_name: 'Anna',
      last_name: 'New',
      shopify_customer_id: id,
      city: 'Toronto',
      country_code: 'CA',
      created_at: 1640995200,
    });

    it.each(permutations([0, 1, 2]).map((order) => [order.join(' → '), order] as const))(
      'arrival %s ends with the newest state in Customer.io',
      async (label, order) => {
        const { stage } = newStage();
        const id = `9${order.join('')}`;
        const all = versions(id);
        const sent: PersonUpdate[] = [];
        for (const index of order) {
          const payload = all[index];
          if (!payload) throw new Error(label);
          sent.push(...(await deliver(stage, 'customers/update', payload)));
        }
        expect(applyIdentifies(sent)).toEqual(expected(id));
        // The stale phones never went out after the clear.
        const clearAt = sent.findIndex((u) => u.attributes.phone === '');
        const phonesAfter = sent.slice(clearAt + 1).filter((u) => u.attributes.phone !== undefined);
        expect(phonesAfter).toEqual([]);
      },
    );
  });

  describe('email consent races are ordered by the consent timestamps', () => {
    const consent = (customerId: string, state: string, at: string) => ({
      customer_id: customerId,
      email_address: 'bob@biller.com',
      email_marketing_consent: { state, opt_in_level: 'single_opt_in', consent_updated_at: at },
    });
    const topic = 'customers_email_marketing_consent/update';

    it.each([
      ['older subscribed arrives after newer unsubscribed', ['unsubscribed', 'subscribed']],
      ['in order', ['subscribed', 'unsubscribed']],
    ] as const)('subscribed (09:00) then unsubscribed (10:00): %s', async (_label, arrival) => {
      const { stage } = newStage();
      const id = `cons-${arrival[0]}`;
      const at = { subscribed: '2026-11-28T09:00:00Z', unsubscribed: '2026-11-28T10:00:00Z' };
      const sent: PersonUpdate[] = [];
      for (const state of arrival) sent.push(...(await deliver(stage, topic, consent(id, state, at[state]))));
      expect(applyIdentifies(sent)).toMatchObject({
        accepts_email_marketing: false,
        email_marketing_state: 'unsubscribed',
        unsubscribed: true,
      });
    });

    it('an older unsubscribe arriving after a newer subscribe never sets unsubscribed', async () => {
      const { stage } = newStage();
      const sent = [
        ...(await deliver(stage, topic, consent('cons-late-unsub', 'subscribed', '2026-11-28T10:00:00Z'))),
        ...(await deliver(stage, topic, consent('cons-late-unsub', 'unsubscribed', '2026-11-28T09:00:00Z'))),
      ];
      const profile = applyIdentifies(sent);
      expect(profile).toMatchObject({ accepts_email_marketing: true, email_marketing_state: 'subscribed' });
      expect(profile).not.toHaveProperty('unsubscribed');
    });

    it("orders a customer update's consent by consent_updated_at, its profile by updated_at", async () => {
      const { stage } = newStage();
      const id = 'cons-mixed';
      const unsubscribed = await deliver(stage, topic, consent(id, 'unsubscribed', '2026-11-28T12:00:00Z'));
      // Updated later (13:00), but its consent object dates from 09:00: older than the unsubscribe.
      const profileUpdate = await deliver(stage, 'customers/update', {
        ...shopifySampleObject('customers-update.json'),
        id,
        updated_at: '2026-11-28T13:00:00Z',
        first_name: 'Bobby',
        email_marketing_consent: {
          state: 'subscribed',
          opt_in_level: 'single_opt_in',
          consent_updated_at: '2026-11-28T09:00:00Z',
        },
      });
      const profile = applyIdentifies([...unsubscribed, ...profileUpdate]);
      expect(profile).toMatchObject({
        first_name: 'Bobby',
        accepts_email_marketing: false,
        email_marketing_state: 'unsubscribed',
        unsubscribed: true,
      });
    });

    it('an SMS consent race keeps the newest SMS state', async () => {
      const { stage } = newStage();
      const sms = (state: string, at: string) => ({
        id: 'sms-race',
        phone: '+16135550123',
        sms_marketing_consent: { state, opt_in_level: null, consent_updated_at: at },
      });
      const smsTopic = 'customers_marketing_consent/update';
      const sent = [
        ...(await deliver(stage, smsTopic, sms('unsubscribed', '2026-11-28T10:00:00Z'))),
        ...(await deliver(stage, smsTopic, sms('subscribed', '2026-11-28T09:00:00Z'))),
      ];
      expect(applyIdentifies(sent)).toMatchObject({
        accepts_sms_marketing: false,
        sms_marketing_state: 'unsubscribed',
      });
    });
  });

  it('concurrent deliveries of one person: the newest always goes out and its version is the one kept', async () => {
    const store = new DynamoPersonVersionStore(table.client, table.tableName);
    const times = [5, 1, 9, 3, 7, 2, 8, 4, 6].map((h) => Date.parse(`2026-11-28T0${h}:00:00Z`));
    const results = await Promise.all(
      times.map((t) => store.advance('demo#shopify#customer:concurrent', { first_name: t, city: t })),
    );
    const newest = Math.max(...times);
    expect(results[times.indexOf(newest)]).toEqual(new Set(['first_name', 'city']));
    expect(await store.advance('demo#shopify#customer:concurrent', { first_name: newest - 1 })).toEqual(
      new Set(),
    );
    expect(await store.advance('demo#shopify#customer:concurrent', { first_name: newest })).toEqual(
      new Set(['first_name']),
    );
  });
});
