import * as z from 'zod';
import {
  AdminApiAuthError,
  AdminApiRequestError,
  AdminApiUnavailableError,
  type ApiCallStats,
  type ApiClientOptions,
  backoffMs,
  emptyStats,
  type Fetch,
  realSleep,
  retryAfterMs,
  type Sleep,
} from '../http.js';
import { type BucketReading, QueryCostSchema, waitBeforeMs } from './throttle.js';

/** How to reach one shop's GraphQL Admin API. */
export interface ShopifyAdminOptions extends ApiClientOptions {
  /** The shop's canonical `<name>.myshopify.com` domain. */
  readonly shop: string;
  readonly accessToken: string;
  /** The pinned Admin API version, e.g. `2026-07` (the version the normalizers' samples are of). */
  readonly apiVersion: string;
  /** Origin to call instead of `https://<shop>` (the local fake shop, tests). */
  readonly baseUrl?: string;
}

/** The cost assumed for a query the client has not run yet (Shopify reports the real one with every answer). */
const FIRST_CALL_COST = 50;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

const GraphQlErrorSchema = z.looseObject({
  message: z.string(),
  extensions: z.looseObject({ code: z.string().optional() }).optional(),
});

const AnswerSchema = z.looseObject({
  data: z.unknown().optional(),
  errors: z.array(GraphQlErrorSchema).optional(),
  extensions: z.looseObject({ cost: QueryCostSchema.optional() }).optional(),
});

/** One GraphQL error message, bounded: Shopify's messages describe the query, never shop data. */
const describeErrors = (errors: readonly z.infer<typeof GraphQlErrorSchema>[]): string =>
  errors
    .map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`)
    .join('; ')
    .slice(0, 500);

/**
 * A client of one shop's GraphQL Admin API that keeps under the cost-based rate limit: it remembers the bucket each
 * answer reports (`extensions.cost.throttleStatus`) and waits until a query's cost has refilled before sending it.
 * A throttled answer (THROTTLED, or HTTP 429) is waited out and retried, never failed; server errors are retried
 * with backoff; 401/403 and ACCESS_DENIED fail at once with {@link AdminApiAuthError}.
 */
export class ShopifyAdminClient {
  readonly stats: ApiCallStats = emptyStats();
  private bucket?: BucketReading;
  private readonly costs = new Map<string, number>();
  private readonly fetch: Fetch;
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(private readonly options: ShopifyAdminOptions) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  /** The shop this client reads. */
  get shop(): string {
    return this.options.shop;
  }

  private get url(): string {
    const origin = this.options.baseUrl ?? `https://${this.options.shop}`;
    return `${origin.replace(/\/$/, '')}/admin/api/${this.options.apiVersion}/graphql.json`;
  }

  private async wait(milliseconds: number): Promise<void> {
    if (milliseconds <= 0) return;
    this.stats.waitedMs += milliseconds;
    await this.sleep(milliseconds);
  }

  /** Runs one query or mutation and parses its `data` with `schema`. */
  async request<T>(query: string, variables: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    const maxRetries = this.options.maxRetries ?? 6;
    const maxThrottleWaits = this.options.maxThrottleWaits ?? 200;
    let failures = 0;
    let throttles = 0;
    const retry = async (reason: string, cause?: unknown): Promise<void> => {
      failures += 1;
      if (failures > maxRetries) {
        throw new AdminApiUnavailableError('shopify', `Shopify Admin API: ${reason} (${failures} tries)`, {
          cause,
        });
      }
      this.stats.retried += 1;
      await this.wait(backoffMs(failures, RETRY_BASE_MS, RETRY_MAX_MS));
    };
    const throttled = async (milliseconds: number): Promise<void> => {
      throttles += 1;
      this.stats.throttled += 1;
      if (throttles > maxThrottleWaits) {
        throw new AdminApiUnavailableError('shopify', `Shopify kept throttling after ${throttles} waits`);
      }
      await this.wait(Math.max(milliseconds, RETRY_BASE_MS));
    };
    for (;;) {
      await this.wait(waitBeforeMs(this.bucket, this.costs.get(query) ?? FIRST_CALL_COST, this.now()));
      let response: Response;
      this.stats.calls += 1;
      try {
        response = await this.fetch(this.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'x-shopify-access-token': this.options.accessToken,
          },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        await retry('network error', error);
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new AdminApiAuthError(
          'shopify',
          response.status,
          `Shopify refused the Admin API token of ${this.options.shop} (HTTP ${response.status})`,
        );
      }
      if (response.status === 429) {
        await throttled(retryAfterMs(response.headers.get('retry-after'), new Date(this.now())) ?? 2_000);
        continue;
      }
      if (response.status >= 500) {
        await retry(`HTTP ${response.status}`);
        continue;
      }
      if (!response.ok) {
        throw new AdminApiRequestError('shopify', `Shopify Admin API answered HTTP ${response.status}`);
      }
      // A body that is not JSON (a proxy's HTML error page) fails the schema like any malformed answer: retried, and
      // counted against the request's retries with that reason, never taken as data.
      const answer = AnswerSchema.safeParse(await response.json().catch(() => undefined));
      if (!answer.success) {
        await retry('an answer that is not GraphQL JSON');
        continue;
      }
      const cost = answer.data.extensions?.cost;
      if (cost) {
        this.bucket = { status: cost.throttleStatus, at: this.now() };
        this.costs.set(query, cost.requestedQueryCost);
      }
      const errors = answer.data.errors ?? [];
      if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
        if (cost && cost.requestedQueryCost > cost.throttleStatus.maximumAvailable) {
          throw new AdminApiRequestError(
            'shopify',
            `query costs ${cost.requestedQueryCost} points, more than the bucket's ${cost.throttleStatus.maximumAvailable}`,
          );
        }
        await throttled(waitBeforeMs(this.bucket, cost?.requestedQueryCost ?? FIRST_CALL_COST, this.now()));
        continue;
      }
      if (errors.some((e) => e.extensions?.code === 'ACCESS_DENIED')) {
        throw new AdminApiAuthError('shopify', 200, `Shopify denied access: ${describeErrors(errors)}`);
      }
      if (errors.length > 0) {
        throw new AdminApiRequestError('shopify', `Shopify GraphQL errors: ${describeErrors(errors)}`);
      }
      const data = schema.safeParse(answer.data.data);
      if (!data.success) {
        throw new AdminApiRequestError(
          'shopify',
          `unexpected Shopify answer: ${z.prettifyError(data.error).slice(0, 500)}`,
        );
      }
      return data.data;
    }
  }
}
