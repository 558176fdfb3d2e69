import { LOCAL_DEFAULTS } from '../../local/local-config.js';
import type { Random } from '../chaos/random.js';
import { checkoutBody } from '../helpers/journey-deliveries.js';
import { beaconRequest, shopifyRequest } from '../helpers/platform-requests.js';
import { type HostileCase, ODD_TEXTS, OTHER_SHOP } from './hostile-kit.js';

type Json = Record<string, unknown>;

/** A product_viewed beacon of the local shop with a page URL unique to it. */
const productViewed = (random: Random, change: (beacon: Json, event: Json) => void = () => undefined) => {
  const id = `hostile-${random.hex(12)}`;
  const href = `${LOCAL_DEFAULTS.storefrontOrigin}/products/${random.hex(6)}?v=${id}`;
  const event: Json = {
    id,
    name: 'product_viewed',
    clientId: `browser-${random.hex(10)}`,
    timestamp: new Date().toISOString(),
    type: 'standard',
    data: {
      productVariant: {
        id: String(random.int(1, 1e9)),
        title: 'Mug',
        price: { amount: random.int(1, 99), currencyCode: 'USD' },
        product: { id: String(random.int(1, 1e9)), title: 'Mug' },
      },
    },
    context: { document: { location: { href }, referrer: null, title: 'Shop' } },
  };
  const beacon: Json = { shop: LOCAL_DEFAULTS.shop, key: LOCAL_DEFAULTS.storefrontKey, event };
  change(beacon, event);
  return { beacon, id, marker: `"page_url":"${href}"` };
};

