import type { GqlCustomer } from '../../shared/admin-api/shopify/graphql-schemas.js';
import type { FakeCheckout, FakeOrder } from './fake-data.js';

/** A reply of the fake: status, headers and a JSON (or JSONL) body. */
export interface FakeReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A one-off failure the fake answers the next GraphQL calls with. */
export type ShopifyFault = 'http429' | 'http500' | 'throttled';

/** A shop-scoped webhook subscription. */
export interface FakeSubscription {
  readonly id: string;
  readonly topic: string;
  readonly uri: string;
}

/** Settings of the fake GraphQL Admin API. */
export interface FakeShopifyOptions {
  readonly accessToken: string;
  /** Where bulk results are downloaded from (the fake server's own URL). */
  readonly baseUrl: () => string;
  /** The clock the cost bucket refills by (tests share theirs with the client's sleep). */
  readonly now?: () => number;
  /** Bucket size and restore rate (points/s). @default 1000 and 100 (Standard plan) */
  readonly bucket?: { readonly maximumAvailable: number; readonly restoreRate: number };
  /** Polls a bulk operation answers RUNNING before COMPLETED. @default 2 */
  readonly bulkPolls?: number;
}

/** One GraphQL call the fake answered. */
export interface ShopifyCall {
  readonly operation: string;
  readonly status: number;
  readonly throttled: boolean;
}

type Bulk = { id: string; root: string; since: string; polls: number; status: string };

const FILTER = /updated_at:>='([^']+)'/;
const ROOTS = ['orders', 'customers', 'abandonedCheckouts'] as const;
type Root = (typeof ROOTS)[number];

const encodeCursor = (index: number): string => Buffer.from(`i:${index}`).toString('base64');
const decodeCursor = (cursor: unknown): number =>
  typeof cursor === 'string' ? Number(Buffer.from(cursor, 'base64').toString().slice(2)) || 0 : 0;

const json = (status: number, value: unknown, headers: Record<string, string> = {}): FakeReply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
});

/**
 * A fake of one shop's GraphQL Admin API, enough for backfill and reconciliation: the orders, customers and
 * abandonedCheckouts connections (paginated, filtered by `updated_at`, line items nested), bulk operations
 * (CREATED → RUNNING → COMPLETED, JSONL results with `__parentId`), webhook subscriptions, and Shopify's cost
 * throttle (a leaky bucket reported in `extensions.cost`, THROTTLED when a query costs more than is left). It
 * recognises the documents shared/admin-api/shopify/queries.ts sends; it is not a GraphQL server.
 */
export class FakeShopifyAdmin {
  orders: FakeOrder[] = [];
  customers: GqlCustomer[] = [];
  checkouts: FakeCheckout[] = [];
  subscriptions: FakeSubscription[] = [];
  /** When true, webhookSubscriptionCreate answers ACCESS_DENIED (a token without the topic's scope). */
  denySubscriptionWrites = false;
  readonly calls: ShopifyCall[] = [];
  private readonly faults: ShopifyFault[] = [];
  private readonly bulks = new Map<string, Bulk>();
  private available: number;
  private readAt: number;
  private nextId = 1;

  constructor(private readonly options: FakeShopifyOptions) {
    this.available = this.bucket.maximumAvailable;
    this.readAt = this.now();
  }

