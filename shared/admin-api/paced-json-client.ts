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
} from './http.js';

/** How a {@link PacedJsonClient} reaches its API. */
export interface PacedJsonOptions extends ApiClientOptions {
  /** The platform, for messages and errors (`recharge`, `judgeme`). */
  readonly platform: string;
  readonly baseUrl: string;
  /** Headers every call sends (the platform's token and version headers). */
  readonly headers: Readonly<Record<string, string>>;
  /** Least time between two calls: the platform's sustained rate (Recharge leaks 2 calls/s: 500 ms). */
  readonly minIntervalMs: number;
}

const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * A JSON REST client that paces itself to a platform's sustained rate (so a single run never trips a leaky bucket),
 * waits out 429 answers (Retry-After, else backoff) and retries server errors with backoff. 401/403 fail at once.
 * Nothing it logs or throws quotes a body or a token.
 */
export class PacedJsonClient {
  readonly stats: ApiCallStats = emptyStats();
  private nextCallAt = 0;
  private readonly fetch: Fetch;
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(private readonly options: PacedJsonOptions) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  private async wait(milliseconds: number): Promise<void> {
    if (milliseconds <= 0) return;
    this.stats.waitedMs += milliseconds;
    await this.sleep(milliseconds);
  }

  /** Sends one request and returns its parsed JSON (null for an empty body). */
  async call(method: 'GET' | 'POST', path: string, query: Record<string, string> = {}, body?: unknown) {
    const url = new URL(
      path,
      this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`,
    );
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const { platform } = this.options;
    let failures = 0;
    let throttles = 0;
    for (;;) {
      await this.wait(this.nextCallAt - this.now());
      this.nextCallAt = this.now() + this.options.minIntervalMs;
      this.stats.calls += 1;
      let response: Response;
      try {
        response = await this.fetch(url.toString(), {
          method,
          headers: {
            accept: 'application/json',
            'content-type': 'application/json',
            ...this.options.headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        failures += 1;
        if (failures > (this.options.maxRetries ?? 6)) {
          throw new AdminApiUnavailableError(platform, `${platform} API unreachable (${failures} tries)`, {
            cause: error,
          });
        }
        this.stats.retried += 1;
        await this.wait(backoffMs(failures, RETRY_BASE_MS, RETRY_MAX_MS));
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new AdminApiAuthError(
          platform,
          response.status,
          `${platform} refused the API token (HTTP ${response.status})`,
        );
      }
      if (response.status === 429) {
        throttles += 1;
        this.stats.throttled += 1;
        if (throttles > (this.options.maxThrottleWaits ?? 200)) {
          throw new AdminApiUnavailableError(
            platform,
            `${platform} kept answering 429 after ${throttles} waits`,
          );
        }
        await this.wait(
          retryAfterMs(response.headers.get('retry-after'), new Date(this.now())) ??
            backoffMs(throttles, RETRY_BASE_MS, RETRY_MAX_MS),
        );
        continue;
      }
      if (response.status >= 500) {
        failures += 1;
        if (failures > (this.options.maxRetries ?? 6)) {
          throw new AdminApiUnavailableError(
            platform,
            `${platform} API answered HTTP ${response.status} (${failures} tries)`,
          );
        }
        this.stats.retried += 1;
        await this.wait(backoffMs(failures, RETRY_BASE_MS, RETRY_MAX_MS));
        continue;
      }
      if (!response.ok) {
        throw new AdminApiRequestError(
          platform,
          `${platform} API answered HTTP ${response.status} to ${method} ${url.pathname}`,
        );
      }
      const text = await response.text();
      if (text.trim() === '') return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new AdminApiRequestError(
          platform,
          `${platform} API answered ${method} ${url.pathname} with non-JSON`,
        );
      }
    }
  }
}
