/**
 * Masks personal data in payloads shown to an operator (ops CLI `show`, `--raw` turns it off). Two layers:
 * key-based (a value under a key that names an email, phone, name, address or free-text field is replaced whatever
 * it looks like) and pattern-based (emails and international or US-formatted phone numbers inside any other
 * string). Identifiers (customer ids, cart tokens, order ids) stay: they are what an operator correlates with.
 */

/** What a masked value stood for; the mask is `[<kind>]`. */
export type PiiKind = 'email' | 'phone' | 'name' | 'address' | 'personal';

/** A masked copy and how many values were replaced. */
export interface Masked<T> {
  readonly value: T;
  readonly masked: number;
}

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi;
// `+` then 7-15 digits with separators (E.164 and its written forms), or the US `(555) 555-0100` form. Bare digit
// runs are ids (orders, customers) and dates look like `2026-11-28`, so neither is taken for a phone.
const PHONE = /\+\d(?:[\s().-]?\d){6,14}|\(\d{3}\)\s?\d{3}-\d{4}/g;

// Keys compare lower-cased with everything but letters and digits dropped: `first_name`, `firstName` → `firstname`.
const normalizeKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

const NAME_KEYS = new Set([
  'firstname',
  'lastname',
  'middlename',
  'fullname',
  'displayname',
  'nickname',
  'customername',
  'billingname',
  'shippingname',
  'reviewername',
  'authorname',
  'recipientname',
  'company',
]);
const ADDRESS_PART_KEYS = new Set([
  'street',
  'city',
  'zip',
  'zipcode',
  'postcode',
  'postalcode',
  'province',
  'latitude',
  'longitude',
]);
const FREE_TEXT_KEYS = new Set([
  'note',
  'notes',
  'comment',
  'comments',
  'browserip',
  'clientip',
  'ip',
  'birthday',
  'birthdate',
  'dateofbirth',
  'dob',
  'gender',
]);
// Inside an address, country-level facts are not personal and help an operator (tax, shipping zones).
const COUNTRY_KEYS = new Set(['country', 'countrycode', 'countryname', 'provincecode']);
// A `name` is a product, event, shop or order name in these containers (and at the top level: an order's `#1001`,
// a pixel event's `product_viewed`); anywhere else it is taken for a person's name.
const NON_PERSON_CONTAINERS = new Set([
  'lineitems',
  'lineitem',
  'products',
  'product',
  'items',
  'variants',
  'variant',
  'productvariant',
  'merchandise',
  'options',
  'shippinglines',
  'taxlines',
  'discountcodes',
  'discountapplications',
  'collection',
  'event',
  'shop',
  'noteattributes',
  'orderattributes',
  'properties',
]);

/** `id`, `address_id`, `email_ids`, `phoneId`: references to records, not the data itself (ids stay shown). */
const isReferenceKey = (key: string): boolean => key === 'id' || /(_ids?|Ids?|IDS?)$/.test(key);

/** The kind of personal data a key holds, or undefined when its value is only pattern-checked. */
export const piiKindOfKey = (key: string, parentKey: string | undefined): PiiKind | undefined => {
  if (isReferenceKey(key) && key !== 'id') return undefined;
  const k = normalizeKey(key);
  if (k.includes('email')) return 'email';
  if (k.includes('phone') || k === 'mobile' || k === 'sms') return 'phone';
  if (k.includes('address') || ADDRESS_PART_KEYS.has(k)) return 'address';
  if (NAME_KEYS.has(k)) return 'name';
  // A reviewer or author is a name when it is a string; as an object its own keys decide (see maskAll).
  if (k === 'reviewer' || k === 'author') return 'name';
  if (k === 'name') {
    return parentKey === undefined || NON_PERSON_CONTAINERS.has(normalizeKey(parentKey)) ? undefined : 'name';
  }
  if (FREE_TEXT_KEYS.has(k)) return 'personal';
  return undefined;
};

/** Replaces emails and phone numbers inside free text. */
export const maskText = (text: string): Masked<string> => {
  let masked = 0;
  const value = text
    .replace(EMAIL, () => {
      masked += 1;
      return '[email]';
    })
    .replace(PHONE, () => {
      masked += 1;
      return '[phone]';
    });
  return { value, masked };
};

const isEmptyValue = (value: unknown): boolean => value === null || value === undefined || value === '';

const maskAll = (value: unknown, kind: PiiKind, key: string | undefined, counter: { n: number }): unknown => {
  if (Array.isArray(value)) return value.map((v) => maskAll(v, kind, key, counter));
  if (value !== null && typeof value === 'object') {
    // An object under `email_marketing_consent` or `customer_name`-like keys is structure, not the value itself:
    // its own keys decide. Everything inside an address is personal except its country-level facts.
    if (kind !== 'address') return walk(value, key, counter);
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        COUNTRY_KEYS.has(normalizeKey(k)) || isReferenceKey(k)
          ? v
          : maskAll(v, piiKindOfKey(k, key) ?? kind, k, counter),
      ]),
    );
  }
  // Absence and booleans (`verified_email: true`) carry no personal data and often explain a failure.
  if (isEmptyValue(value) || typeof value === 'boolean') return value;
  counter.n += 1;
  return `[${kind}]`;
};

function walk(value: unknown, key: string | undefined, counter: { n: number }): unknown {
  if (typeof value === 'string') {
    const { value: text, masked } = maskText(value);
    counter.n += masked;
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, key, counter));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const kind = piiKindOfKey(k, key);
      return [k, kind ? maskAll(v, kind, k, counter) : walk(v, k, counter)];
    }),
  );
}

/**
 * Masks a parsed JSON value: every value under a personal key becomes `[email]`, `[phone]`, `[name]`, `[address]`
 * or `[personal]` (null, empty and boolean values stay, so "the email was missing" remains visible), and emails or
 * phone numbers anywhere else in a string are replaced in place.
 */
export const maskPii = <T>(value: T): Masked<T> => {
  const counter = { n: 0 };
  const masked = walk(value, undefined, counter) as T;
  return { value: masked, masked: counter.n };
};
