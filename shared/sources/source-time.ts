import { UnsupportedValueError } from '../errors.js';
import { isoString } from '../time/iso-time.js';

/**
 * Source timestamps to ISO 8601 UTC, in time linear in the input: the text is capped before any pattern runs, and
 * the only pattern looks at a fixed-size tail. (A `\s*UTC$` replace on untrusted text backtracks quadratically:
 * seconds for a few kilobytes of spaces.)
 */

/** Longest timestamp text read; real ones are under 40 characters (`2019-06-05T09:30:14.963123456+00:00`). */
const MAX_TIMESTAMP_LENGTH = 64;

/** A zone at the end: `Z`, `+02:00`, `-0500`. Applied to the last six characters only. */
const OFFSET_SUFFIX = /(?:Z|[+-]\d{2}:?\d{2})$/i;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the span of ISO 8601's four-digit years. */
const EARLIEST_MS = -62_167_219_200_000;
const LATEST_MS = 253_402_300_799_999;

/** Whether a valid time falls in the years 0000 to 9999. */
export const isRepresentable = (ms: number): boolean => ms >= EARLIEST_MS && ms <= LATEST_MS;

/**
 * ISO 8601 UTC text of a valid time, which must fall in the years 0000 to 9999: every canonical timestamp (and
 * Customer.io) takes four-digit years only. Later or earlier is an UnsupportedValueError (`unsupported_value`),
 * not a schema failure: the payload's date is well formed, the connector cannot represent it.
 */
export const representableIsoTime = (ms: number): string => {
  if (!isRepresentable(ms)) {
    throw new UnsupportedValueError('a timestamp outside the years 0000 to 9999 cannot be represented');
  }
  return isoString(ms);
};

/**
 * Reads a platform timestamp as UTC: offsets are honoured, zone-less times are taken as UTC (a bare `new Date()`
 * would read them in the Lambda's local zone), `2018-02-20 14:12:13 UTC` (a space for the `T`, a `UTC` suffix)
 * is accepted. Undefined for anything that is not a time, including text longer than any timestamp; a time past
 * the year 9999 throws (representableIsoTime).
 */
export const utcIsoTime = (value: string): string | undefined => {
  if (value.length > MAX_TIMESTAMP_LENGTH * 4) return undefined;
  let text = value.trim();
  if (text.length === 0 || text.length > MAX_TIMESTAMP_LENGTH) return undefined;
  if (text.slice(-3).toUpperCase() === 'UTC') text = `${text.slice(0, -3).trimEnd()}Z`;
  if (text.charAt(10) === ' ' && DATE_ONLY.test(text.slice(0, 10))) {
    text = `${text.slice(0, 10)}T${text.slice(11)}`;
  }
  const parsed = new Date(OFFSET_SUFFIX.test(text.slice(-6)) ? text : `${text}Z`);
  return Number.isNaN(parsed.getTime()) ? undefined : representableIsoTime(parsed.getTime());
};
