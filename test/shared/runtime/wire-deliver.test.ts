import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CustomerIoCapture, startCustomerIoCapture } from '../../../local/customerio-capture.js';
import { DeliverEnvSchema, parseEnv } from '../../../shared/config/env.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { deliverByWorkspace } from '../../../shared/runtime/wire-deliver.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { testTelemetry } from '../../helpers/fakes.js';
import { outboxRecord } from '../../helpers/track-capture.js';

const UK = 'uk.myshopify.com';
const US = 'us.myshopify.com';
const basic = (siteId: string, apiKey: string) =>
  `Basic ${Buffer.from(`${siteId}:${apiKey}`).toString('base64')}`;

const identify = (shop: string, customerId: string): OutboxMessage => ({
  type: 'identify',
  identifiers: { id: customerId },
  update: {
    dedupe_key: `identify#${shop}#customer#${customerId}`,
    source: 'shopify',
    shop,
    occurred_at: '2026-11-28T10:00:00.000Z',
    person: { customer_id: customerId },
    attributes: { first_name: 'Ada' },
  },
});

describe('deliverByWorkspace: each shop goes to its own Customer.io workspace, with only the destination secret', () => {
  let capture: CustomerIoCapture;
  beforeAll(async () => {
    capture = await startCustomerIoCapture();
  });
  afterAll(async () => capture.close());
  beforeEach(() => {
    capture.requests.length = 0;
    capture.respondWith(undefined);
  });

  const deliver = (workspaces: Record<string, unknown>) =>
    deliverByWorkspace(
      parseEnv(DeliverEnvSchema, {
        LOCAL_DESTINATION_SECRETS_JSON: JSON.stringify({ workspaces }),
        SHOPS: JSON.stringify({ [UK]: { workspace: 'europe' }, [US]: {} }),
        CIO_TRACK_URL: capture.url,
        CIO_TIMEOUT_MS: '2000',
        TABLE_NAME: 'connector-test',
      }),
      testTelemetry(),
    );

  it("sends each shop's messages in one batch per workspace, with that workspace's credentials", async () => {
    const send = deliver({
      default: { siteId: 'us-site', apiKey: 'us-key' },
      europe: { siteId: 'eu-site', apiKey: 'eu-key' },
    });
    const failed = await send([
      outboxRecord('m1', identify(UK, '1')),
      outboxRecord('m2', identify(US, '2')),
      outboxRecord('m3', identify(UK, '3')),
    ]);
    expect([...failed.keys()]).toEqual([]);
    const batches = capture.requests.map((r) => ({
      authorization: r.authorization,
      people: (r.body as { batch: { identifiers: { id: string } }[] }).batch.map((op) => op.identifiers.id),
    }));
    expect(batches).toEqual([
      { authorization: basic('eu-site', 'eu-key'), people: ['1', '3'] },
      { authorization: basic('us-site', 'us-key'), people: ['2'] },
    ]);
  });

  it('fails only the records of a shop whose workspace is missing from the destination secret, naming it', async () => {
    const send = deliver({ default: { siteId: 'us-site', apiKey: 'us-key' } });
    const failed = await send([outboxRecord('m1', identify(UK, '1')), outboxRecord('m2', identify(US, '2'))]);
    expect([...failed.keys()]).toEqual(['m1']);
    // An operator must fix the secret: retried with backoff, parked as configuration_invalid when out of attempts.
    expect(classifyFailure(failed.get('m1'))).toMatchObject({
      class: 'transient',
      exhaustedCode: 'configuration_invalid',
      reason: expect.stringMatching(/workspace europe is missing/),
    });
    expect(capture.requests.map((r) => r.authorization)).toEqual([basic('us-site', 'us-key')]);
  });

  it("fails only one workspace's records when its Customer.io call fails, classified like any Customer.io failure", async () => {
    capture.respondWith((request) =>
      request.authorization === basic('eu-site', 'eu-key')
        ? { status: 401, body: { meta: { error: 'unauthorized' } } }
        : { status: 200, body: {} },
    );
    const send = deliver({
      default: { siteId: 'us-site', apiKey: 'us-key' },
      europe: { siteId: 'eu-site', apiKey: 'eu-key' },
    });
    const failed = await send([
      outboxRecord('m1', identify(UK, '1')),
      outboxRecord('m2', identify(US, '2')),
      outboxRecord('m3', identify(UK, '3')),
    ]);
    expect([...failed.keys()].sort()).toEqual(['m1', 'm3']);
    for (const id of ['m1', 'm3']) {
      expect(classifyFailure(failed.get(id))).toMatchObject({
        class: 'transient',
        code: 'destination_auth',
        exhaustedCode: 'destination_auth',
      });
    }
  });

  it('cannot start without the destination secret, and never reads the webhook one', () => {
    expect(() =>
      parseEnv(DeliverEnvSchema, {
        TABLE_NAME: 'connector-test',
        WEBHOOK_SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:webhook',
      }),
    ).toThrow(/DESTINATION_SECRETS_ARN/);
  });
});

