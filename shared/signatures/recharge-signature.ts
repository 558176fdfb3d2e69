import {
  anyMatches,
  hmacSha256,
  SIGNATURE_OK,
  type SignatureResult,
  sha256,
  signatureFailure,
} from './signature-result.js';

/** Recharge retries for 48 hours, so a genuine retry may carry a timestamp that old. */
export const RECHARGE_TOLERANCE_SECONDS = 48 * 60 * 60;

/** How far a timestamp may lie in the future (clock skew between Recharge and us). */
const RECHARGE_FUTURE_SKEW_SECONDS = 5 * 60;

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const EPOCH_SECONDS = /^\d{1,12}$/;

/** The Recharge signature headers of one delivery (absent ones undefined). */
export interface RechargeSignatureHeaders {
  /** `X-Recharge-Hmac-Sha256`: hex(SHA-256(client secret + raw body)). */
  readonly legacy?: string;
  /** `X-Recharge-Webhook-Signature`: `t=<epoch>,v1=<hex>`. */
  readonly timestamped?: string;
  /** `X-Recharge-Webhook-Timestamp`: used only when the signature header carries no `t=`. */
  readonly timestamp?: string;
}

/** Freshness window of the timestamped scheme. */
export interface RechargeVerifyOptions {
  readonly toleranceSeconds?: number;
  readonly futureSkewSeconds?: number;
  /**
   * Refuse the legacy hash alone. Without it, stripping the timestamped header from an old capture downgrades a
   * replay to the legacy check, which has no timestamp; turn it on once timestamped deliveries are seen working.
   */
  readonly requireTimestamped?: boolean;
}

const isBlank = (value: string | undefined): value is undefined => value === undefined || value.trim() === '';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether the bytes are exactly one JSON document: valid UTF-8, one JSON value, nothing but whitespace around it.
 * Every Recharge body is; a length extension of a legacy-hashed body never is, because SHA-256 padding (0x80,
 * zero bytes, the bit length) must sit between the captured document and anything appended.
 */
const isOneJsonDocument = (rawBody: Buffer): boolean => {
  try {
    JSON.parse(UTF8.decode(rawBody));
    return true;
  } catch {
    return false;
  }
};

const parseTimestamped = (
  header: string,
  fallbackTimestamp: string | undefined,
): { timestamp: string; signatures: Buffer[] } | undefined => {
  let timestamp = fallbackTimestamp?.trim();
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const index = part.indexOf('=');
    if (index < 0) return undefined;
    const key = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return undefined;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === undefined || !EPOCH_SECONDS.test(timestamp) || signatures.length === 0) return undefined;
  return { timestamp, signatures };
};

const verifyTimestamped = (
  rawBody: Buffer,
  header: RechargeSignatureHeaders & { timestamped: string },
  secrets: readonly string[],
  now: Date,
  options: RechargeVerifyOptions,
): SignatureResult => {
  const parsed = parseTimestamped(header.timestamped, header.timestamp);
  if (!parsed) return signatureFailure('malformed_signature');
  const candidates = secrets.map((secret) => hmacSha256(secret, `${parsed.timestamp}.`, rawBody));
  let matched = false;
  for (const provided of parsed.signatures) {
    if (anyMatches(provided, candidates)) matched = true;
  }
  if (!matched) return signatureFailure('invalid_signature');
  const ageSeconds = Math.floor(now.getTime() / 1000) - Number(parsed.timestamp);
  const tolerance = options.toleranceSeconds ?? RECHARGE_TOLERANCE_SECONDS;
  const skew = options.futureSkewSeconds ?? RECHARGE_FUTURE_SKEW_SECONDS;
  if (ageSeconds > tolerance || -ageSeconds > skew) return signatureFailure('stale_timestamp');
  return SIGNATURE_OK;
};

/**
 * Verifies a Recharge delivery against every client secret given (rotation). When the timestamped
 * `X-Recharge-Webhook-Signature` is present it alone decides (HMAC-SHA256 of "<t>." + body, within the freshness
 * window), so a valid legacy hash cannot rescue a stale one; otherwise the legacy `X-Recharge-Hmac-Sha256` plain
 * SHA-256(secret + body) is checked, unless `requireTimestamped` refuses deliveries signed only that way. A plain
 * hash of secret + body is open to length extension: from one captured delivery anyone can compute a valid hash
 * of that body + SHA-256 padding + any suffix. So a legacy-signed body must also be exactly one JSON document,
 * which an extension never is (`malformed_body`).
 */
export const verifyRechargeSignature = (
  rawBody: Buffer,
  headers: RechargeSignatureHeaders,
  secrets: readonly string[],
  now: Date,
  options: RechargeVerifyOptions = {},
): SignatureResult => {
  if (secrets.length === 0) return signatureFailure('missing_secret');
  const { timestamped, legacy } = headers;
  if (!isBlank(timestamped))
    return verifyTimestamped(rawBody, { ...headers, timestamped }, secrets, now, options);
  if (options.requireTimestamped || isBlank(legacy)) return signatureFailure('missing_signature');
  const value = legacy.trim();
  if (!HEX_SHA256.test(value)) return signatureFailure('malformed_signature');
  const candidates = secrets.map((secret) => sha256(secret, rawBody));
  if (!anyMatches(Buffer.from(value, 'hex'), candidates)) return signatureFailure('invalid_signature');
  return isOneJsonDocument(rawBody) ? SIGNATURE_OK : signatureFailure('malformed_body');
};

/** Computes the legacy `X-Recharge-Hmac-Sha256` value; for test senders. */
export const signRechargeLegacy = (rawBody: Buffer | string, secret: string): string =>
  sha256(secret, rawBody).toString('hex');

/** Computes the `X-Recharge-Webhook-Signature` value for a timestamp; for test senders. */
export const signRechargeTimestamped = (
  rawBody: Buffer | string,
  secret: string,
  epochSeconds: number,
): string => `t=${epochSeconds},v1=${hmacSha256(secret, `${epochSeconds}.`, rawBody).toString('hex')}`;
