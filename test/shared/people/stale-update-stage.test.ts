import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonUpdate } from '../../../shared/canonical/person.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { normalized } from '../../../shared/normalize/normalizer.js';
import { DynamoPersonVersionStore } from '../../../shared/people/person-version-store.js';
import { personVersionKey, staleUpdateStage } from '../../../shared/people/stale-update-stage.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { testTelemetry } from '../../helpers/fakes.js';
import { shopifyEnvelope } from '../../helpers/shopify-delivery.js';

const update = (
  occurredAt: string,
  firstName: string,
  person: PersonUpdate['person'] = { customer_id: '7' },
): PersonUpdate => ({
  dedupe_key: `identify#${occurredAt}`,
  source: 'shopify',
  shop: 'demo.myshopify.com',
  occurred_at: occurredAt,
  person,
  attributes: { first_name: firstName },
});

describe('staleUpdateStage with the DynamoDB version store (dynalite)', () => {
  let table: TestTable;
  const envelope: WebhookEnvelope = shopifyEnvelope('customers/update', '{}');
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table.close());

  it('keeps the newest state when updates arrive out of order, and lets a retry of the newest through', async () => {
    const telemetry = testTelemetry();
    const stage = staleUpdateStage(new DynamoPersonVersionStore(table.client, table.tableName), telemetry);
    const run = async (u: PersonUpdate) =>
      (await stage.apply(normalized([], [u]), envelope)).people.map((p) => p.attributes.first_name);
    expect(await run(update('2026-11-28T10:00:00Z', 'Newer'))).toEqual(['Newer']);
    expect(await run(update('2026-11-28T09:00:00Z', 'Older'))).toEqual([]);
    expect(await run(update('2026-11-28T10:00:00Z', 'Newer'))).toEqual(['Newer']);
    expect(await run(update('2026-11-28T11:00:00Z', 'Newest'))).toEqual(['Newest']);
    expect(telemetry.counters.get('StalePersonUpdate')).toBe(1);
  });

  it('tracks people independently and passes updates that name nobody', async () => {
    const stage = staleUpdateStage(
      new DynamoPersonVersionStore(table.client, table.tableName),
      testTelemetry(),
    );
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

  it('keys by shop, source, the strongest identifier and the attributes written', () => {
    const byId = personVersionKey(update('2026-01-01T00:00:00Z', 'x', { customer_id: '1', email: 'a@b.c' }));
    const byEmail = personVersionKey(update('2026-01-01T00:00:00Z', 'x', { email: 'a@b.c' }));
    expect(byId).toMatch(/^demo\.myshopify\.com#shopify#customer:1#[0-9a-f]{12}$/);
    expect(byEmail).toMatch(/^demo\.myshopify\.com#shopify#email:[0-9a-f]{32}#[0-9a-f]{12}$/);
    expect(byEmail).not.toContain('a@b.c');
    expect(personVersionKey(update('2026-01-01T00:00:00Z', 'x', {}))).toBeUndefined();
  });

  it('never drops an unsubscribe because a newer update of other attributes went first', async () => {
    const telemetry = testTelemetry();
    const stage = staleUpdateStage(new DynamoPersonVersionStore(table.client, table.tableName), telemetry);
    const profile: PersonUpdate = { ...update('2026-11-28T10:00:01Z', 'Ann', { customer_id: '808' }) };
    const consent: PersonUpdate = {
      ...update('2026-11-28T10:00:00Z', 'unused', { customer_id: '808' }),
      attributes: {
        accepts_email_marketing: false,
        email_marketing_state: 'unsubscribed',
        unsubscribed: true,
      },
    };
    expect((await stage.apply(normalized([], [profile]), envelope)).people).toHaveLength(1);
    const out = await stage.apply(normalized([], [consent]), envelope);
    expect(out.people.map((p) => p.attributes.unsubscribed)).toEqual([true]);
    expect(telemetry.counters.get('StalePersonUpdate')).toBe(0);
  });
});
