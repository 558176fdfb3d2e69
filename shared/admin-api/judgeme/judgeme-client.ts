import * as z from 'zod';
import { AdminApiRequestError, type Fetch, type Sleep } from '../http.js';
import { PacedJsonClient } from '../paced-json-client.js';

/** How to reach Judge.me's API for one shop. */
export interface JudgemeOptions {
  readonly shop: string;
  /** The shop's private API token (the public one hides reviewer emails). */
  readonly apiToken: string;
  /** @default https://judge.me */
  readonly baseUrl?: string;
  readonly fetch?: Fetch;
  readonly sleep?: Sleep;
  readonly now?: () => number;
  /** @default 500: Judge.me publishes no rate; one run stays gentle */
  readonly minIntervalMs?: number;
}

const PER_PAGE = 100;

const PageSchema = z.looseObject({ reviews: z.array(z.looseObject({})) });

/**
 * Judge.me reviews API (`GET /api/v1/reviews?shop_domain&api_token&page&per_page`): page-numbered, up to 100 per
 * page; the last page is the first shorter than that.
 */
export class JudgemeClient {
  private readonly http: PacedJsonClient;

  constructor(private readonly options: JudgemeOptions) {
    this.http = new PacedJsonClient({
      platform: 'judgeme',
      baseUrl: options.baseUrl ?? 'https://judge.me',
      headers: {},
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

  /** One page of reviews (1-based) and whether another follows. */
  async page(page: number): Promise<{ reviews: Record<string, unknown>[]; more: boolean }> {
    const answer = await this.http.call('GET', 'api/v1/reviews', {
      shop_domain: this.options.shop,
      api_token: this.options.apiToken,
      page: String(page),
      per_page: String(PER_PAGE),
    });
    const parsed = PageSchema.safeParse(answer);
    if (!parsed.success) throw new AdminApiRequestError('judgeme', 'unexpected Judge.me reviews page');
    return { reviews: parsed.data.reviews, more: parsed.data.reviews.length >= PER_PAGE };
  }
}
