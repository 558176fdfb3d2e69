import { type AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { KnownPerson, PersonIdentifierKind, TokenKind } from './identity-store.js';

/* Keys and item mapping of the DynamoDB identity store (see dynamo-identity-store.ts for the item layout). */

/** The sort key of every identity item. */
export const PERSON_SK = 'person';

/** Person fields and their attribute names. */
export const FIELDS: readonly [keyof KnownPerson, string][] = [
  ['customer_id', 'customerId'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['recharge_customer_id', 'rechargeCustomerId'],
];

/** Partition key of one identifier of a shop. */
export const identityPk = (shop: string, kind: PersonIdentifierKind | 'anon', value: string): string =>
  `id#${shop}#${kind}#${value}`;

/** GSI partition of every item bound to a person, so a redact finds them all. */
export const identityGsiPk = (shop: string, personKey: string): string => `idperson#${shop}#${personKey}`;

/** The person fields of an item, if it names anyone. */
export const personFrom = (item: Record<string, AttributeValue>): KnownPerson | undefined => {
  const person: Record<string, string> = {};
  for (const [field, attribute] of FIELDS) {
    const value = item[attribute]?.S;
    if (value) person[field] = value;
  }
  return Object.keys(person).length > 0 ? (person as KnownPerson) : undefined;
};

/** Whether a write was refused by its condition. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException;

/** A number attribute (epoch seconds). */
export const epoch = (item: Record<string, AttributeValue>, name: string): number | undefined => {
  const value = item[name]?.N;
  return value === undefined ? undefined : Number(value);
};

/** The owner an identifier item names, unless that binding expired (`ownerExpiresAt`; older items: `expiresAt`). */
export const liveOwner = (
  item: Record<string, AttributeValue> | undefined,
  nowS: number,
): KnownPerson | undefined => {
  if (!item) return undefined;
  const until = epoch(item, 'ownerExpiresAt') ?? epoch(item, 'expiresAt') ?? Number.POSITIVE_INFINITY;
  return until >= nowS ? personFrom(item) : undefined;
};

/** The token an identity item key names (`id#<shop>#<cart_token|checkout_token>#<token>`), if it is a token's. */
export const tokenOfKey = (shop: string, pk: string): [TokenKind, string] | undefined => {
  for (const kind of ['cart_token', 'checkout_token'] as const) {
    const prefix = identityPk(shop, kind, '');
    if (pk.startsWith(prefix) && pk.length > prefix.length) return [kind, pk.slice(prefix.length)];
  }
  return undefined;
};
