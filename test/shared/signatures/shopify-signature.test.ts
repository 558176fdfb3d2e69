import { describe, expect, it } from 'vitest';
import { signShopifyBody, verifyShopifySignature } from '../../../shared/signatures/shopify-signature.js';
import { readSample } from '../../helpers/fixtures.js';

const vectors = JSON.parse(readSample('hmac-test-vectors.json')) as {
  shopify_published: { secret: string; body: string; expected: string };
};
const published = vectors.shopify_published;

describe('verifyShopifySignature', () => {
  it("accepts Shopify's published test vector", () => {
    expect(signShopifyBody(published.body, published.secret)).toBe(published.expected);
    expect(
      verifyShopifySignature(Buffer.from(published.body), published.expected, [published.secret]),
    ).toEqual({ ok: true });
  });

  it('rejects a body changed by one byte (signatures cover the raw bytes, not re-serialised JSON)', () => {
    const reserialised = JSON.stringify(JSON.parse(published.body));
    expect(reserialised).not.toBe(published.body);
    expect(verifyShopifySignature(Buffer.from(reserialised), published.expected, [published.secret])).toEqual(
      {
        ok: false,
        reason: 'invalid_signature',
      },
    );
  });

  it('accepts any secret of a rotation set, in either order', () => {
    const body = Buffer.from('{"id":1}');
    const header = signShopifyBody(body, 'new-secret');
    expect(verifyShopifySignature(body, header, ['old-secret', 'new-secret']).ok).toBe(true);
    expect(verifyShopifySignature(body, header, ['new-secret', 'old-secret']).ok).toBe(true);
    expect(verifyShopifySignature(body, header, ['old-secret'])).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('names what is wrong: missing header, malformed header, no secret', () => {
    const body = Buffer.from('{}');
    expect(verifyShopifySignature(body, undefined, ['s'])).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verifyShopifySignature(body, '  ', ['s'])).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyShopifySignature(body, 'not base64!', ['s'])).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(verifyShopifySignature(body, published.expected, [])).toEqual({
      ok: false,
      reason: 'missing_secret',
    });
  });

  it('rejects a truncated digest without throwing on the length mismatch', () => {
    const truncated = Buffer.from(published.expected, 'base64').subarray(0, 16).toString('base64');
    expect(verifyShopifySignature(Buffer.from(published.body), truncated, [published.secret])).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });
});
