import { hmacSha256, type SignatureResult, verifyBodyHmac } from './signature-result.js';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Verifies `X-Shopify-Hmac-Sha256`: base64(HMAC-SHA256(client secret, raw body)), against every secret given so a
 * rotation (Shopify keeps signing with the old secret for up to an hour) does not drop deliveries.
 */
export const verifyShopifySignature = (
  rawBody: Buffer,
  signatureHeader: string | undefined,
  secrets: readonly string[],
): SignatureResult =>
  verifyBodyHmac(rawBody, signatureHeader, secrets, (header) =>
    BASE64.test(header) ? Buffer.from(header, 'base64') : undefined,
  );

/** Computes the header value Shopify would send; used by the local sender and tests. */
export const signShopifyBody = (rawBody: Buffer | string, secret: string): string =>
  hmacSha256(secret, rawBody).toString('base64');
