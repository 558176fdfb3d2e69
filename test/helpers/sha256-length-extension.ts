import { createHash } from 'node:crypto';

/*
 * A SHA-256 length-extension attack, for tests only. Given SHA-256(secret ‖ message) and the length of
 * secret ‖ message, anyone can compute SHA-256(secret ‖ message ‖ padding ‖ suffix) without the secret: the
 * digest is the hash's internal state after the padded input, so hashing can simply continue from it.
 */

const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** Runs the SHA-256 compression function over 64-byte blocks, starting from `state`. */
const compress = (state: Uint32Array, blocks: Buffer): Uint32Array => {
  const h = Uint32Array.from(state);
  const w = new Uint32Array(64);
  for (let offset = 0; offset < blocks.length; offset += 64) {
    for (let i = 0; i < 16; i += 1) w[i] = blocks.readUInt32BE(offset + i * 4);
    for (let i = 16; i < 64; i += 1) {
      const a = w[i - 15] ?? 0;
      const b = w[i - 2] ?? 0;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[i] = ((w[i - 16] ?? 0) + s0 + (w[i - 7] ?? 0) + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]].map((v) => v ?? 0) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    for (let i = 0; i < 64; i += 1) {
      const t1 =
        (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (K[i] ?? 0) + (w[i] ?? 0)) >>>
        0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => {
      h[i] = ((h[i] ?? 0) + v) >>> 0;
    });
  }
  return h;
};

/** SHA-256's padding of a message of `length` bytes: 0x80, zeros, then the bit length (64-bit big-endian). */
const sha256Padding = (length: number): Buffer => {
  const zeros = (64 - ((length + 9) % 64)) % 64;
  const padding = Buffer.alloc(1 + zeros + 8);
  padding[0] = 0x80;
  padding.writeBigUInt64BE(BigInt(length) * 8n, 1 + zeros);
  return padding;
};

/**
 * Extends a captured SHA-256(secret ‖ message) without the secret. Returns the forged digest and the bytes to
 * append to the message (padding, then `suffix`): SHA-256(secret ‖ message ‖ appended) equals `digest`.
 */
export const extendSha256 = (
  capturedHex: string,
  secretAndMessageLength: number,
  suffix: Buffer,
): { digest: string; appended: Buffer } => {
  const padding = sha256Padding(secretAndMessageLength);
  const processed = secretAndMessageLength + padding.length;
  const state = new Uint32Array(8);
  for (let i = 0; i < 8; i += 1) state[i] = Buffer.from(capturedHex, 'hex').readUInt32BE(i * 4);
  const tail = Buffer.concat([suffix, sha256Padding(processed + suffix.length)]);
  const final = compress(state, tail);
  const digest = Buffer.alloc(32);
  final.forEach((v, i) => {
    digest.writeUInt32BE(v, i * 4);
  });
  return { digest: digest.toString('hex'), appended: Buffer.concat([padding, suffix]) };
};

/** Plain SHA-256 (node:crypto), to check a forgery against. */
export const sha256Hex = (...parts: (Buffer | string)[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};
