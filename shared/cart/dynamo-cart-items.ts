import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { LineItem, PersonRef } from '../canonical/common.js';
import type { CartActivitySignal } from './cart-signal.js';
import type { CartKey, CartRecord } from './cart-store.js';

/**
 * How a cart record is laid out in the connector table (keys, attribute names, the item ↔ record mapping), for
 * {@link ./dynamo-cart-store.ts}.
 */

/** One DynamoDB item. */
export type Item = Record<string, AttributeValue>;

/** Sort key of a cart item. */
export const CART_SK = 'cart';
/** Partition key of a cart item. */
export const cartPk = (key: CartKey): string => `cart#${key.shop}#${key.cart_token}`;
/** gsi1 partition of the carts that went through a checkout. */
export const checkoutIndexKey = (shop: string, checkoutToken: string): string =>
  `cart-checkout#${shop}#${checkoutToken}`;
/** Partition key of a person's recovery facts (last order, consent). */
export const personPk = (shop: string, personKey: string): string => `cart-person#${shop}#${personKey}`;

/** A string attribute. */
export const S = (value: string): AttributeValue => ({ S: value });
/** A number attribute. */
export const N = (value: number): AttributeValue => ({ N: String(value) });
/** A boolean attribute. */
export const BOOL = (value: boolean): AttributeValue => ({ BOOL: value });

/** A string attribute of an item. */
export const str = (item: Item, name: string): string | undefined => item[name]?.S;
const num = (item: Item, name: string): number | undefined => {
  const value = item[name]?.N;
  return value === undefined ? undefined : Number(value);
};

/**
 * Builds `SET #a = :a, ... [REMOVE #r, ...]` with names and values for every attribute (no reserved-word
 * surprises): `values` are set, `ifNotExists` set only when absent, `remove` removed.
 */
export const assignments = (
  values: Record<string, AttributeValue>,
  ifNotExists: Record<string, AttributeValue> = {},
  remove: readonly string[] = [],
) => {
  const names: Record<string, string> = {};
  const attrValues: Record<string, AttributeValue> = {};
  const parts: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    names[`#${name}`] = name;
    attrValues[`:${name}`] = value;
    parts.push(`#${name} = :${name}`);
  }
  for (const [name, value] of Object.entries(ifNotExists)) {
    names[`#${name}`] = name;
    attrValues[`:${name}`] = value;
    parts.push(`#${name} = if_not_exists(#${name}, :${name})`);
  }
  for (const name of remove) names[`#${name}`] = name;
  const removal = remove.length > 0 ? ` REMOVE ${remove.map((name) => `#${name}`).join(', ')}` : '';
  return { expression: `SET ${parts.join(', ')}${removal}`, names, values: attrValues };
};

/**
 * Stored lines of a big cart are shortened to this many bytes of JSON: a DynamoDB item takes 400 KB, and the
 * abandoned-cart event fits in Customer.io's 32 KB anyway. `lineCount` and `itemCount` keep the full figures.
 */
const MAX_STORED_LINES_BYTES = 64 * 1024;
/** Discount codes are short; a checkout with kilobytes of them keeps the first ones (`discountCodeCount` all). */
const MAX_STORED_CODES_BYTES = 8 * 1024;

/** The JSON of as many leading entries as fit in `maxBytes`. */
const storedList = (entries: readonly unknown[], maxBytes: number): string => {
  const parts: string[] = [];
  let bytes = 2;
  for (const entry of entries) {
    const json = JSON.stringify(entry);
    const size = Buffer.byteLength(json) + (parts.length > 0 ? 1 : 0);
    if (bytes + size > maxBytes) break;
    parts.push(json);
    bytes += size;
  }
  return `[${parts.join(',')}]`;
};

/** Checkout amounts: they describe the lines they came with, so newer lines from a cart edit remove them. */
const AMOUNT_ATTRIBUTES = ['subtotal', 'tax', 'discount'] as const;

/**
 * What a non-pixel activity writes as the cart's contents: lines, counts, total and currency; a checkout adds
 * its discount codes, amounts and presentment currency. `remove` lists what newer contents make stale.
 */
