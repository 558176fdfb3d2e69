import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CustomerIoCapture, startCustomerIoCapture } from '../../../local/customerio-capture.js';
import { DeliverEnvSchema, parseEnv } from '../../../shared/config/env.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { deliverByWorkspace } from '../../../shared/runtime/wire-deliver.js';
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
        WEBHOOK_SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:webhook',
      }),
    ).toThrow(/DESTINATION_SECRETS_ARN/);
  });
});
