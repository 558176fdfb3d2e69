import * as z from 'zod';
import { DependencyError } from '../errors.js';
import { type CioIdentifiers, isAnonymous } from '../identity/identifiers.js';
import { tryParseJson } from '../json/lossless-json.js';

/** Track API hosts by account region. */
export const TRACK_BASE_URLS = {
  us: 'https://track.customer.io',
  eu: 'https://track-eu.customer.io',
} as const;

/** One Track API v2 person operation. */
export type CioOperation =
  | {
      readonly type: 'person';
      readonly identifiers: CioIdentifiers;
      readonly action: 'event';
      readonly name: string;
      readonly id: string;
      readonly timestamp: number;
      readonly attributes: Record<string, unknown>;
    }
  | {
      readonly type: 'person';
      readonly identifiers: CioIdentifiers;
      readonly action: 'identify';
      readonly timestamp: number;
      readonly attributes: Record<string, unknown>;
    }
  | { readonly type: 'person'; readonly identifiers: CioIdentifiers; readonly action: 'delete' }
  | {
      readonly type: 'person';
      readonly action: 'merge';
      readonly primary: CioIdentifiers;
      readonly secondary: CioIdentifiers;
    };

/** Customer.io's limit for one Track v2 batch item. */
const MAX_ITEM_BYTES = 32 * 1024;

/** Result of a batch call: every item accepted, or some rejected (HTTP 207) by 0-based index. */
export type BatchResult = { readonly rejected: ReadonlyMap<number, string> };

/** Port: Customer.io Track API. */
export interface CustomerIoTrack {
  batch(operations: readonly CioOperation[]): Promise<BatchResult>;
}

const V1ErrorSchema = z.object({ meta: z.object({ errors: z.array(z.string()) }) });

const PartialFailureSchema = z.object({
  errors: z.array(
    z.looseObject({
      batch_index: z.number().int().nonnegative(),
      reason: z.string().optional(),
      field: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});

/** Settings of the HTTP Track client. */
export interface HttpCustomerIoTrackOptions {
  readonly baseUrl: string;
  readonly siteId: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
}

/**
 * Track API v2 `POST /api/v2/batch` over fetch with Basic auth (site id : API key). Redirects are not followed, so
 * credentials never leave Customer.io's hosts. 429, 5xx, network errors and timeouts throw DependencyError (the
 * whole SQS batch is retried); 207 reports the rejected items.
 */
export class HttpCustomerIoTrack implements CustomerIoTrack {
  private readonly authorization: string;

  constructor(private readonly options: HttpCustomerIoTrackOptions) {
    this.authorization = `Basic ${Buffer.from(`${options.siteId}:${options.apiKey}`).toString('base64')}`;
  }

  /**
   * Sends person operations through `/api/v2/batch` and anonymous events (which v2 does not document) one by one
   * through v1 `POST /api/v1/events`; rejections are reported by the caller's 0-based index either way. Only a
   * failure of the v2 call itself (429, 5xx, 401, network) throws; a failed anonymous event fails its own record,
   * so items already accepted are not sent again.
   */
  async batch(operations: readonly CioOperation[]): Promise<BatchResult> {
    const anonymous: number[] = [];
    const known: number[] = [];
    const rejected = new Map<number, string>();
    operations.forEach((op, index) => {
      if (Buffer.byteLength(JSON.stringify(op)) > MAX_ITEM_BYTES) {
        rejected.set(index, `item larger than the ${MAX_ITEM_BYTES} bytes Customer.io accepts`);
        return;
      }
      (op.action === 'event' && isAnonymous(op.identifiers) ? anonymous : known).push(index);
    });
    if (known.length > 0) {
      const result = await this.v2Batch(known.flatMap((index) => operations[index] ?? []));
      for (const [position, reason] of result.rejected) {
        const index = known[position];
        if (index !== undefined) rejected.set(index, reason);
      }
    }
    const outcomes = await Promise.all(
      anonymous.map(async (index) => [index, await this.anonymousEvent(operations[index])] as const),
    );
    for (const [index, reason] of outcomes) if (reason !== undefined) rejected.set(index, reason);
    return { rejected };
  }

  /** Track v1 anonymous event; resolves to a rejection reason (retried as its own record) unless accepted. */
  private async anonymousEvent(op: CioOperation | undefined): Promise<string | undefined> {
    if (op?.action !== 'event' || !isAnonymous(op.identifiers)) return 'not an anonymous event';
    let response: Response;
    try {
      response = await this.post('/api/v1/events', {
        anonymous_id: op.identifiers.anonymous_id,
        name: op.name,
        id: op.id,
        timestamp: op.timestamp,
        data: op.attributes,
      });
    } catch (error) {
      return `retryable: ${error instanceof Error ? error.message : 'request failed'}`;
    }
    const text = await response.text();
    if (response.status === 200) return undefined;
    if (response.status === 400) {
      const errors = V1ErrorSchema.safeParse(tryParseJson(text));
      return errors.success ? `rejected (${errors.data.meta.errors.length} errors)` : 'rejected';
    }
    return `retryable: Customer.io answered HTTP ${response.status}`;
  }

  private async post(path: string, body: unknown): Promise<Response> {
    try {
      return await fetch(`${this.options.baseUrl.replace(/\/$/, '')}${path}`, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new DependencyError('Customer.io request failed', 'customerio', { cause: error });
    }
  }

  /**
   * One v2 batch call. A 400 or 413 for the whole request means one item spoils it: the items are then sent one
   * by one so only the bad one fails. 207 reports rejected items by index (reason and field only: Customer.io's
   * message may echo the value).
   */
  private async v2Batch(operations: readonly CioOperation[]): Promise<BatchResult> {
    const response = await this.post('/api/v2/batch', { batch: operations });
    const text = await response.text();
    if (response.status === 200) return { rejected: new Map() };
    if (response.status === 207) {
      let parsed: z.infer<typeof PartialFailureSchema> | undefined;
      try {
        parsed = PartialFailureSchema.parse(JSON.parse(text));
      } catch (error) {
        throw new DependencyError('Customer.io 207 response is unreadable', 'customerio', { cause: error });
      }
      return {
        rejected: new Map(
          parsed.errors.map((e) => [
            e.batch_index,
            [e.reason ?? 'rejected', e.field].filter(Boolean).join(': '),
          ]),
        ),
      };
    }
    if ((response.status === 400 || response.status === 413) && operations.length > 1) {
      const rejected = new Map<number, string>();
      for (const [index, op] of operations.entries()) {
        const single = await this.v2Batch([op]);
        const reason = single.rejected.get(0);
        if (reason !== undefined) rejected.set(index, reason);
      }
      return { rejected };
    }
    if (response.status === 400 || response.status === 413) {
      return { rejected: new Map([[0, `rejected with HTTP ${response.status}`]]) };
    }
    throw new DependencyError(`Customer.io answered HTTP ${response.status}`, 'customerio');
  }
}
