import { timingSafeEqual } from 'node:crypto';
import type { ShopDirectory } from '../config/shops.js';
import { classifyFailure } from '../failures/classify-failure.js';
import { type HttpRequest, type HttpResponse, jsonResponse } from '../http/http-types.js';
import type { Clock } from '../ports/clock.js';
import type { MessageQueue } from '../ports/message-queue.js';
import type { Telemetry } from '../ports/telemetry.js';
import { BeaconSchema, parsePixelData } from '../sources/pixel/pixel-schemas.js';
import { isoString } from '../time/iso-time.js';
import type { WebhookEnvelope } from './envelope.js';
import { enqueueEnvelope } from './inbox-message.js';

/** What the storefront beacon ingress needs. */
export interface BeaconIngressDeps {
  /** The configured shops; a shop's beacons are accepted only when it has storefront settings. */
  readonly shops: ShopDirectory;
  readonly inbox: MessageQueue;
  readonly clock: Clock;
  readonly maxBeaconBytes: number;
  readonly telemetry: Telemetry;
}

/** The beacon route. */
export const BEACON_PATH = '/collect';

const ALLOWED_METHODS = 'POST, OPTIONS';
const ALLOWED_HEADERS = 'content-type';
const PREFLIGHT_MAX_AGE_SECONDS = '86400';
/** text/plain is a CORS-safelisted type (no preflight); application/json is accepted for callers that preflight. */
const ACCEPTED_CONTENT_TYPES = new Set(['text/plain', 'application/json']);

const allOrigins = (shops: ShopDirectory): ReadonlySet<string> =>
  new Set(shops.shops.flatMap((shop) => shops.settings(shop)?.storefront?.origins ?? []));

/** CORS headers for a response: the Origin is echoed only when it is allow-listed; never `*`, never credentials. */
const corsHeaders = (origin: string | undefined, allowed: boolean): Record<string, string> =>
  origin !== undefined && allowed
    ? { 'access-control-allow-origin': origin, vary: 'Origin' }
    : { vary: 'Origin' };

const sameKey = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

const withHeaders = (response: HttpResponse, headers: Record<string, string>): HttpResponse => ({
  ...response,
  headers: { ...response.headers, ...headers },
});

const empty = (statusCode: number, headers: Record<string, string>): HttpResponse => ({
  statusCode,
  headers,
  body: '',
});

/**
 * Accepts one storefront beacon (unsigned, untrusted): CORS preflight, size cap, strict schema, per-shop public key
 * and Origin allow-list, then queues the reduced event as an unsigned `pixel` envelope. The key and the Origin only
 * filter abuse from browsers (both can be forged outside one), which is why beacons never identify anyone.
 */
export const handleBeacon = async (request: HttpRequest, deps: BeaconIngressDeps): Promise<HttpResponse> => {
  const { log, counters } = deps.telemetry;
  const origin = request.headers.origin;
  const knownOrigin = origin !== undefined && allOrigins(deps.shops).has(origin);
  const cors = corsHeaders(origin, knownOrigin);
  if (request.path.replace(/\/$/, '') !== BEACON_PATH) return jsonResponse(404, { error: 'unknown_route' });

  if (request.method === 'OPTIONS') {
    if (!knownOrigin) {
      counters.count('BeaconRejected_origin');
      return empty(403, cors);
    }
    return empty(204, {
      ...cors,
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
    });
  }
  if (request.method !== 'POST') {
    return jsonResponse(405, { error: 'method_not_allowed' }, { ...cors, allow: ALLOWED_METHODS });
  }
  const reject = (status: number, reason: string): HttpResponse => {
    counters.count(`BeaconRejected_${reason}`);
    return jsonResponse(status, { error: reason }, cors);
  };
  if (request.body.length > deps.maxBeaconBytes) return reject(413, 'payload_too_large');
  if (!knownOrigin) return reject(403, 'origin_not_allowed');
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!ACCEPTED_CONTENT_TYPES.has(contentType)) return reject(415, 'unsupported_media_type');

  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    return reject(400, 'invalid_json');
  }
  const beacon = BeaconSchema.safeParse(json);
  if (!beacon.success) return reject(400, 'invalid_beacon');
  const { key, event } = beacon.data;
  // The same normalization as every other route: `Demo.myshopify.com.` is the configured `demo.myshopify.com`.
  const shop = deps.shops.resolve(beacon.data.shop);
  const config = shop === undefined ? undefined : deps.shops.settings(shop)?.storefront;
  if (shop === undefined || !config || !sameKey(key, config.publicKey)) return reject(403, 'unknown_key');
  if (origin === undefined || !config.origins.includes(origin)) return reject(403, 'origin_not_allowed');

  const parsed = parsePixelData(event);
  if (parsed === undefined) {
    counters.count('BeaconIgnoredEvent');
    return empty(204, cors);
  }
  if (!parsed.ok) return reject(400, 'invalid_beacon');

  const envelope: WebhookEnvelope = {
    version: 1,
    source: 'pixel',
    topic: parsed.event.name,
    shop,
    deliveryId: parsed.event.id,
    receivedAt: isoString(deps.clock().getTime()),
    signed: false,
    body: JSON.stringify(parsed.event),
  };
  let queued: Awaited<ReturnType<typeof enqueueEnvelope>>;
  try {
    // A shopper can type characters SQS refuses (U+FFFE) into a search: they are escaped, never refused.
    queued = await enqueueEnvelope(deps.inbox, envelope);
  } catch (error) {
    const failure = classifyFailure(error);
    log.error('beacon enqueue failed', {
      delivery_id: envelope.deliveryId,
      code: failure.code,
      reason: failure.reason,
    });
    counters.count('BeaconEnqueueFailed');
    if (failure.class !== 'transient') return jsonResponse(500, { error: 'internal_error' }, cors);
    return withHeaders(jsonResponse(503, { error: 'temporarily_unavailable' }, cors), { 'retry-after': '5' });
  }
  // Only with MAX_BEACON_BYTES raised near SQS's own limit: refuse rather than drop it.
  if (queued === 'too_large') return reject(413, 'payload_too_large');
  counters.count('BeaconAccepted');
  return jsonResponse(202, { ok: true }, cors);
};
