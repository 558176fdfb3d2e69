import { describe, expect, it } from 'vitest';
import { verifyYotpoToken } from '../../../shared/signatures/yotpo-signature.js';

const TOKEN = 'yt_3f9a1c7e5b2d4a6c8e0f1a2b3c4d5e6f';

describe('verifyYotpoToken (secret token in the URL path)', () => {
  it('accepts a configured token', () => {
    expect(verifyYotpoToken(TOKEN, [TOKEN])).toEqual({ ok: true });
  });

  it('rejects a wrong or truncated token', () => {
    expect(verifyYotpoToken(TOKEN.slice(0, -1), [TOKEN])).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(verifyYotpoToken(`${TOKEN}0`, [TOKEN])).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('accepts the old token while a new URL is rolled out', () => {
    expect(verifyYotpoToken(TOKEN, ['yt_new_token_value_0000', TOKEN])).toEqual({ ok: true });
  });

  it('reports a missing token and an unconfigured platform', () => {
    expect(verifyYotpoToken(undefined, [TOKEN])).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyYotpoToken(TOKEN, [])).toEqual({ ok: false, reason: 'missing_secret' });
  });
});
