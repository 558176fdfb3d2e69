import * as z from 'zod';
import { CurrencySchema, IdSchema, LineItemSchema, listMarkers, MoneySchema } from './common.js';
import { EventBaseSchema } from './event-base.js';

/**
 * Storefront browsing events (Shopify Web Pixels). Their person is only ever an anonymous id until the identity
 * stage links it to a known person; money is in major units.
 */

/** The page an event happened on. */
const PagePropertiesSchema = z.object({
  page_url: z.string().nullable(),
  referrer: z.string().nullable(),
});

/** Product Viewed: a product page was shown. */
export const ProductViewedEventSchema = EventBaseSchema.extend({
  name: z.literal('Product Viewed'),
  properties: PagePropertiesSchema.extend({
    product: LineItemSchema,
    currency: CurrencySchema.nullable(),
  }),
});

/** Collection Viewed: a collection (product list) was shown. */
export const CollectionViewedEventSchema = EventBaseSchema.extend({
  name: z.literal('Collection Viewed'),
  properties: PagePropertiesSchema.extend({
    collection_id: IdSchema.nullable(),
    collection_name: z.string().nullable(),
    products: z.array(LineItemSchema),
    currency: CurrencySchema.nullable(),
    ...listMarkers('products'),
  }),
});

/** Properties of a cart line change. */
const CartLineChangePropertiesSchema = PagePropertiesSchema.extend({
  cart_id: z.string().nullable(),
  /** The line after the change; `quantity` is the quantity added or removed. */
  product: LineItemSchema,
  /** Cost of the changed quantity. */
  value: MoneySchema,
  currency: CurrencySchema.nullable(),
});

/** Added to Cart: a product line was added to the cart. */
export const AddedToCartEventSchema = EventBaseSchema.extend({
  name: z.literal('Added to Cart'),
  properties: CartLineChangePropertiesSchema,
});

/** Removed from Cart: a product line was removed from the cart. */
export const RemovedFromCartEventSchema = EventBaseSchema.extend({
  name: z.literal('Removed from Cart'),
  properties: CartLineChangePropertiesSchema,
});

/** Cart Viewed: the cart page or drawer was shown. */
export const CartViewedEventSchema = EventBaseSchema.extend({
  name: z.literal('Cart Viewed'),
  properties: PagePropertiesSchema.extend({
    cart_id: z.string().nullable(),
    products: z.array(LineItemSchema),
    item_count: z.number().int().nonnegative(),
    value: MoneySchema,
    currency: CurrencySchema.nullable(),
    ...listMarkers('products'),
  }),
});

/** Products Searched: a storefront search was submitted. */
export const ProductsSearchedEventSchema = EventBaseSchema.extend({
  name: z.literal('Products Searched'),
  properties: PagePropertiesSchema.extend({
    query: z.string(),
    /** The first results as the storefront showed them. */
    products: z.array(LineItemSchema),
    result_count: z.number().int().nonnegative(),
    ...listMarkers('products'),
  }),
});
