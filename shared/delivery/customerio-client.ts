import * as z from 'zod';
import { DependencyError } from '../errors.js';
import type { CioIdentifiers } from '../identity/identifiers.js';

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
    };

/** Result of a batch call: every item accepted, or some rejected (HTTP 207) by 0-based index. */
export type BatchResult = { readonly rejected: ReadonlyMap<number, string> };

/** Port: Customer.io Track API. */
export interface CustomerIoTrack {
  batch(operations: readonly CioOperation[]): Promise<BatchResult>;
}

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

  async batch(operations: readonly CioOperation[]): Promise<BatchResult> {
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/api/v2/batch`, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ batch: operations }),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new DependencyError('Customer.io request failed', 'customerio', { cause: error });
    }
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
            [e.reason, e.field, e.message].filter(Boolean).join(': '),
          ]),
        ),
      };
    }
    throw new DependencyError(`Customer.io answered HTTP ${response.status}`, 'customerio');
  }
}
