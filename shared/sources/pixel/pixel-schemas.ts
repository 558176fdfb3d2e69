import * as z from 'zod';

/**
 * Schemas of storefront beacons. A beacon is untrusted input from any browser, so every string and list is
 * bounded, and objects are parsed without passthrough: what is not listed here (email, phone, addresses, the
 * navigator snapshot) is dropped at the edge and never queued.
 */

const text = (max: number) => z.string().max(max);
const optionalText = (max: number) => text(max).nullish();

/** A Web Pixels MoneyV2: amounts are numbers in pixel data (webhooks send decimal strings). */
const PixelMoneySchema = z.object({
  amount: z.number().finite(),
  currencyCode: text(3).nullish(),
});

/** A Web Pixels ProductVariant (numeric-string ids, not GIDs). */
const PixelProductVariantSchema = z.object({
  id: optionalText(200),
  title: optionalText(500),
  sku: optionalText(200),
  price: PixelMoneySchema.nullish(),
  image: z.object({ src: optionalText(2048) }).nullish(),
  product: z
    .object({
      id: optionalText(200),
      title: optionalText(500),
      untranslatedTitle: optionalText(500),
      vendor: optionalText(200),
      type: optionalText(200),
      url: optionalText(2048),
    })
    .nullish(),
});
/** A product variant as the pixel reports it. */
export type PixelProductVariant = z.infer<typeof PixelProductVariantSchema>;

const variants = z.array(PixelProductVariantSchema).max(250);

/** A Web Pixels CartLine. */
const PixelCartLineSchema = z.object({
  quantity: z.number().int().nonnegative(),
  cost: z.object({ totalAmount: PixelMoneySchema }).nullish(),
  merchandise: PixelProductVariantSchema,
});
/** A cart line as the pixel reports it. */
export type PixelCartLine = z.infer<typeof PixelCartLineSchema>;

/** A Web Pixels Cart. */
const PixelCartSchema = z.object({
  id: optionalText(512),
  totalQuantity: z.number().int().nonnegative().nullish(),
  cost: z.object({ totalAmount: PixelMoneySchema }).nullish(),
  lines: z.array(PixelCartLineSchema).max(250).default([]),
});

/** A Web Pixels CheckoutLineItem. */
const PixelCheckoutLineItemSchema = z.object({
  id: optionalText(200),
  quantity: z.number().int().nonnegative(),
  title: optionalText(500),
  variant: PixelProductVariantSchema.nullish(),
  finalLinePrice: PixelMoneySchema.nullish(),
  discountAllocations: z
    .array(z.object({ amount: PixelMoneySchema.nullish() }))
    .max(50)
    .nullish(),
});

/** A Web Pixels Checkout, reduced to what the connector uses: no contact details, no addresses. */
const PixelCheckoutSchema = z.object({
  token: optionalText(256),
  currencyCode: optionalText(3),
  lineItems: z.array(PixelCheckoutLineItemSchema).max(250).default([]),
  subtotalPrice: PixelMoneySchema.nullish(),
  totalPrice: PixelMoneySchema.nullish(),
  totalTax: PixelMoneySchema.nullish(),
  order: z.object({ id: optionalText(200) }).nullish(),
});

/** `data` of each standard event the connector accepts. */
export const PixelDataSchemas = {
  /** Sent by the custom pixel for entry pages only (a landing): the page is in the event's context. */
  page_viewed: z.object({}),
  product_viewed: z.object({ productVariant: PixelProductVariantSchema }),
  collection_viewed: z.object({
    collection: z.object({
      id: optionalText(200),
      title: optionalText(500),
      productVariants: variants.default([]),
    }),
  }),
  product_added_to_cart: z.object({ cartLine: PixelCartLineSchema }),
  product_removed_from_cart: z.object({ cartLine: PixelCartLineSchema }),
  // Shopify sends `cart: null` when the shopper has no cart yet (PixelEventsCartViewedData: Cart | null).
  cart_viewed: z.object({ cart: PixelCartSchema.nullable() }),
  search_submitted: z.object({
    searchResult: z.object({ query: text(500), productVariants: variants.default([]) }),
  }),
  checkout_started: z.object({ checkout: PixelCheckoutSchema }),
  checkout_completed: z.object({ checkout: PixelCheckoutSchema }),
} as const;

/** A standard event name the connector accepts from the pixel. */
type PixelEventName = keyof typeof PixelDataSchemas;

/** Narrows an event name to one the connector accepts. */
const isPixelEventName = (name: string): name is PixelEventName => Object.hasOwn(PixelDataSchemas, name);

/** The page the event happened on (only the URL, referrer and title are kept). */
const PixelContextSchema = z.object({
  document: z
    .object({
      location: z.object({ href: text(2048) }).nullish(),
      referrer: optionalText(2048),
      title: optionalText(500),
    })
    .nullish(),
});

/** The standard event envelope (Web Pixels API): id, name, clientId, timestamp, data and an optional context. */
export const PixelEventSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  clientId: z.string().min(1).max(200),
  timestamp: z.iso.datetime({ offset: true }),
  seq: z.number().int().nonnegative().optional(),
  type: z.enum(['standard', 'custom', 'dom']).optional(),
  data: z.record(z.string(), z.unknown()),
  context: PixelContextSchema.optional(),
});
/** A pixel event envelope (its `data` not yet parsed by name). */
export type PixelEvent = z.infer<typeof PixelEventSchema>;

/**
 * The body the custom pixel posts to `/collect`. Strict: no other top-level keys are accepted. The shop is
 * normalized and looked up in the configured shops by the beacon handler.
 */
export const BeaconSchema = z.strictObject({
  shop: z.string().min(1).max(255),
  key: z.string().min(1).max(200),
  event: PixelEventSchema,
});

/** A pixel event whose `data` was parsed by its name: the body queued for the process worker. */
export interface ParsedPixelEvent<N extends PixelEventName = PixelEventName>
  extends Omit<PixelEvent, 'data'> {
  readonly name: N;
  readonly data: z.infer<(typeof PixelDataSchemas)[N]>;
}

/** Parses an event's `data` by its name; undefined when the name is not accepted. */
export const parsePixelData = (
  event: PixelEvent,
): { ok: true; event: ParsedPixelEvent } | { ok: false; error: z.ZodError } | undefined => {
  if (!isPixelEventName(event.name)) return undefined;
  const result = PixelDataSchemas[event.name].safeParse(event.data);
  if (!result.success) return { ok: false, error: result.error };
  return { ok: true, event: { ...event, name: event.name, data: result.data } as ParsedPixelEvent };
};
