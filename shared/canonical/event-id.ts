import { createHash } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A deterministic ULID for a dedupe key: the first 128 bits of SHA-256(key) in Crockford base32 (26 characters,
 * the first one 0-7, as the ULID format requires). The same business event always gets the same id, whichever
 * source or retry produced it, so Customer.io drops a resend. Customer.io does not use the ULID's time part.
 */
export const eventIdFor = (dedupeKey: string): string => {
  const bytes = createHash('sha256').update(dedupeKey).digest().subarray(0, 16);
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < 26; i += 1) {
    out = CROCKFORD.charAt(Number(value & 31n)) + out;
    value >>= 5n;
  }
  return out;
};
