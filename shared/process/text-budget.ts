/** Byte arithmetic for fitting text into size limits, in time linear in the text. */

/** Marks a shortened text. Three bytes in UTF-8 and in JSON. */
const ELLIPSIS = '…';
const ELLIPSIS_BYTES = 3;

/** Bytes of a value serialized as JSON (UTF-8), as Customer.io and SQS count them. */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '');

/** JSON-escaped UTF-8 bytes of one code point (or one lone surrogate), without the quotes. */
const escapedBytes = (code: number): number => {
  if (code === 0x22 || code === 0x5c) return 2;
  if (code < 0x20)
    return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdfff) return 6;
  return code < 0x10000 ? 3 : 4;
};

/** Raw UTF-8 bytes of one code point (a lone surrogate is written as U+FFFD). */
const utf8Bytes = (code: number): number => {
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  return code < 0x10000 ? 3 : 4;
};

const cut = (value: string, maxBytes: number, size: (code: number) => number): string => {
  let total = 0;
  let end = 0;
  let fits = -1;
  for (const char of value) {
    const bytes = size(char.codePointAt(0) ?? 0);
    if (fits < 0 && total + bytes > maxBytes - ELLIPSIS_BYTES) fits = end;
    total += bytes;
    if (total > maxBytes) return `${value.slice(0, fits)}${ELLIPSIS}`;
    end += char.length;
  }
  return value;
};

/**
 * `value` unchanged when its JSON form (without quotes) takes at most `maxBytes`, else its longest prefix that fits
 * with a trailing `…`. Never splits a surrogate pair.
 */
export const truncateText = (value: string, maxBytes: number): string => cut(value, maxBytes, escapedBytes);

/** Like {@link truncateText}, counting raw UTF-8 bytes (Customer.io's attribute value limit). */
export const truncateUtf8 = (value: string, maxBytes: number): string => cut(value, maxBytes, utf8Bytes);
