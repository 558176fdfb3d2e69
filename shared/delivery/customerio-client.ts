import * as z from 'zod';
import { type ConnectorError, ItemTooLargeError } from '../errors.js';
import { type CioIdentifiers, isAnonymous } from '../identity/identifiers.js';
import { tryParseJson } from '../json/lossless-json.js';
import {
  CustomerIoError,
  type CustomerIoFailureKind,
  DestinationRejectedError,
  parseRetryAfter,
} from './customerio-errors.js';

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
export const MAX_ITEM_BYTES = 32 * 1024;

/** The size Customer.io counts against {@link MAX_ITEM_BYTES}. */
export const operationBytes = (operation: CioOperation): number =>
  Buffer.byteLength(JSON.stringify(operation));

/** What became of one operation: accepted, or failed with a typed error (permanent or transient). */
export type ItemOutcome = { readonly ok: true } | { readonly ok: false; readonly error: ConnectorError };

/** How one HTTP call went, for the Customer.io outcome metrics. */
export type CallOutcome = 'accepted' | 'partial' | 'rejected' | CustomerIoFailureKind;

/** Result of a batch: one outcome per operation (same order), and one per HTTP call made. */
export interface BatchResult {
  readonly items: readonly ItemOutcome[];
  readonly calls: readonly CallOutcome[];
}

/** Port: Customer.io Track API. */
export interface CustomerIoTrack {
  batch(operations: readonly CioOperation[]): Promise<BatchResult>;
}

const V1ErrorSchema = z.object({ meta: z.object({ errors: z.array(z.string()) }) });

const ItemErrorSchema = z.looseObject({
  batch_index: z.number().int().nonnegative().optional(),
  reason: z.string().optional(),
  field: z.string().optional(),
});
const ErrorsSchema = z.object({ errors: z.array(ItemErrorSchema) });

/** Customer.io's reason and the field it names; never its `message`, which may echo the refused value. */
const rejection = (error: z.infer<typeof ItemErrorSchema> | undefined, fallback: string): string =>
  [error?.reason ?? fallback, error?.field].filter(Boolean).join(': ');

/** Settings of the HTTP Track client. */
export interface HttpCustomerIoTrackOptions {
  readonly baseUrl: string;
  readonly siteId: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  /** For Retry-After dates. */
  readonly clock?: () => Date;
}

const ok: ItemOutcome = { ok: true };
const failed = (error: ConnectorError): ItemOutcome => ({ ok: false, error });

/** Every operation of a call that failed as a whole fails with that call's error. */
const failAll = (
  operations: readonly CioOperation[],
  error: CustomerIoError,
  calls: CallOutcome[],
): ItemOutcome[] => {
  calls.push(error.kind);
  return operations.map(() => failed(error));
};

