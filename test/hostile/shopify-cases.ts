import { shopifyRequest } from '../helpers/platform-requests.js';
import {
  type HostileCase,
  numericId,
  OTHER_SHOP,
  orderMarker,
  orderVariant,
  SHOP,
  sampleObject,
  signedShopify,
} from './hostile-kit.js';

/** The Shopify secret a rotation keeps listed second (see hostileSecrets), and the other shop's. */
export const ROTATED_SHOPIFY_SECRET = 'local-shopify-client-secret-before-rotation';
export const OTHER_SHOP_SHOPIFY_SECRET = 'other-shop-shopify-client-secret';

const ORDER_COMPLETED = (operations: readonly Record<string, unknown>[], marker: string): number =>
  operations.filter((op) => op.name === 'Order Completed' && JSON.stringify(op).includes(marker)).length;

/** Signature, shop binding and header cases of the Shopify route, on randomized variants of orders/create. */
export const SHOPIFY_EDGE_CASES: readonly HostileCase[] = [
  {
    id: 'shopify-valid-order',
    source: 'shopify',
    input: 'a valid signed orders/create (random id, customer, lines, total)',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      return { ...signedShopify(random, 'orders/create', text()), marker: orderMarker(id) };
    },
  },
  {
    id: 'shopify-bad-signature',
    source: 'shopify',
    input: 'the HMAC with one character changed',
    status: 401,
    outcome: { kind: 'refused', error: 'invalid_signature' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      const signed = signedShopify(random, 'orders/create', text());
      const [request] = signed.requests;
      if (!request) throw new Error('no request');
      const hmac = request.headers['x-shopify-hmac-sha256'] ?? '';
      const at = random.int(0, hmac.length - 2);
      const flipped = `${hmac.slice(0, at)}${hmac[at] === 'A' ? 'B' : 'A'}${hmac.slice(at + 1)}`;
      return {
        requests: [{ ...request, headers: { ...request.headers, 'x-shopify-hmac-sha256': flipped } }],
        deliveryId: signed.deliveryId,
        marker: orderMarker(id),
      };
    },
  },
  {
    id: 'shopify-missing-signature',
    source: 'shopify',
    input: 'no X-Shopify-Hmac-Sha256 header',
    status: 401,
    outcome: { kind: 'refused', error: 'missing_signature' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      const signed = signedShopify(random, 'orders/create', text());
      const [request] = signed.requests;
      if (!request) throw new Error('no request');
      const { 'x-shopify-hmac-sha256': _dropped, ...headers } = request.headers;
      return { requests: [{ ...request, headers }], deliveryId: signed.deliveryId, marker: orderMarker(id) };
    },
  },
  {
    id: 'shopify-unknown-secret',
    source: 'shopify',
    input: 'signed with a secret the shop never had',
    status: 401,
    outcome: { kind: 'refused', error: 'invalid_signature' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      return {
        ...signedShopify(random, 'orders/create', text(), { secret: `forged-${random.hex(12)}` }),
        marker: orderMarker(id),
      };
    },
  },
  {
    id: 'shopify-rotated-secret',
    source: 'shopify',
    input: 'signed with the previous secret, still listed during a rotation',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      return {
        ...signedShopify(random, 'orders/create', text(), { secret: ROTATED_SHOPIFY_SECRET }),
        marker: orderMarker(id),
      };
    },
  },
  {
    id: 'shopify-other-shops-secret',
    source: 'shopify',
    input: "signed with another configured shop's secret, naming the local shop",
    status: 401,
    outcome: { kind: 'refused', error: 'invalid_signature' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      return {
        ...signedShopify(random, 'orders/create', text(), { secret: OTHER_SHOP_SHOPIFY_SECRET }),
        marker: orderMarker(id),
      };
    },
  },
  {
    id: 'shopify-replayed-delivery',
    source: 'shopify',
    input: 'the same delivery (same webhook id) sent three times',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      const signed = signedShopify(random, 'orders/create', text());
      return {
        ...signed,
        requests: [...signed.requests, ...signed.requests, ...signed.requests],
        marker: orderMarker(id),
      };
    },
    also: {
      says: 'one Order Completed',
      holds: (ops, input) => ORDER_COMPLETED(ops, input.marker ?? '') === 1,
    },
  },
  {
    id: 'shopify-replayed-new-webhook-id',
    source: 'shopify',
    input: 'a captured order replayed under fresh webhook ids (orders/create, then orders/paid)',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      const first = signedShopify(random, 'orders/create', text());
      const again = signedShopify(random, 'orders/create', text());
      const paid = signedShopify(random, 'orders/paid', text());
      return {
        requests: [...first.requests, ...again.requests, ...paid.requests],
        deliveryId: first.deliveryId,
        marker: orderMarker(id),
      };
    },
    also: {
      says: 'one Order Completed',
      holds: (ops, input) => ORDER_COMPLETED(ops, input.marker ?? '') === 1,
    },
  },
  {
    id: 'shopify-shop-header-variants',
    source: 'shopify',
    input: 'one order under X-Shopify-Shop-Domain variants: upper case, trailing dot, spaces, mixed case',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      const spellings = random.shuffle([
        SHOP.toUpperCase(),
        `${SHOP}.`,
        `  ${SHOP} `,
        'Local-Dev.MyShopify.com',
      ]);
      const sent = spellings.map((shop) => signedShopify(random, 'orders/create', text(), { shop }));
      return {
        requests: sent.flatMap((s) => s.requests),
        deliveryId: sent[0]?.deliveryId,
        marker: orderMarker(id),
      };
    },
    also: {
      says: 'one Order Completed',
      holds: (ops, input) => ORDER_COMPLETED(ops, input.marker ?? '') === 1,
    },
  },
  {
    id: 'shopify-unknown-shop',
    source: 'shopify',
    input: 'a shop domain the deployment does not serve',
    status: 401,
    outcome: { kind: 'refused', error: 'unknown_shop' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      return {
        ...signedShopify(random, 'orders/create', text(), { shop: `nobody-${random.hex(6)}.myshopify.com` }),
        marker: orderMarker(id),
      };
    },
  },
  {
    id: 'shopify-missing-shop-header',
    source: 'shopify',
    input: 'no X-Shopify-Shop-Domain header',
    status: 401,
    outcome: { kind: 'refused', error: 'unknown_shop' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      const signed = signedShopify(random, 'orders/create', text());
      const [request] = signed.requests;
      if (!request) throw new Error('no request');
      const { 'x-shopify-shop-domain': _dropped, ...headers } = request.headers;
      return { requests: [{ ...request, headers }], deliveryId: signed.deliveryId, marker: orderMarker(id) };
    },
  },
  {
    id: 'shopify-missing-topic',
    source: 'shopify',
    input: 'a valid signature but no X-Shopify-Topic header',
    status: 400,
    outcome: { kind: 'refused', error: 'missing_headers' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      const signed = signedShopify(random, 'orders/create', text());
      const [request] = signed.requests;
      if (!request) throw new Error('no request');
      const { 'x-shopify-topic': _dropped, ...headers } = request.headers;
      return { requests: [{ ...request, headers }], deliveryId: signed.deliveryId, marker: orderMarker(id) };
    },
  },
  {
    id: 'shopify-missing-webhook-id',
    source: 'shopify',
    input: 'a valid signature but a blank X-Shopify-Webhook-Id',
    status: 400,
    outcome: { kind: 'refused', error: 'missing_headers' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      return {
        ...signedShopify(random, 'orders/create', text(), { webhookId: ' ' }),
        marker: orderMarker(id),
      };
    },
  },
  {
    id: 'shopify-oversized-body',
    source: 'shopify',
    input: 'a signed order of 1.1 MB (a note padded past the 1,000 KB cap)',
    status: 413,
    outcome: { kind: 'refused', error: 'payload_too_large' },
    build: (random) => {
      const { id, text } = orderVariant(random, (order) => {
        order.note = 'x'.repeat(1_100_000 + random.int(0, 50_000));
      });
      return { ...signedShopify(random, 'orders/create', text()), marker: orderMarker(id) };
    },
  },
  {
    id: 'shopify-compliance-other-shop',
    source: 'shopify',
    input: 'customers/redact signed for the local shop but naming another configured shop in shop_domain',
    status: 401,
    outcome: { kind: 'refused', error: 'shop_mismatch' },
    build: (random) => {
      const body = { ...sampleObject('shopify/customers-redact.json'), shop_domain: OTHER_SHOP };
      return signedShopify(random, 'customers/redact', JSON.stringify(body));
    },
  },
  {
    id: 'shopify-topic-constructor',
    source: 'shopify',
    input: 'X-Shopify-Topic `constructor` (an Object prototype property)',
    status: 200,
    outcome: { kind: 'ignored' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      return { ...signedShopify(random, 'constructor', text()), marker: orderMarker(id) };
    },
  },
  {
    id: 'shopify-topic-proto',
    source: 'shopify',
    input: 'X-Shopify-Topic `__proto__`',
    status: 200,
    outcome: { kind: 'ignored' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      return { ...signedShopify(random, '__proto__', text()), marker: orderMarker(id) };
    },
  },
  {
    id: 'shopify-topic-tostring',
    source: 'shopify',
    input: 'X-Shopify-Topic `toString` (and `hasOwnProperty` on a replay)',
    status: 200,
    outcome: { kind: 'ignored' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      const first = signedShopify(random, 'toString', text());
      return {
        ...first,
        requests: [
          ...first.requests,
          shopifyRequest('hasOwnProperty', text(), { webhookId: `h-${random.hex(8)}` }),
        ],
        marker: orderMarker(id),
      };
    },
  },
  {
    id: 'shopify-big-order',
    source: 'shopify',
    input: 'an order of 250 to 400 lines (under the body cap, far over 32 KB as one event)',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const lines = random.int(250, 400);
      const { text } = orderVariant(random, (order) => {
        const [line] = order.line_items as Record<string, unknown>[];
        order.line_items = Array.from({ length: lines }, (_, i) => ({
          ...line,
          id: numericId(random, 12),
          title: `Line ${i}`,
        }));
      });
      return { ...signedShopify(random, 'orders/create', text()), marker: `"products_total_count":${lines}` };
    },
    also: {
      says: 'its Order Completed carries products_truncated and the full line count',
      holds: (ops, input) =>
        ops.some(
          (op) =>
            op.name === 'Order Completed' &&
            JSON.stringify(op).includes(input.marker ?? '') &&
            JSON.stringify(op).includes('"products_truncated":true'),
        ),
    },
  },
];
