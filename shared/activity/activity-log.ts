import type { ActivityEntry, ActivityRecord } from './activity-entry.js';

/** Port: where activity records are written (DynamoDB in AWS and locally). */
export interface ActivityLog {
  /** Writes records; a record with the same shop, subject, time and uniqueness replaces the earlier one. */
  append(records: readonly ActivityRecord[]): Promise<void>;
}

/** Port: deletes a person's activity (a privacy redact). */
export interface ActivityEraser {
  /** Deletes every record of these subjects of a shop; returns how many were removed. */
  forget(shop: string, subjects: readonly string[]): Promise<number>;
}

/** A record as read back. */
export interface StoredActivity {
  readonly shop: string;
  readonly subject: string;
  readonly at: string;
  readonly entry: ActivityEntry;
}

/** Port: reads timelines (the inspector; never a Lambda). */
export interface ActivityReader {
  /** A subject's records, newest first, at most `limit`. */
  timeline(shop: string, subject: string, limit: number): Promise<StoredActivity[]>;
  /** The records that name an order, newest first. */
  byOrder(shop: string, orderId: string, limit: number): Promise<StoredActivity[]>;
}