/** /collect: the untrusted storefront beacon route. */
export const PIXEL_CASES: readonly HostileCase[] = [
  {
    id: 'collect-valid',
    source: 'collect',
    input: 'a product_viewed beacon from the shop’s origin with its key',
    status: 202,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { beacon, id, marker } = productViewed(random);
      return { requests: [beaconRequest(beacon)], deliveryId: id, marker };
    },
  },
  {
    id: 'collect-wrong-origin',
    source: 'collect',
    input: 'a valid beacon from an origin not on the shop’s list (or none)',
    status: 403,
    outcome: { kind: 'refused', error: 'origin_not_allowed' },
    build: (random) => {
      const { beacon, marker } = productViewed(random);
      return {
        requests: [
          beaconRequest(beacon, {
            origin: random.pick(['https://evil.example', 'null', 'http://localhost:3001']),
          }),
        ],
        marker,
      };
    },
  },
  {
    id: 'collect-wrong-key',
    source: 'collect',
    input: 'a beacon with another public key',
    status: 403,
    outcome: { kind: 'refused', error: 'unknown_key' },
    build: (random) => {
      const { beacon, marker } = productViewed(random, (b) => {
        b.key = `pk_${random.hex(16)}`;
      });
      return { requests: [beaconRequest(beacon)], marker };
    },
  },
  {
    id: 'collect-wrong-shop',
    source: 'collect',
    input: 'a beacon naming a shop that is not served, or one without storefront settings',
    status: 403,
    outcome: { kind: 'refused', error: 'unknown_key' },
    build: (random) => {
      const { beacon, marker } = productViewed(random, (b) => {
        b.shop = random.pick([OTHER_SHOP, `nobody-${random.hex(4)}.myshopify.com`]);
      });
      return { requests: [beaconRequest(beacon)], marker };
    },
  },
  {
    id: 'collect-oversized',
    source: 'collect',
    input: 'a beacon of 65 to 512 KB (the cap is 64 KB, what a keepalive request may carry)',
    status: 413,
    outcome: { kind: 'refused', error: 'payload_too_large' },
    build: (random) => {
      const { beacon, marker } = productViewed(random, (_, event) => {
        event.padding = 'x'.repeat(random.int(65, 512) * 1024);
      });
      return { requests: [beaconRequest(beacon)], marker };
    },
  },
  {
    id: 'collect-not-json',
    source: 'collect',
    input: 'a body that is not JSON (truncated beacon, form data)',
    status: 400,
    outcome: { kind: 'refused', error: 'invalid_json' },
    build: (random) => {
      const text = JSON.stringify(productViewed(random).beacon);
      return {
        requests: [
          beaconRequest(random.chance(0.5) ? text.slice(0, random.int(1, text.length - 2)) : 'a=1&b=2'),
        ],
      };
    },
  },
  {
    id: 'collect-wrong-content-type',
    source: 'collect',
    input: 'a valid beacon sent as application/xml or multipart/form-data',
    status: 415,
    outcome: { kind: 'refused', error: 'unsupported_media_type' },
    build: (random) => {
      const { beacon, marker } = productViewed(random);
      return {
        requests: [
          beaconRequest(beacon, { contentType: random.pick(['application/xml', 'multipart/form-data']) }),
        ],
        marker,
      };
    },
  },
  {
    id: 'collect-extra-field',
    source: 'collect',
    input: 'a beacon with a top-level field the schema does not list (an email)',
    status: 400,
    outcome: { kind: 'refused', error: 'invalid_beacon' },
    build: (random) => {
      const { beacon, marker } = productViewed(random, (b) => {
        b.email = `shopper.${random.hex(4)}@example.com`;
      });
      return { requests: [beaconRequest(beacon)], marker };
    },
  },
  {
    id: 'collect-unknown-event',
    source: 'collect',
    input: 'a well-formed beacon of an event the connector does not take (`alert_displayed`)',
    status: 204,
    outcome: { kind: 'ignored' },
    build: (random) => {
      const { beacon, id, marker } = productViewed(random, (_, event) => {
        event.name = 'alert_displayed';
      });
      return { requests: [beaconRequest(beacon)], deliveryId: id, marker };
    },
  },
  {
    id: 'collect-search-noncharacters',
    source: 'collect',
    input: 'a search query holding U+FFFE, U+FFFF and an emoji',
    status: 202,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const tag = random.hex(12);
      const query = `${ODD_TEXTS.noncharacters} ${ODD_TEXTS.emoji} ${tag}`;
      const { beacon, id } = productViewed(random, (_, event) => {
        event.name = 'search_submitted';
        event.data = { searchResult: { query, productVariants: [] } };
      });
      return { requests: [beaconRequest(beacon)], deliveryId: id, marker: tag, facts: { query } };
    },
    also: {
      says: 'the query reaches Customer.io unchanged',
      holds: (ops, input) =>
        ops.some(
          (op) =>
            op.name === 'Products Searched' &&
            (op.attributes as Json | undefined)?.query === input.facts?.query,
        ),
    },
  },
  {
    id: 'collect-get',
    source: 'collect',
    input: 'GET /collect',
    status: 405,
    outcome: { kind: 'refused', error: 'method_not_allowed' },
    build: (random) => ({ requests: [{ ...beaconRequest(productViewed(random).beacon), method: 'GET' }] }),
  },
  {
    id: 'collect-preflight-foreign-origin',
    source: 'collect',
    input: 'a CORS preflight (OPTIONS) from an origin no shop lists',
    status: 403,
    outcome: { kind: 'refused' },
    build: (random) => ({
      requests: [{ ...beaconRequest('', { origin: `https://${random.hex(6)}.example` }), method: 'OPTIONS' }],
    }),
  },
  {
    id: 'collect-flood-one-cart',
    source: 'collect',
    input: '40 browsers flood one cart token with cart_viewed beacons, then a checkout names its owner',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const cartToken = random.hex(32);
      const setup = Array.from({ length: 40 }, () =>
        beaconRequest(
          productViewed(random, (_, event) => {
            event.name = 'cart_viewed';
            event.data = { cart: { id: `gid://shopify/Cart/${cartToken}?key=k`, lines: [] } };
          }).beacon,
        ),
      );
      const customerId = String(random.int(1e9, 9e9));
      const token = random.hex(32);
      const checkout = checkoutBody({
        token,
        cartToken,
        shopper: { customerId, email: `flood.${customerId}@example.com` },
        at: new Date(),
        lines: [],
      });
      const webhookId = `hostile-${random.hex(12)}`;
      return {
        setup,
        requests: [shopifyRequest('checkouts/create', JSON.stringify(checkout), { webhookId })],
        deliveryId: webhookId,
        marker: `"checkout_id":"${token}"`,
        facts: { owner: customerId },
      };
    },
    also: {
      says: 'at most 10 browsers merged into the owner (MAX_ANONYMOUS_IDS_PER_TOKEN)',
      holds: (ops, input) => {
        const owner = input.facts?.owner;
        const merged = ops.filter(
          (op) =>
            op.action === 'identify' &&
            (op.identifiers as Json | undefined)?.id === owner &&
            (op.attributes as Json | undefined)?.anonymous_id !== undefined,
        );
        return merged.length <= 10;
      },
    },
  },
];