/** A rollup identify of a customer of `shop`, as the rollup stage orders it. */
const rollup = (shop: string, customerId: string, version: number): OutboxMessage => ({
  type: 'identify',
  identifiers: { id: customerId },
  update: {
    dedupe_key: `rollup#order-completed#${shop}#${customerId}#${version}`,
    source: 'shopify',
    shop,
    occurred_at: '2026-11-28T10:00:00.000Z',
    person: { customer_id: customerId },
    attributes: { orders_count: version },
  },
  ordering: { kind: 'rollup', key: `${shop}#id:${customerId}`, version },
});

describe('deliverByWorkspace keeps identifies in order in every workspace (dynalite, local Customer.io capture)', () => {
  let capture: CustomerIoCapture;
  let table: TestTable;
  beforeAll(async () => {
    capture = await startCustomerIoCapture();
    table = await startTestTable();
  });
  afterAll(async () => {
    await capture.close();
    await table.close();
  });

  const BOTH = {
    default: { siteId: 'us-site', apiKey: 'us-key' },
    europe: { siteId: 'eu-site', apiKey: 'eu-key' },
  };
  const deliver = (workspaces: Record<string, unknown>, telemetry = testTelemetry()) =>
    deliverByWorkspace(
      parseEnv(DeliverEnvSchema, {
        LOCAL_DESTINATION_SECRETS_JSON: JSON.stringify({ workspaces }),
        SHOPS: JSON.stringify({ [UK]: { workspace: 'europe' }, [US]: {} }),
        CIO_TRACK_URL: capture.url,
        CIO_TIMEOUT_MS: '2000',
        TABLE_NAME: table.tableName,
        DYNAMODB_ENDPOINT: table.endpoint,
      }),
      telemetry,
    );
  /** orders_count of each identify each workspace received, in arrival order. */
  const received = () =>
    capture.requests.flatMap((r) =>
      (r.body as { batch: { attributes: { orders_count: number } }[] }).batch.map(
        (op) =>
          `${r.authorization === basic('eu-site', 'eu-key') ? 'europe' : 'default'}:${op.attributes.orders_count}`,
      ),
    );

  it("skips an older rollup in its own workspace without touching the other workspace's", async () => {
    // Prepare
    capture.requests.length = 0;
    const telemetry = testTelemetry();
    const send = deliver(BOTH, telemetry);
    await send([outboxRecord('n1', rollup(UK, '7', 2)), outboxRecord('n2', rollup(US, '7', 1))]);

    // Act: the UK customer's older rollup arrives late, with the US shop's customer of the same id.
    const late = await send([outboxRecord('l1', rollup(UK, '7', 1)), outboxRecord('l2', rollup(US, '7', 2))]);

    // Assess
    expect([...late.keys()]).toEqual([]);
    expect(received()).toEqual(['europe:2', 'default:1', 'default:2']);
    expect(telemetry.counters.get('StaleRollupSkipped')).toBe(1);
  });

  it("releases a workspace's claims when its call cannot be made, so the retry goes out at once", async () => {
    // Prepare: the europe credentials are missing from the destination secret.
    capture.requests.length = 0;
    const telemetry = testTelemetry();
    const failed = await deliver(
      { default: BOTH.default },
      telemetry,
    )([outboxRecord('r1', rollup(UK, '8', 1)), outboxRecord('r2', rollup(US, '8', 1))]);

    // Act: the operator adds them; the record comes back.
    const retried = await deliver(BOTH, telemetry)([outboxRecord('r1', rollup(UK, '8', 1))]);

    // Assess
    expect([...failed.keys()]).toEqual(['r1']);
    expect(classifyFailure(failed.get('r1'))).toMatchObject({
      class: 'transient',
      code: 'configuration_invalid',
    });
    expect([...retried.keys()]).toEqual([]);
    expect(received()).toEqual(['default:1', 'europe:1']);
    expect(telemetry.counters.get('DeliveryDeferred') ?? 0).toBe(0);
  });
});
