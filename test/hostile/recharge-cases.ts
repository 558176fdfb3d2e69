import { LOCAL_PLATFORM_SECRETS } from '../../local/local-config.js';
import { signRechargeLegacy } from '../../shared/signatures/recharge-signature.js';
import type { Random } from '../chaos/random.js';
import { rechargeRequest } from '../helpers/platform-requests.js';
import { extendSha256 } from '../helpers/sha256-length-extension.js';
import {
  bodyDeliveryId,
  type CaseInput,
  type HostileCase,
  numericId,
  orderMarker,
  sampleObject,
} from './hostile-kit.js';

const SECRET = LOCAL_PLATFORM_SECRETS.recharge.clientSecrets[0];
const HOUR = 3_600_000;

/** Recharge's charge/paid for a Shopify order (2021-11 shape, with the order and a currency): Order Completed. */
const chargePaid = (random: Random): { body: string; orderId: string } => {
  const orderId = numericId(random, 13);
  const customerId = numericId(random, 12);
  const charge = {
    ...sampleObject('recharge/charge-paid.legacy.json'),
    id: Number(numericId(random, 9)),
    customer_id: Number(numericId(random, 8)),
    shopify_customer_id: customerId,
    email: `recharge.${customerId}@example.com`,
    shopify_order_id: orderId,
    currency: random.pick(['USD', 'EUR', 'GBP']),
    status: 'success',
    total_price: (random.int(100, 50_000) / 100).toFixed(2),
    processed_at: new Date().toISOString(),
  };
  return { body: JSON.stringify({ charge }), orderId };
};

/** One Recharge request of a body, signed as `sign` says, with its body-hash delivery id. */
const recharge = (
  topic: string,
  body: string | Buffer,
  options: Parameters<typeof rechargeRequest>[2] = {},
  marker?: string,
): CaseInput => ({
  requests: [rechargeRequest(topic, body, options)],
  deliveryId: bodyDeliveryId(topic, body),
  ...(marker ? { marker } : {}),
});

