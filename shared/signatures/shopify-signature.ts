import {
  anyMatches,
  hmacSha256,
  SIGNATURE_OK,
  type SignatureResult,
  signatureFailure,
} from './signature-result.js';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Verifies `X-Shopify-Hmac-Sha256`: base64(HMAC-SHA256(client secret, raw body)), against every secret given so a
 * rotation (Shopify keeps signing with the old secret for up to an hour) does not drop deliveries.
 */
export const verifyShopifySignature = (
  rawBody: Buffer,
  signatureHeader: string | undefined,
  secrets: readonly string[],
): SignatureResult => {
  if (signatureHeader === undefined || signatureHeader.trim() === '')
    return signatureFailure('missing_signature');
  if (secrets.length === 0) return signatureFailure('missing_secret');
  const header = signatureHeader.trim();
  if (!BASE64.test(header)) return signatureFailure('malformed_signature');
  const provided = Buffer.from(header, 'base64');
  const candidates = secrets.map((secret) => hmacSha256(secret, rawBody));
  return anyMatches(provided, candidates) ? SIGNATURE_OK : signatureFailure('invalid_signature');
};

/** Computes the header value Shopify would send; used by the local sender and tests. */
export const signShopifyBody = (rawBody: Buffer | string, secret: string): string =>
  hmacSha256(secret, rawBody).toString('base64');
