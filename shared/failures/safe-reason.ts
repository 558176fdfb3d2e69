import type { $ZodError } from 'zod/v4/core';
import { sqsSafeText } from '../json/sqs-safe-json.js';

/** The longest `failure_reason` (CONTRACTS.md). */
export const MAX_REASON_CHARS = 1_000;

const QUOTED = /"[^"\n]*"|'[^'\n]*'|`[^`\n]*`|“[^”\n]*”/g;
const EMAIL = /[^\s@"'`<>()[\]]+@[^\s@"'`<>()[\]]+/g;
/** Seven or more digits with phone-style separators: phone numbers, card-like numbers, long ids. */
const LONG_NUMBER = /\+?\d[\d ().-]{5,}\d/g;
/** A path segment that is a field name (not a value, as the keys of a record could be). */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Text safe to log and to park as a reason: quoted parts (where messages echo values), emails and long numbers are
 * masked, the characters SQS refuses are replaced, and the length is capped.
 */
export const scrubReason = (text: string, maxChars = MAX_REASON_CHARS): string => {
  const masked = sqsSafeText(text)
    .replace(QUOTED, '…')
    .replace(EMAIL, '[email]')
    .replace(LONG_NUMBER, '[number]')
    .trim();
  return masked.length > maxChars ? `${masked.slice(0, maxChars - 1)}…` : masked;
};

/** A path as field names and indexes only (`line_items[3].price`); anything else shows as `*`. */
const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = typeof key === 'string' && FIELD_NAME.test(key) ? key : '*';
    return text ? `${text}.${name}` : name;
  }, '') || '(root)';

/** A validation summary built from the issues' paths and messages, never from the input. */
export const zodReason = (error: $ZodError, maxIssues = 8): string => {
  const lines = error.issues
    .slice(0, maxIssues)
    .map((issue) => `${pathText(issue.path)}: ${scrubReason(issue.message, 200)}`);
  const more = error.issues.length > maxIssues ? ` (+${error.issues.length - maxIssues} more)` : '';
  return scrubReason(`${lines.join('; ')}${more}`);
};
