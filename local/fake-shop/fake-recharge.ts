import type { FakeReply } from './fake-shopify-admin.js';

const json = (status: number, value: unknown, headers: Record<string, string> = {}): FakeReply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
});

type Item = Record<string, unknown> & { id: number | string; updated_at?: string };

/** Recharge reads a timestamp without an offset as UTC. */
const utc = (value: string): number => Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`);

/**
 * A fake of the Recharge API (2021-11) for backfill and reconciliation: customers, subscriptions and charges lists
 * (`updated_at_min`, `limit`, cursor pagination with `next_cursor`), one customer by id, and webhooks (list,
 * create). Answers 429 on demand, and 401 to any other token.
 */
export class FakeRecharge {
  customers: Item[] = [];
  subscriptions: Item[] = [];
  charges: Item[] = [];
  webhooks: { id: number; address: string; topic: string }[] = [];
  readonly calls: { method: string; path: string; status: number }[] = [];
  private throttleNext = 0;
  private nextId = 1;

  constructor(private readonly token: string) {}

  /** Answers the next `count` calls with 429 (Retry-After: 1). */
  throttle(count: number): void {
    this.throttleNext += count;
  }

  /** Registers every topic to `address`. */
  registerAll(topics: readonly string[], address: string): void {
    this.webhooks = topics.map((topic) => ({ id: this.nextId++, address, topic }));
  }

  /** Answers `<method> /recharge/<path>?<query>`. */
  handle(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string | undefined>,
    body: string,
  ): FakeReply {
    const reply = this.route(method, path, query, headers, body);
    this.calls.push({ method, path, status: reply.status });
    return reply;
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string | undefined>,
    body: string,
  ): FakeReply {
    if (headers['x-recharge-access-token'] !== this.token) return json(401, { errors: 'Invalid token' });
    if (this.throttleNext > 0) {
      this.throttleNext -= 1;
      return json(429, { errors: 'Too Many Requests' }, { 'retry-after': '1' });
    }
    if (path === 'webhooks' && method === 'GET') return json(200, { webhooks: this.webhooks });
    if (path === 'webhooks' && method === 'POST') {
      const input = JSON.parse(body) as { address: string; topic: string };
      const webhook = { id: this.nextId++, address: input.address, topic: input.topic };
      this.webhooks.push(webhook);
      return json(200, { webhook });
    }
    const one = /^customers\/(\d+)$/.exec(path);
    if (one && method === 'GET') {
      const customer = this.customers.find((c) => String(c.id) === one[1]);
      return customer ? json(200, { customer }) : json(404, { errors: 'Not found' });
    }
    if ((path === 'customers' || path === 'subscriptions' || path === 'charges') && method === 'GET') {
      return this.list(path, query);
    }
    return json(404, { errors: 'Not found' });
  }

  private list(resource: 'customers' | 'subscriptions' | 'charges', query: URLSearchParams): FakeReply {
    const limit = Math.min(250, Number(query.get('limit') ?? 50));
    const cursor = query.get('cursor');
    const state = cursor
      ? (JSON.parse(Buffer.from(cursor, 'base64').toString()) as {
          min: string | null;
          status: string | null;
          offset: number;
        })
      : { min: query.get('updated_at_min'), status: query.get('status'), offset: 0 };
    const all = this[resource]
      .filter((item) => !state.min || utc(String(item.updated_at ?? '')) >= utc(state.min))
      .filter((item) => !state.status || item.status === state.status)
      .sort((a, b) => Number(a.id) - Number(b.id));
    const page = all.slice(state.offset, state.offset + limit);
    const end = state.offset + page.length;
    const next =
      end < all.length ? Buffer.from(JSON.stringify({ ...state, offset: end })).toString('base64') : null;
    return json(200, { next_cursor: next, previous_cursor: null, [resource]: page });
  }
}

/**
 * A fake of Judge.me's reviews API (`GET /api/v1/reviews?shop_domain&api_token&page&per_page`): page-numbered,
 * newest first; 401 to another token or shop.
 */
export class FakeJudgeme {
  reviews: (Record<string, unknown> & { created_at: string })[] = [];
  readonly calls: { page: number; status: number }[] = [];

  constructor(
    private readonly shop: string,
    private readonly token: string,
  ) {}

  /** Answers `GET /judgeme/api/v1/reviews`. */
  handle(query: URLSearchParams): FakeReply {
    const page = Number(query.get('page') ?? 1);
    if (query.get('api_token') !== this.token || query.get('shop_domain') !== this.shop) {
      this.calls.push({ page, status: 401 });
      return json(401, { error: 'invalid api token' });
    }
    const perPage = Math.min(100, Number(query.get('per_page') ?? 10));
    const sorted = [...this.reviews].sort((a, b) => b.created_at.localeCompare(a.created_at));
    this.calls.push({ page, status: 200 });
    return json(200, {
      current_page: page,
      per_page: perPage,
      reviews: sorted.slice((page - 1) * perPage, page * perPage),
    });
  }
}
