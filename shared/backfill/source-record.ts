import type { SourceName } from '../ingest/envelope.js';

/**
 * One record read from a platform's API, in the shape of the webhook that reports it: the topic whose normalizer
 * takes the body, and the body. Backfill and reconciliation queue these like webhooks, so every record goes through
 * the same normalize → identity → rollup → dedupe path under the same business keys.
 */
export interface SourceRecord {
  readonly source: SourceName;
  /** The webhook topic that reports this record (`orders/create`, `customer/updated`...). */
  readonly topic: string;
  /** The record's id within its topic (order id, refund id, customer id...). */
  readonly id: string;
  /** A version that changes when the record changes in a way its webhook would report again (its updated_at). */
  readonly version?: string;
  /** When the record happened at the source (ISO 8601): reconciliation only feeds what happened in its window. */
  readonly occurredAt: string;
  /** The webhook-shaped body. */
  readonly body: unknown;
  /**
   * A table item whose presence means the path has seen this record, for records whose topic claims no business
   * key (an abandoned checkout: its cart).
   */
  readonly seenAs?: TableItemKey;
}

/** The key of an item of the connector's table. */
export interface TableItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** A record the API returned that could not be written as a webhook body (counted and logged, never queued). */
export interface UnreadableRecord {
  readonly source: SourceName;
  readonly resource: string;
  /** The platform's id of it when known (never a name or an email). */
  readonly id?: string;
  readonly reason: string;
}

/** What one API object became. */
export type RecordsOf = { readonly records: SourceRecord[] } | { readonly unreadable: UnreadableRecord };

/** ISO 8601 UTC of a platform timestamp, or undefined when it is not a date. */
export const isoOrUndefined = (value: string | null | undefined): string | undefined => {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
};