export const contentsOf = (
  activity: CartActivitySignal,
): { readonly set: Record<string, AttributeValue>; readonly remove: readonly string[] } => {
  const set: Record<string, AttributeValue> = {
    lineItems: S(storedList(activity.line_items, MAX_STORED_LINES_BYTES)),
    lineCount: N(activity.line_items.length),
    itemCount: N(activity.line_items.reduce((sum, line) => sum + line.quantity, 0)),
    total: N(activity.total),
    ...(activity.currency ? { currency: S(activity.currency) } : {}),
  };
  const { checkout } = activity;
  if (!checkout) return { set, remove: activity.origin === 'pixel' ? [] : AMOUNT_ATTRIBUTES };
  return {
    set: {
      ...set,
      discountCodes: S(storedList(checkout.discount_codes, MAX_STORED_CODES_BYTES)),
      discountCodeCount: N(checkout.discount_codes.length),
      subtotal: N(checkout.subtotal),
      tax: N(checkout.tax),
      discount: N(checkout.discount),
      ...(checkout.presentment_currency ? { presentmentCurrency: S(checkout.presentment_currency) } : {}),
    },
    remove: [],
  };
};

/** The checkout amounts of an item, when all three are there. */
const amountsOf = (item: Item): CartRecord['amounts'] => {
  const [subtotal, tax, discount] = AMOUNT_ATTRIBUTES.map((name) => num(item, name));
  return subtotal === undefined || tax === undefined || discount === undefined
    ? undefined
    : { subtotal, tax, discount };
};

/** A cart record from its item. */
export const toRecord = (item: Item): CartRecord => {
  const person: PersonRef = {
    ...(str(item, 'customerId') ? { customer_id: str(item, 'customerId') } : {}),
    ...(str(item, 'email') ? { email: str(item, 'email') } : {}),
    ...(str(item, 'phone') ? { phone: str(item, 'phone') } : {}),
  };
  const lineItems = str(item, 'lineItems');
  const codes = str(item, 'discountCodes');
  const amounts = amountsOf(item);
  return {
    shop: str(item, 'shop') ?? '',
    cart_token: str(item, 'cartToken') ?? '',
    ...(str(item, 'checkoutToken') ? { checkout_token: str(item, 'checkoutToken') } : {}),
    person,
    line_items: lineItems ? (JSON.parse(lineItems) as LineItem[]) : [],
    ...(num(item, 'lineCount') === undefined ? {} : { line_count: num(item, 'lineCount') }),
    ...(num(item, 'itemCount') === undefined ? {} : { item_count: num(item, 'itemCount') }),
    total: num(item, 'total') ?? 0,
    currency: str(item, 'currency') ?? null,
    discount_codes: codes ? (JSON.parse(codes) as string[]) : [],
    ...(num(item, 'discountCodeCount') === undefined
      ? {}
      : { discount_code_count: num(item, 'discountCodeCount') }),
    ...(amounts ? { amounts } : {}),
    presentment_currency: str(item, 'presentmentCurrency') ?? null,
    ...(str(item, 'recoveryUrl') ? { recovery_url: str(item, 'recoveryUrl') } : {}),
    checkout_deleted: str(item, 'checkoutDeletedAt') !== undefined,
    ...(str(item, 'lastActivityAt') ? { last_activity_at: str(item, 'lastActivityAt') } : {}),
    ...(str(item, 'convertedAt') ? { converted_at: str(item, 'convertedAt') } : {}),
    ...(str(item, 'convertedOrderId') ? { converted_order_id: str(item, 'convertedOrderId') } : {}),
    pending: {
      step: num(item, 'pendingStep') ?? 0,
      due_at: str(item, 'pendingDueAt') ?? '',
      created: item.pendingCreated?.BOOL ?? false,
    },
    emitted_steps: (item.emittedSteps?.NS ?? []).map(Number).sort((a, b) => a - b),
    ...(str(item, 'exitReason') ? { exit_reason: str(item, 'exitReason') } : {}),
  };
};