/** Signature, freshness and identity cases of the Recharge route. */
export const RECHARGE_CASES: readonly HostileCase[] = [
  {
    id: 'recharge-valid-timestamped',
    source: 'recharge',
    input: 'a charge/paid for a Shopify order, timestamped signature',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { body, orderId } = chargePaid(random);
      return recharge('charge/paid', body, {}, orderMarker(orderId));
    },
  },
  {
    id: 'recharge-valid-legacy',
    source: 'recharge',
    input: 'the same, signed only with the legacy X-Recharge-Hmac-Sha256',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { body, orderId } = chargePaid(random);
      return recharge('charge/paid', body, { scheme: 'legacy' }, orderMarker(orderId));
    },
  },
  {
    id: 'recharge-stale-timestamp',
    source: 'recharge',
    input: 'a timestamped signature 49 h to 30 days old (past Recharge’s 48 h retry window)',
    status: 401,
    outcome: { kind: 'refused', error: 'stale_timestamp' },
    build: (random) => {
      const { body, orderId } = chargePaid(random);
      const at = new Date(Date.now() - random.int(49, 720) * HOUR);
      return recharge('charge/paid', body, { at }, orderMarker(orderId));
    },
  },
  {
    id: 'recharge-future-timestamp',
    source: 'recharge',
    input: 'a timestamped signature 10 min to 2 days in the future',
    status: 401,
    outcome: { kind: 'refused', error: 'stale_timestamp' },
    build: (random) => {
      const { body, orderId } = chargePaid(random);
      const at = new Date(Date.now() + random.int(10, 2_880) * 60_000);
      return recharge('charge/paid', body, { at }, orderMarker(orderId));
    },
  },
  {
    id: 'recharge-length-extension',
    source: 'recharge',
    input:
      'a captured legacy-signed body extended with SHA-256 padding and a second JSON document, with the forged hash',
    status: 401,
    outcome: { kind: 'refused', error: 'malformed_body' },
    build: (random) => {
      const { body, orderId } = chargePaid(random);
      const captured = signRechargeLegacy(body, SECRET);
      const suffix = Buffer.from(JSON.stringify({ charge: { shopify_order_id: numericId(random, 13) } }));
      const { digest, appended } = extendSha256(captured, SECRET.length + Buffer.byteLength(body), suffix);
      const forged = Buffer.concat([Buffer.from(body), appended]);
      const [request] = recharge('charge/paid', forged, { scheme: 'legacy' }).requests;
      if (!request) throw new Error('no request');
      return {
        requests: [{ ...request, headers: { ...request.headers, 'x-recharge-hmac-sha256': digest } }],
        deliveryId: bodyDeliveryId('charge/paid', forged),
        marker: orderMarker(orderId),
      };
    },
  },
  {
    id: 'recharge-malformed-signature',
    source: 'recharge',
    input: 'X-Recharge-Webhook-Signature that is not `t=<epoch>,v1=<hex>`',
    status: 401,
    outcome: { kind: 'refused', error: 'malformed_signature' },
    build: (random) => {
      const { body } = chargePaid(random);
      const [request] = recharge('charge/paid', body).requests;
      if (!request) throw new Error('no request');
      const header = random.pick(['t=abc,v1=zz', 'v1=', 'garbage', `t=${Date.now()},v1=${'g'.repeat(64)}`]);
      return {
        requests: [{ ...request, headers: { ...request.headers, 'x-recharge-webhook-signature': header } }],
        deliveryId: bodyDeliveryId('charge/paid', body),
      };
    },
  },
  {
    id: 'recharge-missing-topic',
    source: 'recharge',
    input: 'a valid signature but no X-Recharge-Topic',
    status: 400,
    outcome: { kind: 'refused', error: 'missing_headers' },
    build: (random) => {
      const { body } = chargePaid(random);
      const [request] = recharge('charge/paid', body).requests;
      if (!request) throw new Error('no request');
      const { 'x-recharge-topic': _dropped, ...headers } = request.headers;
      return { requests: [{ ...request, headers }], deliveryId: bodyDeliveryId('charge/paid', body) };
    },
  },
  {
    id: 'recharge-unknown-shop',
    source: 'recharge',
    input: 'X-Recharge-External-Platform-Domain naming a shop the deployment does not serve',
    status: 401,
    outcome: { kind: 'refused', error: 'unknown_shop' },
    build: (random) => {
      const { body } = chargePaid(random);
      return recharge('charge/paid', body, { shop: `nobody-${random.hex(6)}.myshopify.com` });
    },
  },
  {
    id: 'recharge-unresolved-person',
    source: 'recharge',
    input: 'a 2021-11 subscription/created naming only a Recharge customer no delivery ever linked',
    status: 200,
    outcome: { kind: 'parked', code: 'person_unresolved' },
    build: (random) => {
      const sample = sampleObject('recharge/subscription-created.json');
      const subscription = {
        ...(sample.subscription as Record<string, unknown>),
        id: Number(numericId(random, 9)),
        customer_id: Number(numericId(random, 9)),
      };
      return recharge('subscription/created', JSON.stringify({ subscription }));
    },
  },
  {
    id: 'recharge-null-everywhere',
    source: 'recharge',
    input: 'a charge/paid whose every field is null',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) => {
      const { body } = chargePaid(random);
      const charge = (JSON.parse(body) as { charge: Record<string, unknown> }).charge;
      return recharge(
        'charge/paid',
        JSON.stringify({ charge: Object.fromEntries(Object.keys(charge).map((k) => [k, null])) }),
      );
    },
  },
  {
    id: 'recharge-topic-proto',
    source: 'recharge',
    input: 'X-Recharge-Topic `__proto__` or `constructor`',
    status: 200,
    outcome: { kind: 'ignored' },
    build: (random) => {
      const { body, orderId } = chargePaid(random);
      return recharge(random.pick(['__proto__', 'constructor']), body, {}, orderMarker(orderId));
    },
  },
  {
    id: 'recharge-replayed',
    source: 'recharge',
    input: 'the same charge/paid bytes three times (Recharge sends no delivery id: the body hash is one)',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { body, orderId } = chargePaid(random);
      const once = recharge('charge/paid', body, {}, orderMarker(orderId));
      return { ...once, requests: [...once.requests, ...once.requests, ...once.requests] };
    },
    also: {
      says: 'one Order Completed',
      holds: (ops, input) =>
        ops.filter((op) => op.name === 'Order Completed' && JSON.stringify(op).includes(input.marker ?? ''))
          .length === 1,
    },
  },
];
