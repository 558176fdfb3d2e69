import {
  anyMatches,
  SIGNATURE_OK,
  type SignatureResult,
  sha256,
  signatureFailure,
} from './signature-result.js';

/**
 * True when `provided` equals one of `secrets`, in constant time: both sides are hashed first so values of
 * different lengths compare in the same time, and every secret is compared (no early exit).
 */
export const matchesAnySecret = (provided: string, secrets: readonly string[]): boolean =>
  anyMatches(
    sha256(provided),
    secrets.map((secret) => sha256(secret)),
  );

/**
 * Verifies a Stamped delivery. Stamped signs nothing: it echoes the secret the merchant typed when adding the
 * webhook in `X-Stamped-Webhook-Secret` (`X-Secret-Key` on newer pushes). The delivery passes when any of those
 * headers equals one of the configured secrets (several for rotation).
 */
export const verifyStampedSecret = (
  providedValues: readonly (string | undefined)[],
  secrets: readonly string[],
): SignatureResult => {
  const provided = providedValues.map((value) => value?.trim() ?? '').filter((value) => value !== '');
  if (provided.length === 0) return signatureFailure('missing_signature');
  if (secrets.length === 0) return signatureFailure('missing_secret');
  let matched = false;
  for (const value of provided) {
    if (matchesAnySecret(value, secrets)) matched = true;
  }
  return matched ? SIGNATURE_OK : signatureFailure('invalid_signature');
};
