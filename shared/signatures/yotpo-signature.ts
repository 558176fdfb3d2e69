import { SIGNATURE_OK, type SignatureResult, signatureFailure } from './signature-result.js';
import { matchesAnySecret } from './stamped-signature.js';

/**
 * Verifies a Yotpo delivery. Yotpo's Reviews webhooks carry no signature, so the webhook URL itself holds a secret
 * token (`/webhooks/yotpo/{token}`), compared in constant time against every configured token (rotation).
 */
export const verifyYotpoToken = (
  pathToken: string | undefined,
  tokens: readonly string[],
): SignatureResult => {
  if (pathToken === undefined || pathToken === '') return signatureFailure('missing_signature');
  if (tokens.length === 0) return signatureFailure('missing_secret');
  return matchesAnySecret(pathToken, tokens) ? SIGNATURE_OK : signatureFailure('invalid_signature');
};
