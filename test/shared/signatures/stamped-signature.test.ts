import { describe, expect, it } from 'vitest';
import { matchesAnySecret, verifyStampedSecret } from '../../../shared/signatures/stamped-signature.js';

describe('verifyStampedSecret (shared secret echoed in a header)', () => {
  it('accepts the configured secret from X-Stamped-Webhook-Secret or X-Secret-Key', () => {
    expect(verifyStampedSecret(['s3cret', undefined], ['s3cret'])).toEqual({ ok: true });
    expect(verifyStampedSecret([undefined, 's3cret'], ['s3cret'])).toEqual({ ok: true });
    expect(verifyStampedSecret(['other-header-value', 's3cret'], ['s3cret'])).toEqual({ ok: true });
  });

  it('rejects a wrong secret, including a prefix or a longer value', () => {
    for (const value of ['wrong', 's3cre', 's3cret!', 'S3CRET']) {
      expect(verifyStampedSecret([value], ['s3cret'])).toEqual({ ok: false, reason: 'invalid_signature' });
    }
  });

  it('accepts either secret during a rotation', () => {
    expect(verifyStampedSecret(['old'], ['new', 'old'])).toEqual({ ok: true });
  });

  it('reports a missing header and an unconfigured platform', () => {
    expect(verifyStampedSecret([undefined, ' '], ['s3cret'])).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verifyStampedSecret(['s3cret'], [])).toEqual({ ok: false, reason: 'missing_secret' });
  });

  it('compares values of any length without throwing', () => {
    expect(matchesAnySecret('a'.repeat(1000), ['a'])).toBe(false);
    expect(matchesAnySecret('a', ['b', 'a'])).toBe(true);
  });
});