/** A whole-call failure by status, or undefined for the statuses the caller reads (200, 207, 400, 413). */
const callFailure = (response: Response, now: Date): CustomerIoError | undefined => {
  const { status } = response;
  if (status === 401 || status === 403) {
    return new CustomerIoError(
      'auth',
      `Customer.io refused the credentials (HTTP ${status}): check customerio.siteId and apiKey in the connector secret`,
      { status },
    );
  }
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'), now);
    return new CustomerIoError('rate_limited', 'Customer.io rate limited the call (HTTP 429)', {
      status,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  if (status === 408)
    return new CustomerIoError('timeout', 'Customer.io timed out the request (HTTP 408)', { status });
  if (status === 200 || status === 207 || status === 400 || status === 413) return undefined;
  return new CustomerIoError('server_error', `Customer.io answered HTTP ${status}`, { status });
};

/**
 * Track API v2 `POST /api/v2/batch` over fetch with Basic auth (site id : API key). Redirects are not followed, so
 * credentials never leave Customer.io's hosts. Never throws for an HTTP outcome: every operation gets its own
 * outcome (accepted; rejected by Customer.io or too large: permanent; or the call's transient failure), and every
 * call is reported for the metrics.
 */
export class HttpCustomerIoTrack implements CustomerIoTrack {
  private readonly authorization: string;

  constructor(private readonly options: HttpCustomerIoTrackOptions) {
    this.authorization = `Basic ${Buffer.from(`${options.siteId}:${options.apiKey}`).toString('base64')}`;
  }

  /**
   * Sends person operations through `/api/v2/batch` and anonymous events (which v2 does not document) one by one
   * through v1 `POST /api/v1/events`. An item over Customer.io's 32 KB is refused before any call.
   */
  async batch(operations: readonly CioOperation[]): Promise<BatchResult> {
    const items: ItemOutcome[] = operations.map(() => ok);
    const calls: CallOutcome[] = [];
    const known: number[] = [];
    const anonymous: number[] = [];
    operations.forEach((op, index) => {
      if (operationBytes(op) > MAX_ITEM_BYTES) {
        items[index] = failed(
          new ItemTooLargeError(`item larger than the ${MAX_ITEM_BYTES} bytes Customer.io accepts`),
        );
        return;
      }
      (op.action === 'event' && isAnonymous(op.identifiers) ? anonymous : known).push(index);
    });
    if (known.length > 0) {
      const outcomes = await this.v2Batch(
        known.flatMap((index) => operations[index] ?? []),
        calls,
      );
      outcomes.forEach((outcome, position) => {
        const index = known[position];
        if (index !== undefined) items[index] = outcome;
      });
    }
    await Promise.all(
      anonymous.map(async (index) => {
        const op = operations[index];
        if (op?.action === 'event' && isAnonymous(op.identifiers)) {
          items[index] = await this.anonymousEvent(op, op.identifiers.anonymous_id, calls);
        }
      }),
    );
    return { items, calls };
  }

  /** Track v1 anonymous event. */
  private async anonymousEvent(
    op: Extract<CioOperation, { action: 'event' }>,
    anonymousId: string,
    calls: CallOutcome[],
  ): Promise<ItemOutcome> {
    const answer = await this.post('/api/v1/events', {
      anonymous_id: anonymousId,
      name: op.name,
      id: op.id,
      timestamp: op.timestamp,
      data: op.attributes,
    });
    if (answer instanceof CustomerIoError) {
      calls.push(answer.kind);
      return failed(answer);
    }
    const failure = callFailure(answer.response, this.now());
    if (failure) {
      calls.push(failure.kind);
      return failed(failure);
    }
    if (answer.response.status === 200) {
      calls.push('accepted');
      return ok;
    }
    calls.push('rejected');
    const errors = V1ErrorSchema.safeParse(tryParseJson(answer.text));
    const count = errors.success ? ` (${errors.data.meta.errors.length} errors)` : '';
    return failed(new DestinationRejectedError(`Customer.io rejected the anonymous event${count}`));
  }

  /**
   * One v2 batch call. A 400 or 413 for a whole request of several items means one item spoils it: the items are
   * then sent one by one so only the bad one fails. 207 reports rejected items by index.
   */
  private async v2Batch(operations: readonly CioOperation[], calls: CallOutcome[]): Promise<ItemOutcome[]> {
    const answer = await this.post('/api/v2/batch', { batch: operations });
    if (answer instanceof CustomerIoError) return failAll(operations, answer, calls);
    const failure = callFailure(answer.response, this.now());
    if (failure) return failAll(operations, failure, calls);
    const { response, text } = answer;
    if (response.status === 200) {
      calls.push('accepted');
      return operations.map(() => ok);
    }
    if (response.status === 207) {
      const parsed = ErrorsSchema.safeParse(tryParseJson(text));
      if (!parsed.success) {
        calls.push('server_error');
        const unreadable = new CustomerIoError(
          'server_error',
          'Customer.io answered 207 with an unreadable body',
        );
        return operations.map(() => failed(unreadable));
      }
      calls.push('partial');
      const byIndex = new Map(parsed.data.errors.map((e) => [e.batch_index, e]));
      return operations.map((_, index) => {
        const error = byIndex.get(index);
        return error
          ? failed(
              new DestinationRejectedError(`Customer.io rejected the item: ${rejection(error, 'rejected')}`),
            )
          : ok;
      });
    }
    // 400 or 413.
    calls.push('rejected');
    if (operations.length > 1) {
      const outcomes: ItemOutcome[] = [];
      for (const op of operations) outcomes.push(...(await this.v2Batch([op], calls)));
      return outcomes;
    }
    const parsed = ErrorsSchema.safeParse(tryParseJson(text));
    const reason = rejection(parsed.success ? parsed.data.errors[0] : undefined, `HTTP ${response.status}`);
    return [failed(new DestinationRejectedError(`Customer.io rejected the item: ${reason}`))];
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  /** POSTs JSON; a network failure or timeout (sending or reading the answer) becomes a `timeout` failure. */
  private async post(
    path: string,
    body: unknown,
  ): Promise<{ response: Response; text: string } | CustomerIoError> {
    try {
      const response = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}${path}`, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      return { response, text: await response.text() };
    } catch (error) {
      const what =
        error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'failed on the network';
      return new CustomerIoError('timeout', `Customer.io request ${what}`, { cause: error });
    }
  }
}
