import {
  type HostileCase,
  numericId,
  ODD_TEXTS,
  orderMarker,
  orderVariant,
  sampleObject,
  signedShopify,
} from './hostile-kit.js';

type Json = Record<string, unknown>;

/** Well-formed ISO 8601 times (expanded years) outside the years 0000 to 9999 that every timestamp here takes. */
const OUT_OF_RANGE = [
  '+010000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '+012345-06-07T08:09:10.000Z',
  '-000001-12-31T23:59:59Z',
];
/** Text in a date field that is no date (a five-digit year without its sign is not ISO 8601 either). */
const MALFORMED_DATES = [
  'yesterday',
  '2026-13-45T99:99:99Z',
  '2026-02-30',
  '',
  'NaN',
  '1e10',
  '10000-01-01T00:00:00Z',
];

/** Raw JSON values of the wrong type for each key field. */
const WRONG_TYPES: Readonly<Record<string, readonly string[]>> = {
  id: ['{}', '[]', 'true', '{"nested":{"id":1}}'],
  total_price: ['{}', '[]', 'true', '{"amount":"1.00"}'],
  line_items: ['{}', '"x"', 'true', '-1.5e3'],
  currency: ['{}', '[]', 'true', '-1.5e3'],
  created_at: ['{}', '[]', 'true', '-1.5e3'],
};

