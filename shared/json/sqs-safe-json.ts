/**
 * Text that SQS accepts. SQS takes only #x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD and #x10000–#x10FFFF in a message
 * body or attribute value, and refuses the whole message otherwise. A shopper can type U+FFFE into an order note,
 * so every message the connector queues goes through here.
 */

/** One character SQS refuses (a lone surrogate counts as one, since the `u` flag reads code points). */
const SQS_REFUSED = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const SQS_REFUSED_ALL = new RegExp(SQS_REFUSED.source, 'gu');

/**
 * What JSON.stringify still leaves raw that a queue may refuse: U+FFFE, U+FFFF, and characters outside the Basic
 * Multilingual Plane. SQS takes the latter, but the local emulator (fauxqs) reads bodies by UTF-16 code unit and
 * refuses every surrogate, so they are escaped as well: one encoding that every queue the connector runs on takes.
 */
const RAW_TO_ESCAPE = /[\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

const escapeUnit = (unit: number): string => `\\u${unit.toString(16).padStart(4, '0')}`;

/** Each UTF-16 unit of `text` as a JSON `\uXXXX` escape. */
const escapeUnits = (text: string): string => {
  let out = '';
  for (let i = 0; i < text.length; i += 1) out += escapeUnit(text.charCodeAt(i));
  return out;
};

/** True when SQS would accept `text` as a message body or attribute value. */
export const isSqsSafeText = (text: string): boolean => !SQS_REFUSED.test(text);

/**
 * JSON text of `value` that SQS accepts and that `JSON.parse` turns back into the same value. Relies on the
 * well-formed JSON.stringify of ES2019, which already escapes control characters and lone surrogates; what is
 * left raw (U+FFFE, U+FFFF, astral characters) is escaped here as `\uXXXX` (surrogate pairs as two escapes).
 * Escaping happens only inside JSON strings, since every structural character of JSON is ASCII.
 */
export const stringifyForSqs = (value: unknown): string => {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text.replace(RAW_TO_ESCAPE, escapeUnits);
};

/** Attribute text SQS accepts: each refused character becomes U+FFFD (attribute values are read by people). */
export const sqsSafeText = (text: string): string => text.replace(SQS_REFUSED_ALL, '\uFFFD');

/** Any UTF-16 unit a queue may refuse raw: controls, surrogate halves (paired or not), U+FFFE and U+FFFF. */
const NOT_PLAIN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/;
/** A surrogate pair, else one unit from {@link NOT_PLAIN}. */
const NOT_PLAIN_ALL = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/g;
const BACKSLASH = 0x5c;

/**
 * JSON text made acceptable to every queue the connector runs on, denoting the same JSON value, without parsing it;
 * `undefined` when that cannot be guaranteed, and the caller must encode otherwise (e.g. {@link stringifyForSqs}).
 *
 * Valid JSON holds no raw control character, so the only units to fix are U+FFFE, U+FFFF and surrogate pairs, all
 * of which can stand only inside a string: each becomes its `\uXXXX` escape(s), which decode to the same units. A
 * unit preceded by a backslash (part of an escape, so invalid JSON, or after an escaped backslash) and any control
 * character or lone surrogate (invalid JSON, or text that must stay exact to be parked as it came) give up. Outside
 * a string a replaced unit was invalid JSON and its escape is invalid too, so invalid text stays invalid.
 */
export const sqsSafeJsonText = (json: string): string | undefined => {
  if (!NOT_PLAIN.test(json)) return json;
  let exact = true;
  const escaped = json.replace(NOT_PLAIN_ALL, (match: string, offset: number) => {
    const unit = match.charCodeAt(0);
    const escapable = match.length === 2 || unit === 0xfffe || unit === 0xffff;
    if (!escapable || json.charCodeAt(offset - 1) === BACKSLASH) exact = false;
    return exact ? escapeUnits(match) : match;
  });
  return exact ? escaped : undefined;
};
