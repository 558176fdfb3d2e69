import type { LineItem } from '../../canonical/common.js';
import { roundMoney } from '../../canonical/common.js';
import type { PixelCartLine, PixelProductVariant } from './pixel-schemas.js';

const CURRENCY = /^[A-Z]{3}$/;
const TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
const CART_GID = /^gid:\/\/shopify\/Cart\/([^?/#]+)/;
const CHECKOUT_PATH = /\/checkouts\/(?:cn|ac|c)\/([A-Za-z0-9_-]+)/;

const orNull = (value: string | null | undefined): string | null => (value ? value : null);

/** A currency code when it is a valid ISO 4217 code, else null (pixel data is untrusted). */
export const currencyOf = (code: string | null | undefined): string | null =>
  code && CURRENCY.test(code) ? code : null;

/** Protocol-relative CDN URLs (`//shop/cdn/...`) made absolute. */
const absoluteUrl = (url: string | null | undefined): string | null => {
  if (!url) return null;
  return url.startsWith('//') ? `https:${url}` : url;
};

/** Maps a pixel product variant to the canonical line item. */
export const variantToLineItem = (variant: PixelProductVariant, quantity: number, discount = 0): LineItem => {
  const variantTitle = variant.title && variant.title !== 'Default Title' ? variant.title : null;
  return {
    product_id: orNull(variant.product?.id),
    variant_id: orNull(variant.id),
    sku: orNull(variant.sku),
    name: variant.product?.title ?? variant.product?.untranslatedTitle ?? variant.title ?? '',
    variant_name: variantTitle,
    brand: orNull(variant.product?.vendor),
    category: orNull(variant.product?.type),
    quantity,
    price: variant.price?.amount ?? 0,
    discount: roundMoney(discount),
    url: orNull(variant.product?.url),
    image_url: absoluteUrl(variant.image?.src),
  };
};

/** Maps a pixel cart line to the canonical line item. */
export const cartLineToLineItem = (line: PixelCartLine): LineItem =>
  variantToLineItem(line.merchandise, line.quantity);

/**
 * The cart token inside a pixel cart id. Cart ids come as a bare token (`Z2NwLXVz…`, as in the captures) or as a
 * GID with a key (`gid://shopify/Cart/<token>?key=…`); webhooks carry only the token, so that is the join key.
 */
export const cartTokenFromId = (id: string | null | undefined): string | undefined => {
  if (!id) return undefined;
  const token = CART_GID.exec(id)?.[1] ?? id;
  return TOKEN.test(token) ? token : undefined;
};

/** The cart token in a checkout URL (`/checkouts/cn/<cart token>`), which Shopify builds from the cart. */
export const cartTokenFromUrl = (href: string | null | undefined): string | undefined => {
  if (!href || !URL.canParse(href)) return undefined;
  return CHECKOUT_PATH.exec(new URL(href).pathname)?.[1];
};

/** A checkout token when it has a token's shape. */
export const checkoutTokenOf = (token: string | null | undefined): string | undefined =>
  token && TOKEN.test(token) ? token : undefined;
