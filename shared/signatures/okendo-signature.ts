import { createHmac } from 'node:crypto';
import { anyMatches, SIGNATURE_OK, type SignatureResult, signatureFailure } from './signature-result.js';

/** Svix rejects messages more than five minutes away from its clock, in either direction. */
export const OKENDO_TOLERANCE_SECONDS = 5 * 60;

const EPOCH_SECONDS = /^\d{1,12}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const SECRET_PREFIX = 'whsec_';

/** The Svix / Standard Webhooks headers of one delivery (`svix-*` or `webhook-*`). */
export interface SvixHeaders {
  readonly id?: string;
  readonly timestamp?: string;
  readonly signature?: string;
}

/** Picks the Svix headers, falling back to the Standard Webhooks names. */
export const svixHeaders = (headers: Readonly<Record<string, string>>): SvixHeaders => ({
  id: headers['svix-id'] ?? headers['webhook-id'],
  timestamp: headers['svix-timestamp'] ?? headers['webhook-timestamp'],
  signature: headers['svix-signature'] ?? headers['webhook-signature'],
});

/** The HMAC key of a Svix secret: the base64 bytes after `whsec_`. */
const signingKey = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

const svixMac = (key: Buffer, id: string, timestamp: string, rawBody: Buffer | string): Buffer =>
  createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest();

const v1Signatures = (header: string): Buffer[] =>
  header
    .trim()
    .split(/\s+/)
    .flatMap((entry) => {
      const [version, value] = entry.split(',', 2);
      return version === 'v1' && value !== undefined && BASE64.test(value)
        ? [Buffer.from(value, 'base64')]
        : [];
    });

/**
 * Verifies an Okendo delivery the Svix way: `v1,<base64 HMAC-SHA256("<id>.<timestamp>.<body>")>` entries in a
 * space-separated list, keyed with the base64 bytes after `whsec_`, against every secret given (rotation), and a
 * timestamp within the tolerance either way. Other versions in the list (e.g. asymmetric `v1a`) are skipped.
 */
export const verifyOkendoSignature = (
  rawBody: Buffer,
  headers: SvixHeaders,
  secrets: readonly string[],
  now: Date,
  toleranceSeconds: number = OKENDO_TOLERANCE_SECONDS,
): SignatureResult => {
  const id = headers.id?.trim();
  const timestamp = headers.timestamp?.trim();
  const signature = headers.signature?.trim();
  if (!id || !timestamp || !signature) return signatureFailure('missing_signature');
  if (secrets.length === 0) return signatureFailure('missing_secret');
  if (!EPOCH_SECONDS.test(timestamp)) return signatureFailure('malformed_signature');
  const provided = v1Signatures(signature);
  if (provided.length === 0) return signatureFailure('malformed_signature');
  const candidates = secrets.map((secret) => svixMac(signingKey(secret), id, timestamp, rawBody));
  let matched = false;
  for (const value of provided) {
    if (anyMatches(value, candidates)) matched = true;
  }
  if (!matched) return signatureFailure('invalid_signature');
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp));
  return skew > toleranceSeconds ? signatureFailure('stale_timestamp') : SIGNATURE_OK;
};

/** Computes the `svix-signature` value Svix would send; used by tests. */
export const signOkendoBody = (
  rawBody: Buffer | string,
  secret: string,
  id: string,
  epochSeconds: number,
): string => `v1,${svixMac(signingKey(secret), id, String(epochSeconds), rawBody).toString('base64')}`;
