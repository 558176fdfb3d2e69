import { hmacSha256, type SignatureResult, verifyBodyHmac } from './signature-result.js';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

const decode = (value: string): Buffer | undefined => {
  if (HEX_SHA256.test(value)) return Buffer.from(value, 'hex');
  if (BASE64_SHA256.test(value)) return Buffer.from(value, 'base64');
  return undefined;
};

/**
 * Verifies `JUDGEME-HMAC-SHA256`: HMAC-SHA256(secret, raw body) against every secret given (the OAuth app secret or
 * the shop's private API token; several for rotation). Public implementations send hex; base64 is accepted too
 * because Judge.me's own page on the encoding could not be read, and both carry the same MAC.
 */
export const verifyJudgemeSignature = (
  rawBody: Buffer,
  signatureHeader: string | undefined,
  secrets: readonly string[],
): SignatureResult => verifyBodyHmac(rawBody, signatureHeader, secrets, decode);

/** Computes the hex header value Judge.me would send; used by tests. */
export const signJudgemeBody = (rawBody: Buffer | string, secret: string): string =>
  hmacSha256(secret, rawBody).toString('hex');