  private get bucket() {
    return this.options.bucket ?? { maximumAvailable: 1000, restoreRate: 100 };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Answers the next calls with these failures, in order. */
  fail(...faults: ShopifyFault[]): void {
    this.faults.push(...faults);
  }

  /** Subscribes every topic to `uri` (what an Admin-API-managed install has). */
  subscribeAll(topics: readonly string[], uri: string): void {
    this.subscriptions = topics.map((topic) => ({
      id: `gid://shopify/WebhookSubscription/${this.nextId++}`,
      topic: topic.toUpperCase().replace(/\//g, '_'),
      uri,
    }));
  }

  /** Removes the subscription of one topic (Shopify removes a subscription whose deliveries keep failing). */
  removeSubscription(topic: string): void {
    const name = topic.toUpperCase().replace(/\//g, '_');
    this.subscriptions = this.subscriptions.filter((s) => s.topic !== name);
  }

  private refill(): void {
    const now = this.now();
    this.available = Math.min(
      this.bucket.maximumAvailable,
      this.available + (this.bucket.restoreRate * (now - this.readAt)) / 1000,
    );
    this.readAt = now;
  }

  private cost(requested: number, actual: number | null) {
    return {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: {
        maximumAvailable: this.bucket.maximumAvailable,
        currentlyAvailable: Math.floor(this.available),
        restoreRate: this.bucket.restoreRate,
      },
    };
  }

  /** Answers `POST /admin/api/<version>/graphql.json`. */
  graphql(token: string | undefined, text: string): FakeReply {
    const request = JSON.parse(text) as { query: string; variables?: Record<string, unknown> };
    const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(request.query)?.[1] ?? 'anonymous';
    const record = (status: number, throttled = false) => this.calls.push({ operation, status, throttled });
    if (token !== this.options.accessToken) {
      record(401);
      return json(401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    }
    const fault = this.faults.shift();
    if (fault === 'http429') {
      record(429, true);
      return json(429, { errors: 'Throttled' }, { 'retry-after': '1' });
    }
    if (fault === 'http500') {
      record(500);
      return json(500, { errors: 'Internal error' });
    }
    const vars = request.variables ?? {};
    const requested = this.requestedCost(request.query, vars);
    this.refill();
    if (fault === 'throttled' || requested > this.available) {
      record(200, true);
      return json(200, {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: { cost: this.cost(requested, null) },
      });
    }
    const { data, actual } = this.answer(request.query, vars);
    this.available = Math.max(0, this.available - actual);
    record(200);
    return json(200, { data, extensions: { cost: this.cost(requested, actual) } });
  }

  /** Answers `GET /bulk/<id>.jsonl`. */
  bulkFile(id: string): FakeReply {
    const bulk = this.bulks.get(id);
    if (bulk?.status !== 'COMPLETED') return json(404, { error: 'not found' });
    const lines: string[] = [];
    for (const { node, lines: children } of this.rootsOf(bulk.root as Root, bulk.since)) {
      lines.push(JSON.stringify(node));
      for (const child of children) lines.push(JSON.stringify({ ...child, __parentId: node.id }));
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/jsonl' },
      body: lines.map((l) => `${l}\n`).join(''),
    };
  }

  /** Sorted and filtered roots of a connection, with their lines. */
  private rootsOf(
    root: Root,
    since: string,
  ): { node: { id: string } & Record<string, unknown>; lines: readonly { id: string }[] }[] {
    const after = (updatedAt: string | null | undefined) => !since || (updatedAt ?? '') >= since;
    if (root === 'orders') {
      return [...this.orders]
        .filter((o) => after(o.order.updatedAt))
        .sort((a, b) => (a.order.updatedAt ?? '').localeCompare(b.order.updatedAt ?? ''))
        .map((o) => ({ node: o.order, lines: o.lines }));
    }
    if (root === 'customers') {
      return [...this.customers]
        .filter((c) => after(c.updatedAt))
        .sort((a, b) => (a.updatedAt ?? '').localeCompare(b.updatedAt ?? ''))
        .map((c) => ({ node: c, lines: [] }));
    }
    return this.checkouts
      .filter((c) => after(c.checkout.updatedAt))
      .map((c) => ({ node: c.checkout, lines: c.lines }));
  }

  private requestedCost(query: string, vars: Record<string, unknown>): number {
    const lines = Number(/lineItems\(first: (\d+)/.exec(query)?.[1] ?? 0);
    const first = typeof vars.first === 'number' ? vars.first : 0;
    return first > 0 ? 2 + first * (10 + lines) : 10;
  }

  private answer(query: string, vars: Record<string, unknown>): { data: unknown; actual: number } {
    if (query.includes('bulkOperationRunQuery'))
      return { data: this.runBulk(String(vars.query ?? '')), actual: 10 };
    if (query.includes('on BulkOperation'))
      return { data: { node: this.pollBulk(String(vars.id)) }, actual: 1 };
    if (query.includes('webhookSubscriptionCreate'))
      return { data: this.createSubscription(vars), actual: 10 };
    if (query.includes('webhookSubscriptions(')) {
      return {
        data: {
          webhookSubscriptions: {
            pageInfo: { hasNextPage: false, endCursor: null },
            nodes: this.subscriptions,
          },
        },
        actual: 1 + this.subscriptions.length,
      };
    }
    if (query.includes('node(id: $id)')) return this.moreLines(String(vars.id), vars.after);
    const root = ROOTS.find((r) => query.includes(`${r}(first: $first`));
    if (root) return this.page(root, query, vars);
    throw new Error(`the fake shop does not know this query: ${query.slice(0, 80)}`);
  }

  private page(root: Root, query: string, vars: Record<string, unknown>): { data: unknown; actual: number } {
    const since = FILTER.exec(String(vars.query ?? ''))?.[1] ?? '';
    const all = this.rootsOf(root, since);
    const start = decodeCursor(vars.after);
    const first = Number(vars.first ?? 10);
    const slice = all.slice(start, start + first);
    const perNode = Number(/lineItems\(first: (\d+)/.exec(query)?.[1] ?? 0);
    const nodes = slice.map(({ node, lines }) =>
      perNode > 0
        ? {
            ...node,
            lineItems: {
              pageInfo: {
                hasNextPage: lines.length > perNode,
                endCursor: encodeCursor(Math.min(perNode, lines.length)),
              },
              nodes: lines.slice(0, perNode),
            },
          }
        : node,
    );
    const end = start + slice.length;
    return {
      data: { [root]: { pageInfo: { hasNextPage: end < all.length, endCursor: encodeCursor(end) }, nodes } },
      actual: 2 + slice.reduce((sum, s) => sum + 10 + Math.min(perNode, s.lines.length), 0),
    };
  }

  private moreLines(id: string, after: unknown): { data: unknown; actual: number } {
    const owner =
      this.orders.find((o) => o.order.id === id) ?? this.checkouts.find((c) => c.checkout.id === id);
    if (!owner) return { data: { node: null }, actual: 1 };
    const start = decodeCursor(after);
    const nodes = owner.lines.slice(start, start + 100);
    const end = start + nodes.length;
    return {
      data: {
        node: {
          lineItems: {
            pageInfo: { hasNextPage: end < owner.lines.length, endCursor: encodeCursor(end) },
            nodes,
          },
        },
      },
      actual: 2 + nodes.length,
    };
  }

  private runBulk(bulkQuery: string) {
    const root = ROOTS.find((r) => bulkQuery.includes(`{ ${r}(query:`));
    if (!root) {
      return {
        bulkOperationRunQuery: {
          bulkOperation: null,
          userErrors: [{ field: ['query'], message: 'Invalid bulk query', code: 'INVALID' }],
        },
      };
    }
    const id = `gid://shopify/BulkOperation/${this.nextId++}`;
    this.bulks.set(id, { id, root, since: FILTER.exec(bulkQuery)?.[1] ?? '', polls: 0, status: 'CREATED' });
    return { bulkOperationRunQuery: { bulkOperation: { id, status: 'CREATED' }, userErrors: [] } };
  }

  private pollBulk(id: string) {
    const bulk = this.bulks.get(id);
    if (!bulk) return null;
    bulk.polls += 1;
    if (bulk.status !== 'COMPLETED')
      bulk.status = bulk.polls > (this.options.bulkPolls ?? 2) ? 'COMPLETED' : 'RUNNING';
    const roots = this.rootsOf(bulk.root as Root, bulk.since);
    const objects = roots.reduce((sum, r) => sum + 1 + r.lines.length, 0);
    const done = bulk.status === 'COMPLETED';
    return {
      id,
      status: bulk.status,
      errorCode: null,
      objectCount: String(done ? objects : 0),
      rootObjectCount: String(done ? roots.length : 0),
      url: done && objects > 0 ? `${this.options.baseUrl()}/bulk/${encodeURIComponent(id)}.jsonl` : null,
      partialDataUrl: null,
    };
  }

  private createSubscription(vars: Record<string, unknown>) {
    if (this.denySubscriptionWrites) {
      return {
        webhookSubscriptionCreate: {
          webhookSubscription: null,
          userErrors: [{ field: ['topic'], message: 'Access denied for topic' }],
        },
      };
    }
    const input = vars.subscription as { uri?: string } | undefined;
    const subscription = {
      id: `gid://shopify/WebhookSubscription/${this.nextId++}`,
      topic: String(vars.topic),
      uri: String(input?.uri),
    };
    this.subscriptions.push(subscription);
    return { webhookSubscriptionCreate: { webhookSubscription: subscription, userErrors: [] } };
  }
}
