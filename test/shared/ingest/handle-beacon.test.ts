import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsMessageQueue } from '../../../shared/adapters/sqs-message-queue.js';
import { IngestEnvSchema } from '../../../shared/config/env.js';
import { DependencyError } from '../../../shared/errors.js';
import type { HttpRequest } from '../../../shared/http/http-types.js';
import { WebhookEnvelopeSchema } from '../../../shared/ingest/envelope.js';
import { type BeaconIngressDeps, handleBeacon } from '../../../shared/ingest/handle-beacon.js';
import { decodeInboxMessage } from '../../../shared/ingest/inbox-message.js';
import { isSqsSafeText } from '../../../shared/json/sqs-safe-json.js';
import { MemoryQueue, testShops, testTelemetry } from '../../helpers/fakes.js';
import { startTestQueues, type TestQueues } from '../../helpers/fauxqs.js';
import {
  beaconFor,
  ORIGIN,
  PIXEL_SAMPLES,
  PUBLIC_KEY,
  pixelSample,
  SHOP,
} from '../sources/pixel/pixel-samples.js';

const OTHER_SHOP = 'other-shop.myshopify.com';
const OTHER_ORIGIN = 'https://other.example';

const SHOPS = {
  [SHOP]: { storefront: { publicKey: PUBLIC_KEY, origins: [ORIGIN, 'https://shop.example'] } },
  [OTHER_SHOP]: { storefront: { publicKey: 'pk_other_0123456789', origins: [OTHER_ORIGIN] } },
};

const setup = (maxBeaconBytes = 16 * 1024) => {
  const inbox = new MemoryQueue();
  const telemetry = testTelemetry();
  const deps: BeaconIngressDeps = {
    shops: testShops(SHOPS),
    inbox,
    clock: () => new Date('2026-11-28T12:00:00.000Z'),
    maxBeaconBytes,
    telemetry,
  };
  return { inbox, telemetry, deps };
};

const post = (body: unknown, headers: Record<string, string> = {}): HttpRequest => ({
  method: 'POST',
  path: '/collect',
  headers: { origin: ORIGIN, 'content-type': 'text/plain;charset=UTF-8', ...headers },
  query: {},
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

const preflight = (origin: string): HttpRequest => ({
  method: 'OPTIONS',
  path: '/collect',
  headers: {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type',
  },
  query: {},
  body: Buffer.alloc(0),
});

describe('handleBeacon: the captured Web Pixels events', () => {
  const accepted = PIXEL_SAMPLES.filter((f) => f !== 'web-pixel-page-viewed.json');

  it.each(accepted)('queues %s as an unsigned pixel envelope keyed by the pixel event id', async (file) => {
    const { inbox, deps, telemetry } = setup();
    const raw = pixelSample(file);
    const response = await handleBeacon(post(beaconFor(raw)), deps);
    expect(response.statusCode).toBe(202);
    expect(response.headers?.['access-control-allow-origin']).toBe(ORIGIN);
    expect(response.headers?.vary).toBe('Origin');
    expect(inbox.sent).toHaveLength(1);
    const envelope = WebhookEnvelopeSchema.parse(decodeInboxMessage(inbox.sent[0]?.body ?? ''));
    expect(envelope).toMatchObject({
      source: 'pixel',
      topic: raw.name,
      shop: SHOP,
      deliveryId: raw.id,
      signed: false,
      receivedAt: '2026-11-28T12:00:00.000Z',
    });
    const queued = JSON.parse(envelope.body) as Record<string, unknown>;
    expect(queued.clientId).toBe(raw.clientId);
    expect(queued).not.toHaveProperty('pixelEventLabel');
    expect(envelope.body).not.toContain('userAgent');
    expect(envelope.body).not.toContain('billingAddress');
    expect(envelope.body).not.toContain('"email"');
    expect(telemetry.counters.get('BeaconAccepted')).toBe(1);
  });

  it('acknowledges an event it does not handle (alert_displayed) with 204 and queues nothing', async () => {
    const { inbox, deps, telemetry } = setup();
    const unhandled = { ...pixelSample('web-pixel-page-viewed.json'), name: 'alert_displayed' };
    const response = await handleBeacon(post(beaconFor(unhandled)), deps);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(inbox.sent).toHaveLength(0);
    expect(telemetry.counters.get('BeaconIgnoredEvent')).toBe(1);
  });

  it('accepts application/json as well as the preflight-free text/plain', async () => {
    const { inbox, deps } = setup();
    const response = await handleBeacon(
      post(beaconFor(pixelSample('web-pixel-product-viewed.json')), { 'content-type': 'application/json' }),
      deps,
    );
    expect(response.statusCode).toBe(202);
    expect(inbox.sent).toHaveLength(1);
  });
});

describe('handleBeacon: CORS', () => {
  it('answers a preflight from an allow-listed origin with the origin echoed, methods, headers and max-age', async () => {
    const { deps } = setup();
    const response = await handleBeacon(preflight('https://shop.example'), deps);
    expect(response.statusCode).toBe(204);
    expect(response.headers).toEqual({
      'access-control-allow-origin': 'https://shop.example',
      vary: 'Origin',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '86400',
    });
    expect(response.headers).not.toHaveProperty('access-control-allow-credentials');
  });

  it('refuses a preflight from an unknown origin without any allow header', async () => {
    const { deps, telemetry } = setup();
    const response = await handleBeacon(preflight('https://evil.example'), deps);
    expect(response.statusCode).toBe(403);
    expect(response.headers).toEqual({ vary: 'Origin' });
    expect(telemetry.counters.get('BeaconRejected_origin')).toBe(1);
  });

  it('refuses a POST from an unknown origin and does not echo it', async () => {
    const { deps, inbox } = setup();
    const response = await handleBeacon(
      post(beaconFor(pixelSample('web-pixel-product-viewed.json')), { origin: 'https://evil.example' }),
      deps,
    );
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ error: 'origin_not_allowed' });
    expect(response.headers?.['access-control-allow-origin']).toBeUndefined();
    expect(inbox.sent).toHaveLength(0);
  });

  it('refuses a POST without an Origin header (beacons only come from browsers)', async () => {
    const { deps } = setup();
    const request = post(beaconFor(pixelSample('web-pixel-product-viewed.json')));
    const { origin: _omitted, ...headers } = request.headers;
    const response = await handleBeacon({ ...request, headers }, deps);
    expect(response.statusCode).toBe(403);
  });

  it('accepts the opaque origin `null` (a sandboxed pixel) only for a shop that lists it', async () => {
    const { deps, inbox } = setup();
    const sandboxed = {
      ...deps,
      shops: testShops({ ...SHOPS, [SHOP]: { storefront: { publicKey: PUBLIC_KEY, origins: ['null'] } } }),
    };
    const event = beaconFor(pixelSample('web-pixel-product-viewed.json'));
    const accepted = await handleBeacon(post(event, { origin: 'null' }), sandboxed);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.headers?.['access-control-allow-origin']).toBe('null');
    expect((await handleBeacon(post(event, { origin: 'null' }), deps)).statusCode).toBe(403);
    expect(inbox.sent).toHaveLength(1);
  });

  it("refuses another shop's allowed origin for this shop", async () => {
    const { deps, inbox } = setup();
    const response = await handleBeacon(
      post(beaconFor(pixelSample('web-pixel-product-viewed.json')), { origin: OTHER_ORIGIN }),
      deps,
    );
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ error: 'origin_not_allowed' });
    expect(inbox.sent).toHaveLength(0);
  });
});

