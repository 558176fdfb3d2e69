import { toE164 } from '../identity/phone.js';

/** What a search term is, as the operator says or as the inspector guesses (`auto`). */
export const SEARCH_KINDS = [
  'auto',
  'email',
  'phone',
  'customer',
  'order',
  'anonymous',
  'cart',
  'checkout',
] as const;
/** A search kind. */
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** Labels of the kinds in the form. */
export const KIND_LABELS: Readonly<Record<SearchKind, string>> = {
  auto: 'Anything (guess)',
  email: 'Email',
  phone: 'Phone',
  customer: 'Customer id',
  order: 'Order id',
  anonymous: 'Anonymous id (browser)',
  cart: 'Cart token',
  checkout: 'Checkout token',
};

/** One search as submitted. */
export interface SearchQuery {
  readonly shop: string;
  readonly term: string;
  readonly kind: SearchKind;
}

/** One identifier to look up. */
export interface Lookup {
  readonly kind: Exclude<SearchKind, 'auto'>;
  readonly value: string;
}

const MAX_TERM_CHARS = 300;

/** Reads a search from the page's query string; undefined when nothing was asked yet. */
export const parseSearch = (params: URLSearchParams, defaultShop: string): SearchQuery | undefined => {
  const term = (params.get('q') ?? '').trim().slice(0, MAX_TERM_CHARS);
  if (term === '') return undefined;
  const kind = params.get('kind') ?? 'auto';
  const shop = (params.get('shop') ?? '').trim().toLowerCase().slice(0, 255) || defaultShop;
  return {
    shop,
    term,
    kind: (SEARCH_KINDS as readonly string[]).includes(kind) ? (kind as SearchKind) : 'auto',
  };
};

/** A Shopify cart id (`gid://shopify/Cart/<token>?key=…`) as its token. */
const cartToken = (term: string): string => term.match(/^gid:\/\/shopify\/Cart\/([^?]+)/)?.[1] ?? term;

/**
 * The identifiers to look up for a search: the kind asked for, or for `auto` every kind the term could be (an email
 * has an @, a phone starts with +, digits are a customer or an order id, anything else a browser, cart or checkout).
 */
export const lookupsFor = (query: SearchQuery): Lookup[] => {
  const { term, kind } = query;
  if (kind === 'email') return [{ kind, value: term.toLowerCase() }];
  if (kind === 'phone') {
    const e164 = toE164(term, term.startsWith('+') ? undefined : 'US');
    return e164 ? [{ kind, value: e164 }] : [];
  }
  if (kind === 'cart') return [{ kind, value: cartToken(term) }];
  if (kind !== 'auto') return [{ kind, value: term }];
  if (term.includes('@')) return [{ kind: 'email', value: term.toLowerCase() }];
  if (term.startsWith('+')) {
    const e164 = toE164(term);
    if (e164) return [{ kind: 'phone', value: e164 }];
  }
  if (/^\d+$/.test(term)) {
    return [
      { kind: 'customer', value: term },
      { kind: 'order', value: term },
    ];
  }
  return [
    { kind: 'anonymous', value: term },
    { kind: 'cart', value: cartToken(term) },
    { kind: 'checkout', value: term },
  ];
};
