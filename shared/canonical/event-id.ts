import { createHash } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A deterministic ULID for a dedupe key: the first 128 bits of SHA-256(key) in Crockford base32 (26 characters,
 * the first one 0-7, as the ULID format requires). The same business event always gets the same id, whichever
 * source or retry produced it, so Customer.io drops a resend. Customer.io does not use the ULID's time part.
 */
export const eventIdFor = (dedupeKey: string): string => {
  const bytes = createHash('sha256').update(dedupeKey).digest();
  // 128 bits read 5 at a time from the low end (26 digits, the last one holding the top 3 bits): the same digits
  // as the big-integer reading, without allocating a BigInt per step.
  const digits = new Array<string>(26);
  let acc = 0;
  let bits = 0;
  let d = 25;
  for (let i = 15; i >= 0; i -= 1) {
    acc |= (bytes[i] ?? 0) << bits;
    bits += 8;
    while (bits >= 5) {
      digits[d] = CROCKFORD.charAt(acc & 31);
      d -= 1;
      acc >>>= 5;
      bits -= 5;
    }
  }
  digits[0] = CROCKFORD.charAt(acc & 31);
  return digits.join('');
};