describe('handleBeacon: key, size and schema', () => {
  const event = pixelSample('web-pixel-product-viewed.json');

  it('refuses a wrong public key with 403', async () => {
    const { deps, inbox } = setup();
    const response = await handleBeacon(post(beaconFor(event, { key: 'pk_wrong_0123456789' })), deps);
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ error: 'unknown_key' });
    expect(inbox.sent).toHaveLength(0);
  });

  it('refuses an unknown shop, or a configured shop without storefront settings, with 403', async () => {
    const { deps } = setup();
    const response = await handleBeacon(post(beaconFor(event, { shop: 'nobody.myshopify.com' })), deps);
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ error: 'unknown_key' });
    const noStorefront = { ...deps, shops: testShops({ ...SHOPS, [SHOP]: {} }) };
    expect((await handleBeacon(post(beaconFor(event)), noStorefront)).statusCode).toBe(403);
  });

  it('normalizes the shop like every other route: case, whitespace and a trailing dot name the same shop', async () => {
    const { deps, inbox } = setup();
    for (const shop of [SHOP.toUpperCase(), ` ${SHOP}\t`, `${SHOP}.`]) {
      const response = await handleBeacon(post(beaconFor(event, { shop })), deps);
      expect(response.statusCode).toBe(202);
    }
    expect(inbox.json<{ shop: string }>().map((e) => e.shop)).toEqual([SHOP, SHOP, SHOP]);
    const evil = await handleBeacon(post(beaconFor(event, { shop: `evil-${SHOP}` })), deps);
    expect(evil.statusCode).toBe(403);
  });

  it('refuses a body over MAX_BEACON_BYTES with 413 before parsing it', async () => {
    const { deps, telemetry } = setup(64);
    const response = await handleBeacon(post(beaconFor(event)), deps);
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(response.body)).toEqual({ error: 'payload_too_large' });
    expect(telemetry.counters.get('BeaconRejected_payload_too_large')).toBe(1);
  });

  it('refuses non-JSON with 400', async () => {
    const { deps } = setup();
    const response = await handleBeacon(post('{"shop":'), deps);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'invalid_json' });
  });

  it('refuses unknown top-level keys (strict beacon) with 400', async () => {
    const { deps } = setup();
    const response = await handleBeacon(post(beaconFor(event, { email: 'a@b.example' })), deps);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'invalid_beacon' });
  });

  it('refuses an event without clientId, or with a bad timestamp, with 400', async () => {
    const { deps } = setup();
    const { clientId: _dropped, ...noClient } = event;
    expect((await handleBeacon(post(beaconFor(noClient)), deps)).statusCode).toBe(400);
    expect((await handleBeacon(post(beaconFor({ ...event, timestamp: 'yesterday' })), deps)).statusCode).toBe(
      400,
    );
  });

  it('refuses data that does not match the event name with 400', async () => {
    const { deps, inbox } = setup();
    const response = await handleBeacon(post(beaconFor({ ...event, data: { cartLine: 'nope' } })), deps);
    expect(response.statusCode).toBe(400);
    expect(inbox.sent).toHaveLength(0);
  });

  it('refuses other content types with 415 and other methods with 405', async () => {
    const { deps } = setup();
    expect(
      (await handleBeacon(post(beaconFor(event), { 'content-type': 'application/xml' }), deps)).statusCode,
    ).toBe(415);
    const get = await handleBeacon({ ...post(''), method: 'GET' }, deps);
    expect(get.statusCode).toBe(405);
    expect(get.headers?.allow).toBe('POST, OPTIONS');
  });

  it('answers 503 with retry-after when the inbox is down', async () => {
    const { deps, inbox } = setup();
    inbox.failWith = new DependencyError('SQS SendMessage failed', 'sqs');
    const response = await handleBeacon(post(beaconFor(event)), deps);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('5');
  });
});