/** What a signed order payload can hold beyond its schema, on randomized variants of orders/create. */
export const PAYLOAD_CASES: readonly HostileCase[] = [
  {
    id: 'payload-truncated-json',
    source: 'shopify',
    input: 'a signed order cut at a random byte',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      const body = text();
      return {
        ...signedShopify(random, 'orders/create', body.slice(0, random.int(1, body.length - 2))),
        marker: orderMarker(id),
      };
    },
  },
  {
    id: 'payload-not-json',
    source: 'shopify',
    input: 'a signed body that is XML, form data or plain text',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) =>
      signedShopify(
        random,
        'orders/create',
        random.pick(['<order><id>1</id></order>', 'id=1&total=2', 'order placed', '\u0000\u0001binary']),
      ),
  },
  {
    id: 'payload-empty-body',
    source: 'shopify',
    input: 'a signed empty body',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) => signedShopify(random, 'orders/create', ''),
  },
  {
    id: 'payload-json-scalar',
    source: 'shopify',
    input: 'a signed JSON value that is no object: null, [], a string, a number',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) =>
      signedShopify(random, 'orders/create', random.pick(['null', '[]', '"order"', '42', 'true'])),
  },
  {
    id: 'payload-duplicate-keys',
    source: 'shopify',
    input:
      'an order whose `id` appears twice (the signature covers the bytes; the last one counts, as in JSON.parse)',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { text } = orderVariant(random);
      const last = numericId(random, 13);
      const body = text()
        .replace(/^\{/, `{"id":${numericId(random, 13)},`)
        .replace(/\}$/, `,"id":${last}}`);
      return { ...signedShopify(random, 'orders/create', body), marker: orderMarker(last) };
    },
  },
  {
    id: 'payload-deep-nesting',
    source: 'shopify',
    input: 'an order whose note_attributes hold 5,000 to 20,000 nested arrays',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { id, text } = orderVariant(random);
      const depth = random.int(5_000, 20_000);
      const body = text().replace(
        /"note_attributes":\[[^\]]*\]/,
        `"note_attributes":${'['.repeat(depth)}${']'.repeat(depth)}`,
      );
      return { ...signedShopify(random, 'orders/create', body), marker: orderMarker(id) };
    },
  },
  {
    id: 'payload-number-overflow',
    source: 'shopify',
    input: 'a total of 1e400, -1e400 or 300 to 600 digits (a double overflows to Infinity)',
    status: 200,
    outcome: { kind: 'parked', code: 'unsupported_value' },
    build: (random) => {
      const { text } = orderVariant(random);
      const huge = random.pick(['1e400', '-1e400', '9'.repeat(random.int(300, 600)), `${'1'.repeat(310)}.5`]);
      const body = text().replace(/"total_price":"[^"]*"/, `"total_price":${huge}`);
      return signedShopify(random, 'orders/create', body);
    },
  },
  {
    id: 'payload-id-past-2-53',
    source: 'shopify',
    input: 'an order id of 17 to 19 digits written as a bare JSON number',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const id = numericId(random, random.int(17, 19));
      const { text } = orderVariant(random, (order) => {
        order.id = id;
      });
      return {
        ...signedShopify(random, 'orders/create', text().replace(`"id":"${id}"`, `"id":${id}`)),
        marker: orderMarker(id),
      };
    },
  },
  {
    id: 'payload-id-over-key-limit',
    source: 'shopify',
    input: 'an order id of 2,100 to 5,000 characters (over DynamoDB’s 2,048-byte key limit)',
    status: 200,
    outcome: { kind: 'parked', code: 'key_too_long' },
    build: (random) => {
      const { text } = orderVariant(random, (order) => {
        order.id = numericId(random, random.int(2_100, 5_000));
      });
      return signedShopify(random, 'orders/create', text());
    },
  },
  {
    id: 'payload-webhook-id-over-key-limit',
    source: 'shopify',
    input: 'a webhook id of 2,100 to 4,000 characters',
    status: 200,
    outcome: { kind: 'parked', code: 'key_too_long' },
    build: (random) => {
      const { text } = orderVariant(random);
      return signedShopify(random, 'orders/create', text(), {
        webhookId: `w${random.hex(random.int(2_100, 4_000))}`,
      });
    },
  },
  {
    id: 'payload-date-past-9999',
    source: 'shopify',
    input: 'processed_at and created_at past the year 9999 (or before year 0), well-formed ISO 8601',
    status: 200,
    outcome: { kind: 'parked', code: 'unsupported_value' },
    build: (random) => {
      const when = random.pick(OUT_OF_RANGE);
      const { text } = orderVariant(random, (order) => {
        order.processed_at = when;
        order.created_at = when;
      });
      return signedShopify(random, 'orders/create', text());
    },
  },
  {
    id: 'payload-date-before-1970',
    source: 'shopify',
    input: 'an order placed before 1970 (a valid, if unlikely, date)',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const when = new Date(
        Date.UTC(random.int(1900, 1969), random.int(0, 11), random.int(1, 28)),
      ).toISOString();
      const { id, text } = orderVariant(random, (order) => {
        order.processed_at = when;
        order.created_at = when;
      });
      return { ...signedShopify(random, 'orders/create', text()), marker: orderMarker(id) };
    },
  },
  {
    id: 'payload-date-malformed',
    source: 'shopify',
    input: 'created_at and processed_at that are not dates (`yesterday`, month 13, 30 February…)',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) => {
      const when = random.pick(MALFORMED_DATES);
      const { text } = orderVariant(random, (order) => {
        order.processed_at = when;
        order.created_at = when;
      });
      return signedShopify(random, 'orders/create', text());
    },
  },
  {
    id: 'payload-date-whitespace-run',
    source: 'shopify',
    input: 'a date preceded or followed by 100 KB of spaces and tabs',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) => {
      const run = Array.from({ length: 100_000 }, () => random.pick([' ', '\t'])).join('');
      const when = random.chance(0.5) ? `${run}2026-11-28T10:00:00Z` : `2026-11-28T10:00:00${run}UTC`;
      const { text } = orderVariant(random, (order) => {
        order.processed_at = when;
        order.created_at = when;
      });
      return signedShopify(random, 'orders/create', text());
    },
  },
  ...Object.entries(ODD_TEXTS).map(
    ([kind, sample]): HostileCase => ({
      id: `payload-text-${kind.replaceAll(' ', '-')}`,
      source: 'shopify',
      input: `${kind} in the buyer's first name and the order note`,
      status: 200,
      outcome: { kind: 'delivered' },
      build: (random) => {
        const { id, text } = orderVariant(random, (order) => {
          order.note = sample;
          order.customer = { ...(order.customer as Json), first_name: sample };
        });
        return { ...signedShopify(random, 'orders/create', text()), marker: orderMarker(id) };
      },
      also: {
        says: 'the first name reaches Customer.io unchanged',
        holds: (ops) =>
          ops.some(
            (op) => op.action === 'identify' && (op.attributes as Json | undefined)?.first_name === sample,
          ),
      },
    }),
  ),
  {
    id: 'payload-wrong-type-key-field',
    source: 'shopify',
    input:
      'one delivery per key field (id, total_price, line_items, currency, created_at) of the wrong JSON type',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) => {
      const sent = Object.entries(WRONG_TYPES).map(([field, wrongs]) => {
        const { order } = orderVariant(random);
        const body = JSON.stringify({ ...order, [field]: '__WRONG__' }).replace(
          '"__WRONG__"',
          random.pick(wrongs),
        );
        return signedShopify(random, 'orders/create', body);
      });
      return {
        requests: sent.flatMap((s) => s.requests),
        deliveryId: sent[0]?.deliveryId,
        moreDeliveryIds: sent.slice(1).map((s) => s.deliveryId),
      };
    },
  },
  {
    id: 'payload-null-everywhere',
    source: 'shopify',
    input: 'every top-level field of an order null',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) => {
      const { order } = orderVariant(random);
      return signedShopify(
        random,
        'orders/create',
        JSON.stringify(Object.fromEntries(Object.keys(order).map((k) => [k, null]))),
      );
    },
  },
  {
    id: 'payload-empty-arrays',
    source: 'shopify',
    input: 'an order with no lines, no discounts, no shipping lines, no tax lines',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const { id, text } = orderVariant(random, (order) => {
        Object.assign(order, {
          line_items: [],
          discount_codes: [],
          shipping_lines: [],
          tax_lines: [],
          refunds: [],
        });
      });
      return { ...signedShopify(random, 'orders/create', text()), marker: orderMarker(id) };
    },
  },
  {
    id: 'payload-escaping-outgrows-sqs',
    source: 'shopify',
    input:
      'a 700 to 900 KB note of U+FFFF (under the body cap; SQS-safe escaping doubles it past what SQS takes)',
    status: 413,
    outcome: { kind: 'refused', error: 'payload_too_large' },
    build: (random) => {
      const { id, text } = orderVariant(random, (order) => {
        order.note = '\uFFFF'.repeat((random.int(700, 900) * 1024) / 3);
      });
      return { ...signedShopify(random, 'orders/create', text()), marker: orderMarker(id) };
    },
  },
  {
    id: 'payload-cart-token-over-key-limit',
    source: 'shopify',
    input: 'a checkout whose cart token is 2,100 to 4,000 characters',
    status: 200,
    outcome: { kind: 'parked', code: 'key_too_long' },
    build: (random) => {
      const checkout = sampleObject('shopify/checkouts-create.json');
      const body = { ...checkout, token: random.hex(32), cart_token: random.hex(random.int(2_100, 4_000)) };
      return signedShopify(random, 'checkouts/create', JSON.stringify(body));
    },
  },
];
