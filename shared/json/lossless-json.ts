/**
 * JSON parsing that keeps large integers exact. Shopify ids such as 820982911946154508 exceed
 * Number.MAX_SAFE_INTEGER, and plain `JSON.parse` silently rounds them (…154500), which would join the wrong
 * orders and break deduplication. Integers longer than 15 digits are turned into strings before parsing.
 */

/** Fewer digits than this always fit a double exactly; this many or more are quoted. */
const LONG = 16;

/** Any run of 16 digits: without one, no integer can need quoting, and the text is returned as it is. */
const LONG_DIGIT_RUN = /[0-9]{16}/;

const BACKSLASH = 92;
const MINUS = 45;

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** The characters that can continue a number literal (digits, `.`, `e`, `E`, `+`, `-`). */
const isNumberPart = (code: number): boolean =>
  isDigit(code) || code === 46 || code === 101 || code === 69 || code === 43 || code === MINUS;

/**
 * Index just past the closing quote of the string whose body starts at `from`, or `text.length` when it is not
 * closed. A quote closes the string unless an odd run of backslashes precedes it; the run cannot reach past the
 * opening quote, which is not a backslash.
 */
const stringEnd = (text: string, from: number): number => {
  let quote = text.indexOf('"', from);
  while (quote !== -1) {
    let escapes = 0;
    while (text.charCodeAt(quote - 1 - escapes) === BACKSLASH) escapes += 1;
    if (escapes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
};

/**
 * Rewrites every integer literal of 16+ digits outside strings as a JSON string.
 *
 * Strings are skipped with `indexOf` from quote to quote. Between two strings lies structure: punctuation,
 * whitespace, literals and numbers. Only a stretch of 16 or more characters there can hold a 16-digit integer,
 * so only those are read character by character (numbers never contain a quote, so a number never spans two
 * stretches). Text that holds no run of 16 digits anywhere is returned unchanged without a walk at all.
 */
export const quoteLargeIntegers = (text: string): string => {
  if (!LONG_DIGIT_RUN.test(text)) return text;
  const n = text.length;
  let out = '';
  let last = 0;
  let from = 0;
  while (from < n) {
    const open = text.indexOf('"', from);
    const to = open === -1 ? n : open;
    if (to - from >= LONG) {
      let i = from;
      while (i < to) {
        const c = text.charCodeAt(i);
        if (!isDigit(c) && c !== MINUS) {
          i += 1;
          continue;
        }
        const start = i;
        i += 1;
        while (i < n && isDigit(text.charCodeAt(i))) i += 1;
        const next = i < n ? text.charCodeAt(i) : 0;
        const isInteger = next !== 46 /* . */ && next !== 101 /* e */ && next !== 69; /* E */
        const digits = i - start - (c === MINUS ? 1 : 0);
        if (isInteger && digits >= LONG) {
          out += `${text.slice(last, start)}"${text.slice(start, i)}"`;
          last = i;
        } else {
          while (i < n && isNumberPart(text.charCodeAt(i))) i += 1;
        }
      }
    }
    if (open === -1) break;
    from = stringEnd(text, open + 1);
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