describe('IngestEnvSchema SHOPS storefront settings', () => {
  const base = { INBOX_QUEUE_URL: 'q', LOCAL_WEBHOOK_SECRETS_JSON: '{}' };
  const storefront = (value: unknown) => JSON.stringify({ [SHOP]: { storefront: value } });

  it('parses the shop map once and defaults to no shops', () => {
    expect(IngestEnvSchema.parse(base).SHOPS).toEqual({});
    const env = IngestEnvSchema.parse({
      ...base,
      SHOPS: storefront({ publicKey: PUBLIC_KEY, origins: [ORIGIN] }),
    });
    expect(env.SHOPS[SHOP]?.storefront).toEqual({ publicKey: PUBLIC_KEY, origins: [ORIGIN] });
  });

  it('accepts `null` as an origin (sandboxed pixels)', () => {
    const env = IngestEnvSchema.parse({
      ...base,
      SHOPS: storefront({ publicKey: PUBLIC_KEY, origins: ['null', ORIGIN] }),
    });
    expect(env.SHOPS[SHOP]?.storefront?.origins).toEqual(['null', ORIGIN]);
  });

  it.each([
    ['not JSON', '{'],
    ['an origin with a path', storefront({ publicKey: PUBLIC_KEY, origins: [`${ORIGIN}/x`] })],
    ['a plain-http origin', storefront({ publicKey: PUBLIC_KEY, origins: ['http://shop.example'] })],
    ['a key without pk_', storefront({ publicKey: 'secret', origins: [ORIGIN] })],
    [
      'a shop that is not a myshopify domain',
      JSON.stringify({ 'shop.example': { storefront: { publicKey: PUBLIC_KEY, origins: [ORIGIN] } } }),
    ],
  ])('rejects %s', (_label, value) => {
    expect(IngestEnvSchema.safeParse({ ...base, SHOPS: value }).success).toBe(false);
  });

  it('refuses the removed STOREFRONT_SHOPS variable, naming its replacement', () => {
    const result = IngestEnvSchema.safeParse({ ...base, STOREFRONT_SHOPS: '{}' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('set SHOPS');
  });
});

describe('handleBeacon with characters SQS refuses (a real SQS emulator, fauxqs, on 127.0.0.1)', () => {
  let queues: TestQueues;
  beforeAll(async () => {
    queues = await startTestQueues();
  });
  afterAll(async () => queues?.close());

  it('queues a search a shopper typed with U+FFFE, U+FFFF, a lone surrogate and emoji, unchanged', async () => {
    const { url } = queues.queue('beacons');
    const { deps } = setup();
    const query = 'skate \uFFFE\uFFFF \uD800 🛹';
    const raw = pixelSample('web-pixel-search-submitted.json');
    const event = { ...raw, data: { searchResult: { query, productVariants: [] } } };
    const response = await handleBeacon(post(beaconFor(event)), {
      ...deps,
      inbox: new SqsMessageQueue(queues.sqs, url),
    });
    expect(response.statusCode).toBe(202);
    const out = await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    const queued = out.Messages?.[0]?.Body ?? '';
    expect(isSqsSafeText(queued)).toBe(true);
    const body = JSON.parse(WebhookEnvelopeSchema.parse(decodeInboxMessage(queued)).body) as {
      data: { searchResult: { query: string } };
    };
    // The browser's JSON escapes the lone surrogate (\ud800), so it survives the trip exactly.
    expect(body.data.searchResult.query).toBe(query);
  });
});
