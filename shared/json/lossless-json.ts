/**
 * JSON parsing that keeps large integers exact. Shopify ids such as 820982911946154508 exceed
 * Number.MAX_SAFE_INTEGER, and plain `JSON.parse` silently rounds them (…154500), which would join the wrong
 * orders and break deduplication. Integers longer than 15 digits are turned into strings before parsing.
 */

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** Rewrites every integer literal of 16+ digits outside strings as a JSON string. */
export const quoteLargeIntegers = (text: string): string => {
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i += 1;
      while (i < n) {
        const s = text.charCodeAt(i);
        if (s === 92 /* \ */) i += 2;
        else if (s === 34) {
          i += 1;
          break;
        } else i += 1;
      }
      continue;
    }
    if (isDigit(c) || c === 45 /* - */) {
      const start = i;
      i += 1;
      while (i < n && isDigit(text.charCodeAt(i))) i += 1;
      const next = i < n ? text.charCodeAt(i) : 0;
      const isInteger = next !== 46 /* . */ && next !== 101 /* e */ && next !== 69; /* E */
      const digits = i - start - (c === 45 ? 1 : 0);
      if (isInteger && digits > 15) {
        out += `${text.slice(last, start)}"${text.slice(start, i)}"`;
        last = i;
      } else {
        while (i < n && /[0-9.eE+-]/.test(text.charAt(i))) i += 1;
      }
      continue;
    }
    i += 1;
  }
  return last === 0 ? text : out + text.slice(last);
};

/** Parses JSON text, keeping integers that do not fit a double exactly as strings. */
export const parseJsonLossless = (text: string): unknown => JSON.parse(quoteLargeIntegers(text));

/** Parses JSON text, or undefined when it is not JSON (for bodies that are read, never trusted, such as error replies). */
export const tryParseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
