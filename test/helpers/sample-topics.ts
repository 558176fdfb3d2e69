import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { OKENDO_REVIEW_CREATE } from './reviews-envelope.js';

/** Shopify sample files by topic. */
const SHOPIFY_TOPICS: Readonly<Record<string, string>> = {
  'app-uninstalled': 'app/uninstalled',
  'carts-create': 'carts/create',
  'carts-update': 'carts/update',
  'checkouts-create': 'checkouts/create',
  'checkouts-update': 'checkouts/update',
  'checkouts-delete': 'checkouts/delete',
  'customers-create': 'customers/create',
  'customers-update': 'customers/update',
  'customers-data-request': 'customers/data_request',
  'customers-redact': 'customers/redact',
  'customers-email-marketing-consent-update': 'customers_email_marketing_consent/update',
  'customers-marketing-consent-update': 'customers_marketing_consent/update',
  'orders-cancelled': 'orders/cancelled',
  'orders-create': 'orders/create',
  'orders-paid': 'orders/paid',
  'orders-updated': 'orders/updated',
  'refunds-create': 'refunds/create',
  'shop-redact': 'shop/redact',
};

const SAMPLES = resolve(import.meta.dirname, '../fixtures/samples');

/** Every sample file with the source and topic it stands for (pixel captures by their event name). */
export const SAMPLE_TOPICS: readonly (readonly [string, string, string])[] = [
  ...readdirSync(resolve(SAMPLES, 'shopify'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const base = f.replace(/\..*$/, '');
      if (base.startsWith('web-pixel-')) {
        return ['pixel', base.slice('web-pixel-'.length).replaceAll('-', '_'), `shopify/${f}`] as const;
      }
      return ['shopify', SHOPIFY_TOPICS[base] ?? base, `shopify/${f}`] as const;
    }),
  ['judgeme', 'review/created', 'judgeme/review-created.json'],
  ['stamped', 'review/created', 'stamped/review-created.json'],
  ['yotpo', 'review_create', 'yotpo/review-create.json'],
  ...readdirSync(resolve(SAMPLES, 'recharge'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const base = f.replace(/\..*$/, '');
      const [resource, ...action] = base.split('-');
      // A created charge is the shape charge/paid reads (the connector has no charge/created topic).
      const topic = base === 'charge-created' ? 'charge/paid' : `${resource}/${action.join('_')}`;
      return ['recharge', topic, `recharge/${f}`] as const;
    })
    // Addresses are not a topic the connector handles.
    .filter(([, topic]) => topic !== 'address/created'),
];

/** Payloads with no sample file (built from the platform's docs), by source and topic. */
export const DOC_PAYLOADS: readonly (readonly [string, string, string])[] = [
  ['okendo', 'review.create', OKENDO_REVIEW_CREATE],
];

/** A path to a value inside a JSON document. */
export type JsonPath = readonly (string | number)[];

/** Every leaf (string, number, boolean, null) of a JSON value, by path. */
export const leafPaths = (
  value: unknown,
  path: JsonPath = [],
  keep: (leaf: unknown) => boolean = () => true,
): JsonPath[] => {
  if (Array.isArray(value)) return value.flatMap((item, i) => leafPaths(item, [...path, i], keep));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...path, key], keep));
  }
  return keep(value) ? [path] : [];
};

/** Every string leaf of a JSON value, by path. */
export const stringPaths = (value: unknown): JsonPath[] =>
  leafPaths(value, [], (leaf) => typeof leaf === 'string');

/** A copy of `value` with the node at `path` replaced. */
export const replaced = (value: unknown, path: JsonPath, replacement: unknown): unknown => {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value))
    return value.map((item, i) => (i === head ? replaced(item, rest, replacement) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [String(head)]: replaced(record[String(head)], rest, replacement) };
};
