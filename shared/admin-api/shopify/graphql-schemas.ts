import * as z from 'zod';

/*
 * The GraphQL Admin API objects backfill and reconciliation read (API 2026-07), only the fields queries.ts selects.
 * Loose: a field Shopify adds never breaks a run. Money arrives as decimal strings, as webhooks send it.
 */

const Money = z.looseObject({ amount: z.string(), currencyCode: z.string() });
const MoneyBag = z.looseObject({ shopMoney: Money, presentmentMoney: Money.nullish() });
const Address = z.looseObject({ city: z.string().nullish(), countryCodeV2: z.string().nullish() }).nullish();
const Node = z.looseObject({ id: z.string() });

/** Marketing consent of a customer's default email address or phone number (2025-04+). */
const ConsentFields = {
  marketingState: z.string().nullish(),
  marketingOptInLevel: z.string().nullish(),
  marketingUpdatedAt: z.string().nullish(),
};

/** `Customer.defaultEmailAddress`. */
const EmailAddress = z.looseObject({ emailAddress: z.string().nullish(), ...ConsentFields }).nullish();
/** `Customer.defaultPhoneNumber`. */
const PhoneNumber = z.looseObject({ phoneNumber: z.string().nullish(), ...ConsentFields }).nullish();

/** A customer (root of the customers query, or embedded in an order or checkout). */
export const GqlCustomerSchema = z.looseObject({
  id: z.string(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  locale: z.string().nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  defaultEmailAddress: EmailAddress,
  defaultPhoneNumber: PhoneNumber,
  defaultAddress: Address,
});
/** A GraphQL customer. */
export type GqlCustomer = z.infer<typeof GqlCustomerSchema>;

/** A line of an order or an abandoned checkout. */
export const GqlLineItemSchema = z.looseObject({
  id: z.string(),
  sku: z.string().nullish(),
  name: z.string().nullish(),
  title: z.string().nullish(),
  variantTitle: z.string().nullish(),
  vendor: z.string().nullish(),
  quantity: z.number().int().nonnegative(),
  product: z.looseObject({ id: z.string(), productType: z.string().nullish() }).nullish(),
  variant: Node.nullish(),
  originalUnitPriceSet: MoneyBag,
  totalDiscountSet: MoneyBag.nullish(),
});
/** A GraphQL line item. */
export type GqlLineItem = z.infer<typeof GqlLineItemSchema>;

/** An order's refund (amounts only: its lines are not needed for rollups). */
const GqlRefundSchema = z.looseObject({
  id: z.string(),
  createdAt: z.string(),
  note: z.string().nullish(),
  totalRefundedSet: MoneyBag,
});

/** An order's fulfillment with its tracking. */
const GqlFulfillmentSchema = z.looseObject({
  id: z.string(),
  status: z.string().nullish(),
  createdAt: z.string().nullish(),
  trackingInfo: z
    .array(
      z.looseObject({
        company: z.string().nullish(),
        number: z.string().nullish(),
        url: z.string().nullish(),
      }),
    )
    .nullish(),
});

/** An order without its line items (a connection: nested in pages, separate JSONL lines in bulk). */
export const GqlOrderSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  createdAt: z.string(),
  processedAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  cancelledAt: z.string().nullish(),
  cancelReason: z.string().nullish(),
  currencyCode: z.string(),
  presentmentCurrencyCode: z.string().nullish(),
  totalPriceSet: MoneyBag,
  subtotalPriceSet: MoneyBag.nullish(),
  totalTaxSet: MoneyBag.nullish(),
  totalDiscountsSet: MoneyBag.nullish(),
  totalShippingPriceSet: MoneyBag.nullish(),
  discountCodes: z.array(z.string()).nullish(),
  displayFinancialStatus: z.string().nullish(),
  displayFulfillmentStatus: z.string().nullish(),
  test: z.boolean().nullish(),
  sourceName: z.string().nullish(),
  customerLocale: z.string().nullish(),
  cartToken: z.string().nullish(),
  checkoutToken: z.string().nullish(),
  customerJourneySummary: z
    .looseObject({
      firstVisit: z
        .looseObject({ landingPage: z.string().nullish(), referrerUrl: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
  shippingLine: z.looseObject({ title: z.string().nullish(), code: z.string().nullish() }).nullish(),
  shippingAddress: Address,
  customer: GqlCustomerSchema.nullish(),
  refunds: z.array(GqlRefundSchema).nullish(),
  fulfillments: z.array(GqlFulfillmentSchema).nullish(),
});
/** A GraphQL order (without lines). */
export type GqlOrder = z.infer<typeof GqlOrderSchema>;

/** An order with its lines, as backfill hands it on. */
export type GqlOrderWithLines = GqlOrder & { readonly lineItems: readonly GqlLineItem[] };

/** An abandoned checkout (without lines). */
export const GqlAbandonedCheckoutSchema = z.looseObject({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string().nullish(),
  completedAt: z.string().nullish(),
  abandonedCheckoutUrl: z.string(),
  discountCodes: z.array(z.string()).nullish(),
  customer: GqlCustomerSchema.nullish(),
  totalPriceSet: MoneyBag,
  subtotalPriceSet: MoneyBag.nullish(),
  totalTaxSet: MoneyBag.nullish(),
  totalDiscountSet: MoneyBag.nullish(),
  shippingAddress: Address,
  billingAddress: Address,
});
/** A GraphQL abandoned checkout (without lines). */
export type GqlAbandonedCheckout = z.infer<typeof GqlAbandonedCheckoutSchema>;

/** An abandoned checkout with its lines. */
export type GqlCheckoutWithLines = GqlAbandonedCheckout & { readonly lineItems: readonly GqlLineItem[] };

/** `pageInfo` of a connection. */
export const PageInfoSchema = z.looseObject({ hasNextPage: z.boolean(), endCursor: z.string().nullish() });
