/*
 * GraphQL Admin API documents (API 2026-07). Field selections are shared by the bulk and the paginated form of a
 * query, so both hand the same objects to the mappers. Only connections differ: bulk queries name them without
 * `first` (Shopify writes their nodes as separate JSONL lines with `__parentId`), pages ask for a bounded number.
 */

const MONEY = 'shopMoney { amount currencyCode }';
const MONEY_BAG = `${MONEY} presentmentMoney { amount currencyCode }`;
const CONSENT = 'marketingState marketingOptInLevel marketingUpdatedAt';

/** Customer fields (also embedded in orders and checkouts). */
const CUSTOMER = `id firstName lastName locale createdAt updatedAt
  defaultEmailAddress { emailAddress ${CONSENT} }
  defaultPhoneNumber { phoneNumber ${CONSENT} }
  defaultAddress { city countryCodeV2 }`;

/** Line item fields, for orders and abandoned checkouts. */
const LINE_ITEM = `id sku name title variantTitle vendor quantity
  product { id productType } variant { id }
  originalUnitPriceSet { ${MONEY} } totalDiscountSet { ${MONEY} }`;

/** Order fields except its line items. */
const ORDER = `id name email phone createdAt processedAt updatedAt cancelledAt cancelReason
  currencyCode presentmentCurrencyCode
  totalPriceSet { ${MONEY_BAG} } subtotalPriceSet { ${MONEY} } totalTaxSet { ${MONEY} }
  totalDiscountsSet { ${MONEY} } totalShippingPriceSet { ${MONEY} }
  discountCodes displayFinancialStatus displayFulfillmentStatus test sourceName customerLocale
  cartToken checkoutToken
  customerJourneySummary { firstVisit { landingPage referrerUrl } }
  shippingLine { title code } shippingAddress { city countryCodeV2 }
  customer { ${CUSTOMER} }
  refunds { id createdAt note totalRefundedSet { ${MONEY} } }
  fulfillments { id status createdAt trackingInfo { company number url } }`;

/** Abandoned checkout fields except its line items. */
const CHECKOUT = `id createdAt updatedAt completedAt abandonedCheckoutUrl discountCodes
  customer { ${CUSTOMER} }
  totalPriceSet { ${MONEY} } subtotalPriceSet { ${MONEY} } totalTaxSet { ${MONEY} } totalDiscountSet { ${MONEY} }
  shippingAddress { city countryCodeV2 } billingAddress { city countryCodeV2 }`;

/** A resource backfill and reconciliation read, and how it is queried. */
export interface ResourceQuery {
  /** The QueryRoot connection. */
  readonly root: 'orders' | 'customers' | 'abandonedCheckouts';
  /** Fields of a root node (without its lines). */
  readonly fields: string;
  /** The node's line-item connection, when it has one, and the GraphQL type that owns it. */
  readonly lines?: { readonly owner: 'Order' | 'AbandonedCheckout' };
  /** Sort key of the paginated form (UPDATED_AT where the connection has one). */
  readonly sortKey?: string;
}

/** The resources, by name. */
export const RESOURCES = {
  orders: { root: 'orders', fields: ORDER, lines: { owner: 'Order' }, sortKey: 'UPDATED_AT' },
  customers: { root: 'customers', fields: CUSTOMER, sortKey: 'UPDATED_AT' },
  abandonedCheckouts: { root: 'abandonedCheckouts', fields: CHECKOUT, lines: { owner: 'AbandonedCheckout' } },
} as const satisfies Record<string, ResourceQuery>;

/** A search filter for everything updated at or after `since` (Shopify search syntax). */
export const updatedSince = (since: Date): string => `updated_at:>='${since.toISOString()}'`;

/** The query a bulk operation runs: every matching node, its lines as separate JSONL lines. */
export const bulkQuery = (resource: ResourceQuery, filter: string): string => {
  const lines = resource.lines ? ` lineItems { edges { node { ${LINE_ITEM} } } }` : '';
  return `{ ${resource.root}(query: ${JSON.stringify(filter)}) { edges { node { ${resource.fields}${lines} } } } }`;
};

/** One page of a resource, with up to `linesPerNode` lines per node (the rest: {@link moreLinesQuery}). */
export const pageQuery = (resource: ResourceQuery, linesPerNode: number): string => {
  const lines = resource.lines
    ? ` lineItems(first: ${linesPerNode}) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM} } }`
    : '';
  const sort = resource.sortKey ? `, sortKey: ${resource.sortKey}` : '';
  return `query Page($first: Int!, $after: String, $query: String) {
  ${resource.root}(first: $first, after: $after, query: $query${sort}) {
    pageInfo { hasNextPage endCursor }
    nodes { ${resource.fields}${lines} }
  }
}`;
};

/** The lines of one order or checkout after `$after` (a node with more lines than its page carried). */
export const moreLinesQuery = (
  owner: 'Order' | 'AbandonedCheckout',
): string => `query Lines($id: ID!, $after: String) {
  node(id: $id) { ... on ${owner} { lineItems(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM} } } } }
}`;

/** Starts a bulk query. */
export const RUN_BULK_QUERY = `mutation RunBulk($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } }
}`;

/** Reads a bulk operation's state. */
export const BULK_OPERATION = `query Bulk($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount url partialDataUrl } }
}`;

/** The app's shop-scoped webhook subscriptions (app-scoped ones from shopify.app.toml are not listed). */
export const WEBHOOK_SUBSCRIPTIONS = `query Hooks($after: String) {
  webhookSubscriptions(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id topic uri } }
}`;

/** Creates one webhook subscription (Shopify asks for the topic's own read scope, no other: docs/backfill.md). */
export const CREATE_WEBHOOK_SUBSCRIPTION = `mutation Hook($topic: WebhookSubscriptionTopic!, $subscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $subscription) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`;
