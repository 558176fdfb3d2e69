import * as z from 'zod';
import { roundMoney } from '../../canonical/common.js';
import { cartActivity } from '../../cart/cart-signal.js';
import type { WebhookEnvelope } from '../../ingest/envelope.js';
import { normalized, parsePayload, type TopicNormalizer } from '../../normalize/normalizer.js';
import { isoString } from '../../time/iso-time.js';
import { isRepresentable } from '../source-time.js';
import { toLineItem } from './shopify-mappers.js';
import { MoneyStringSchema, ShopifyLineItemSchema } from './shopify-schemas.js';

const CartLineItemSchema = ShopifyLineItemSchema.extend({
  line_price: MoneyStringSchema.nullish(),
  price_set: z.object({ shop_money: z.object({ currency_code: z.string() }) }).nullish(),
});

/** The Cart resource of carts/create and carts/update (no customer, no currency: carts are anonymous). */
const ShopifyCartSchema = z.object({
  id: z.string().min(1),
  token: z.string().min(1).nullish(),
  line_items: z.array(CartLineItemSchema),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});

/**
 * A source timestamp as ISO 8601 UTC, or undefined when it is absent, malformed or outside the years 0000 to 9999
 * (real captures have both; the delivery's receipt time stands in).
 */
const validIsoTime = (value: string | null | undefined): string | undefined => {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return isRepresentable(ms) ? isoString(ms) : undefined;
};

/** When cart activity happened: the source's time, never later than the delivery was received. */
export const activityTime = (
  candidates: (string | null | undefined)[],
  envelope: WebhookEnvelope,
): string => {
  const source = candidates.map(validIsoTime).find((t) => t !== undefined);
  if (source === undefined || source > envelope.receivedAt) return envelope.receivedAt;
  return source;
};

/** carts/create, carts/update: no event (carts are anonymous), one cart_activity signal for recovery. */
export const normalizeCartActivity: TopicNormalizer = (payload, envelope) => {
  const cart = parsePayload(ShopifyCartSchema, payload, `shopify ${envelope.topic}`);
  const currency = cart.line_items.map((i) => i.price_set?.shop_money.currency_code).find((c) => c) ?? null;
  const total = cart.line_items.reduce((sum, i) => sum + (i.line_price ?? i.price * i.quantity), 0);
  return normalized(
    [],
    [],
    [
      cartActivity({
        origin: 'cart',
        shop: envelope.shop,
        cart_token: cart.token ?? cart.id,
        person: {},
        line_items: cart.line_items.map(toLineItem),
        total: roundMoney(total),
        currency,
        occurred_at: activityTime([cart.updated_at, cart.created_at], envelope),
      }),
    ],
  );
};
