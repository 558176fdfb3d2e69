import * as z from 'zod';
import { AdminApiRequestError, type Fetch, type Sleep } from '../http.js';
import { PacedJsonClient } from '../paced-json-client.js';

/** How to reach a store's Recharge API. */
export interface RechargeOptions {
  readonly apiToken: string;
  /** The pinned API version (`X-Recharge-Version`); the normalizers read 2021-11 (and 2021-01) shapes. */
  readonly apiVersion: string;
  /** @default https://api.rechargeapps.com */
  readonly baseUrl?: string;
  readonly fetch?: Fetch;
  readonly sleep?: Sleep;
  readonly now?: () => number;
  /** @default 500 (Recharge's bucket leaks 2 calls per second) */
  readonly minIntervalMs?: number;
}

/** The list endpoints backfill and reconciliation read. */
export type RechargeResource = 'customers' | 'subscriptions' | 'charges';

/** A page of a list, and the cursor of the next (absent on the last page). */
export interface RechargePage {
  readonly items: readonly Record<string, unknown>[];
  readonly next: string | null;
}

/** Recharge's largest page. */
const PAGE_LIMIT = '250';

const PageSchema = z.looseObject({ next_cursor: z.string().nullish() });
const ItemsSchema = z.array(z.looseObject({}));

const WebhooksSchema = z.looseObject({
  webhooks: z.array(
    z.looseObject({ id: z.union([z.string(), z.number()]), address: z.string(), topic: z.string() }),
  ),
});

/** A webhook Recharge sends to. */
export interface RechargeWebhook {
  readonly id: string;
  readonly address: string;
  readonly topic: string;
}

/**
 * Recharge API client (2021-11): cursor-paginated lists at 250 per page, paced to Recharge's sustained 2 calls per
 * second (leaky bucket of 40) and waiting out any 429 it still gets.
 */
export class RechargeClient {
  private readonly http: PacedJsonClient;

  constructor(options: RechargeOptions) {
    this.http = new PacedJsonClient({
      platform: 'recharge',
      baseUrl: options.baseUrl ?? 'https://api.rechargeapps.com',
      headers: { 'x-recharge-access-token': options.apiToken, 'x-recharge-version': options.apiVersion },
      minIntervalMs: options.minIntervalMs ?? 500,
      fetch: options.fetch,
      sleep: options.sleep,
      now: options.now,
    });
  }

  /** Calls made, throttled and retried so far. */
  get stats() {
    return this.http.stats;
  }

  /**
   * One page of a list. The first page takes the filters; the next ones only their cursor (Recharge's cursor carries
   * the filters of the first request).
   */
  async page(
    resource: RechargeResource,
    filters: Record<string, string>,
    cursor: string | null,
  ): Promise<RechargePage> {
    const query: Record<string, string> = cursor
      ? { cursor, limit: PAGE_LIMIT }
      : { ...filters, limit: PAGE_LIMIT };
    const answer = await this.http.call('GET', resource, query);
    const page = PageSchema.safeParse(answer);
    const items = ItemsSchema.safeParse(page.success ? page.data[resource] : undefined);
    if (!page.success || !items.success) {
      throw new AdminApiRequestError(
        'recharge',
        `unexpected Recharge ${resource} page (no ${resource} list)`,
      );
    }
    return { items: items.data, next: page.data.next_cursor ?? null };
  }

  /** One customer (`GET /customers/{id}`), or undefined when Recharge does not know it. */
  async customer(id: string): Promise<unknown> {
    if (!/^\d{1,20}$/.test(id)) return undefined;
    const answer = await this.http.call('GET', `customers/${id}`).catch((error: unknown) => {
      if (error instanceof AdminApiRequestError) return undefined;
      throw error;
    });
    return (answer as { customer?: unknown } | null | undefined)?.customer;
  }

  /** The store's webhooks. */
  async webhooks(): Promise<RechargeWebhook[]> {
    const parsed = WebhooksSchema.safeParse(await this.http.call('GET', 'webhooks', { limit: PAGE_LIMIT }));
    if (!parsed.success) throw new AdminApiRequestError('recharge', 'unexpected Recharge webhooks list');
    return parsed.data.webhooks.map((w) => ({ id: String(w.id), address: w.address, topic: w.topic }));
  }

  /** Creates a webhook of one topic to `address`. */
  async createWebhook(address: string, topic: string): Promise<void> {
    await this.http.call('POST', 'webhooks', {}, { address, topic });
  }
}
