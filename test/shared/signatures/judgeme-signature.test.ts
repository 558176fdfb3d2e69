import { describe, expect, it } from 'vitest';
import { signJudgemeBody, verifyJudgemeSignature } from '../../../shared/signatures/judgeme-signature.js';
import { hmacSha256 } from '../../../shared/signatures/signature-result.js';
import { signatureVector } from '../../helpers/recharge-vectors.js';

const vector = signatureVector('judgeme_computed');
const body = Buffer.from(vector.body);

describe('verifyJudgemeSignature (hex HMAC-SHA256 of the raw body)', () => {
  it('accepts the computed vector and signs it identically', () => {
    expect(signJudgemeBody(body, vector.secret)).toBe(vector.expected);
    expect(verifyJudgemeSignature(body, vector.expected, [vector.secret])).toEqual({ ok: true });
  });

  it('accepts the same MAC base64-encoded (the official encoding page was not readable)', () => {
    const base64 = hmacSha256(vector.secret, body).toString('base64');
    expect(verifyJudgemeSignature(body, base64, [vector.secret])).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    expect(
      verifyJudgemeSignature(Buffer.from(vector.body.replace('1', '2')), vector.expected, [vector.secret]),
    ).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('accepts any configured secret during a rotation (OAuth secret or private API token)', () => {
    expect(verifyJudgemeSignature(body, vector.expected, ['new-token', vector.secret])).toEqual({ ok: true });
    expect(verifyJudgemeSignature(body, vector.expected, ['new-token'])).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('reports missing, malformed and unconfigured distinctly', () => {
    expect(verifyJudgemeSignature(body, undefined, [vector.secret])).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verifyJudgemeSignature(body, 'abc', [vector.secret])).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(verifyJudgemeSignature(body, vector.expected, [])).toEqual({
      ok: false,
      reason: 'missing_secret',
    });
  });
});
