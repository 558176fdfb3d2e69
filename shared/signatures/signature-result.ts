import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Why a signature check failed (the HTTP edge answers 401, `missing_secret` 500). `malformed_body`: the signature
 * matched but the signed bytes are not what the platform sends (a forged extension of a legacy-hashed body).
 */
export type SignatureFailureReason =
  | 'missing_signature'
  | 'missing_secret'
  | 'malformed_signature'
  | 'invalid_signature'
  | 'stale_timestamp'
  | 'malformed_body';

/** Outcome of a signature check: data, not an exception. */
export type SignatureResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: SignatureFailureReason };

/** The successful result, shared. */
export const SIGNATURE_OK: SignatureResult = { ok: true };

/** Fails with a reason. */
export const signatureFailure = (reason: SignatureFailureReason): SignatureResult => ({ ok: false, reason });

/** Constant-time comparison of two byte strings (different lengths compare unequal without early exit on content). */
const safeEqual = (a: Buffer, b: Buffer): boolean => {
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
};

/** HMAC-SHA256 of a message with a key. */
export const hmacSha256 = (key: string, ...parts: (Buffer | string)[]): Buffer => {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
};

/** Plain SHA-256 of the concatenated parts. */
export const sha256 = (...parts: (Buffer | string)[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** True when any of the candidate digests equals the expected one; every candidate is compared (no early exit). */
export const anyMatches = (provided: Buffer, candidates: readonly Buffer[]): boolean => {
  let matched = false;
  for (const candidate of candidates) {
    if (safeEqual(provided, candidate)) matched = true;
  }
  return matched;
};

/**
 * The common shape of "HMAC-SHA256 of the raw body in a header": missing header, no secret, undecodable header,
 * then a constant-time comparison against every secret (rotation). `decode` turns the header into the MAC bytes.
 */
export const verifyBodyHmac = (
  rawBody: Buffer,
  signatureHeader: string | undefined,
  secrets: readonly string[],
  decode: (header: string) => Buffer | undefined,
): SignatureResult => {
  if (signatureHeader === undefined || signatureHeader.trim() === '')
    return signatureFailure('missing_signature');
  if (secrets.length === 0) return signatureFailure('missing_secret');
  const provided = decode(signatureHeader.trim());
  if (!provided) return signatureFailure('malformed_signature');
  const candidates = secrets.map((secret) => hmacSha256(secret, rawBody));
  return anyMatches(provided, candidates) ? SIGNATURE_OK : signatureFailure('invalid_signature');
};
