import type * as z from 'zod';
import type { CanonicalEventDraft } from '../../canonical/events.js';
import { identityLink } from '../../identity/identity-signal.js';
import type { WebhookEnvelope } from '../../ingest/envelope.js';
import { ignored, normalized, parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import { acquisitionOf, isEntryPage } from '../../people/acquisition.js';
import { browserTouch } from '../../people/acquisition-signal.js';
import {
  cartLineToLineItem,
  cartTokenFromId,
  cartTokenFromUrl,
  checkoutTokenOf,
  currencyOf,
  variantToLineItem,
} from './pixel-mappers.js';
import { PixelDataSchemas, type PixelEvent, PixelEventSchema } from './pixel-schemas.js';

/** The per-shop key of a storefront event: the pixel event id is unique per event and stable across resends. */
const pixelEventKey = (shop: string, eventId: string): string => `pixel#${shop}#${eventId}`;

const parseEvent = <S extends z.ZodType>(
  dataSchema: S,
  payload: unknown,
  envelope: WebhookEnvelope,
): { event: PixelEvent; data: z.infer<S> } => {
  const label = `pixel ${envelope.topic}`;
  const event = parsePayload(PixelEventSchema, payload, label);
  return { event, data: parsePayload(dataSchema, event.data, label) };
};

/** The browser's clock is untrusted: an event is never dated after the connector received it. */
const occurredAt = (event: PixelEvent, envelope: WebhookEnvelope): string =>
  new Date(Math.min(Date.parse(event.timestamp), Date.parse(envelope.receivedAt))).toISOString();

const base = (event: PixelEvent, envelope: WebhookEnvelope) => ({
  dedupe_key: pixelEventKey(envelope.shop, event.id),
  source: 'pixel' as const,
  shop: envelope.shop,
  occurred_at: occurredAt(event, envelope),
  person: { anonymous_id: event.clientId },
});

const page = (event: PixelEvent) => ({
  page_url: event.context?.document?.location?.href || null,
  referrer: event.context?.document?.referrer || null,
});

/** The cart token a beacon reveals: the cart id it carries, else the checkout URL it was sent from. */
const cartTokenOf = (event: PixelEvent, cartId?: string | null): string | undefined =>
  cartTokenFromId(cartId) ?? cartTokenFromUrl(event.context?.document?.location?.href);

/** The untrusted "this browser holds this cart/checkout" statement, when the beacon reveals a token. */
const tokenLink = (
  event: PixelEvent,
  envelope: WebhookEnvelope,
  cart: string | undefined,
  checkout?: string,
) =>
  cart === undefined && checkout === undefined
    ? []
    : [
        identityLink(
          false,
          { anonymous_id: event.clientId, cart_token: cart, checkout_token: checkout },
          occurredAt(event, envelope),
        ),
      ];

const productViewed: TopicNormalizer = (payload, envelope) => {
  const { event, data } = parseEvent(PixelDataSchemas.product_viewed, payload, envelope);
  const draft: CanonicalEventDraft = {
    ...base(event, envelope),
    name: 'Product Viewed',
    properties: {
      ...page(event),
      product: variantToLineItem(data.productVariant, 1),
      currency: currencyOf(data.productVariant.price?.currencyCode),
    },
  };
  return normalized([draft], [], tokenLink(event, envelope, cartTokenOf(event)));
};

const collectionViewed: TopicNormalizer = (payload, envelope) => {
  const { event, data } = parseEvent(PixelDataSchemas.collection_viewed, payload, envelope);
  const variants = data.collection.productVariants;
  const draft: CanonicalEventDraft = {
    ...base(event, envelope),
    name: 'Collection Viewed',
    properties: {
      ...page(event),
      collection_id: data.collection.id || null,
      collection_name: data.collection.title || null,
      products: variants.map((v) => variantToLineItem(v, 1)),
      currency: currencyOf(variants[0]?.price?.currencyCode),
    },
  };
  return normalized([draft], [], tokenLink(event, envelope, cartTokenOf(event)));
};

const cartLineChange =
  (
    topic: 'product_added_to_cart' | 'product_removed_from_cart',
    name: 'Added to Cart' | 'Removed from Cart',
  ) =>
  (payload: unknown, envelope: WebhookEnvelope) => {
    const { event, data } = parseEvent(PixelDataSchemas[topic], payload, envelope);
    const line = data.cartLine;
    const product = cartLineToLineItem(line);
    const cartToken = cartTokenOf(event);
    const draft: CanonicalEventDraft = {
      ...base(event, envelope),
      name,
      properties: {
        ...page(event),
        cart_id: cartToken ?? null,
        product,
        value: line.cost?.totalAmount.amount ?? product.price * product.quantity,
        currency: currencyOf(line.cost?.totalAmount.currencyCode ?? line.merchandise.price?.currencyCode),
      },
    };
    return normalized([draft], [], tokenLink(event, envelope, cartToken));
  };

const cartViewed: TopicNormalizer = (payload, envelope) => {
  const { event, data } = parseEvent(PixelDataSchemas.cart_viewed, payload, envelope);
  const { cart } = data;
  const cartToken = cartTokenOf(event, cart?.id);
  // No cart yet: the page was still viewed, empty.
  const products = (cart?.lines ?? []).map(cartLineToLineItem);
  const draft: CanonicalEventDraft = {
    ...base(event, envelope),
    name: 'Cart Viewed',
    properties: {
      ...page(event),
      cart_id: cartToken ?? null,
      products,
      item_count: cart?.totalQuantity ?? products.reduce((sum, p) => sum + p.quantity, 0),
      value: cart?.cost?.totalAmount.amount ?? 0,
      currency: currencyOf(
        cart?.cost?.totalAmount.currencyCode ?? cart?.lines[0]?.merchandise.price?.currencyCode,
      ),
    },
  };
  return normalized([draft], [], tokenLink(event, envelope, cartToken));
};

const searchSubmitted: TopicNormalizer = (payload, envelope) => {
  const { event, data } = parseEvent(PixelDataSchemas.search_submitted, payload, envelope);
  const variants = data.searchResult.productVariants;
  const draft: CanonicalEventDraft = {
    ...base(event, envelope),
    name: 'Products Searched',
    properties: {
      ...page(event),
      query: data.searchResult.query,
      products: variants.slice(0, 20).map((v) => variantToLineItem(v, 1)),
      result_count: variants.length,
    },
  };
  return normalized([draft], [], tokenLink(event, envelope, cartTokenOf(event)));
};

/**
 * checkout_started / checkout_completed: no event. Checkout Started belongs to the signed checkouts/create and
 * Order Completed to the signed orders/create (same dedupe keys would let an anonymous beacon win the race and
 * starve the identified webhook event). The beacon only attaches the browser to the checkout and cart tokens.
 */
const checkoutLink =
  (topic: 'checkout_started' | 'checkout_completed'): TopicNormalizer =>
  (payload, envelope) => {
    const { event, data } = parseEvent(PixelDataSchemas[topic], payload, envelope);
    const links = tokenLink(event, envelope, cartTokenOf(event), checkoutTokenOf(data.checkout.token));
    return links.length > 0 ? normalized([], [], links) : ignored('checkout beacon without a token');
  };

/**
 * page_viewed: no event (a page view is noise in Customer.io). A landing (no referrer, another site's, or campaign
 * parameters) is the browser's first-touch candidate; navigation inside the shop is ignored.
 */
const pageViewed: TopicNormalizer = (payload, envelope) => {
  const { event } = parseEvent(PixelDataSchemas.page_viewed, payload, envelope);
  const { page_url: href, referrer } = page(event);
  if (!isEntryPage(href, referrer)) return ignored('page view inside the shop, not a landing');
  const attributes = acquisitionOf(href, referrer);
  if (!attributes) return ignored('landing page URL is not readable');
  return normalized([], [], [browserTouch(event.clientId, attributes, occurredAt(event, envelope))]);
};

/** Pixel standard event → normalizer (topic = Web Pixels event name). */
export const pixelNormalizers: Readonly<Record<string, TopicNormalizer>> = {
  page_viewed: pageViewed,
  product_viewed: productViewed,
  collection_viewed: collectionViewed,
  product_added_to_cart: cartLineChange('product_added_to_cart', 'Added to Cart'),
  product_removed_from_cart: cartLineChange('product_removed_from_cart', 'Removed from Cart'),
  cart_viewed: cartViewed,
  search_submitted: searchSubmitted,
  checkout_started: checkoutLink('checkout_started'),
  checkout_completed: checkoutLink('checkout_completed'),
};
