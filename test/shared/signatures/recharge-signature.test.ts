import { describe, expect, it } from 'vitest';
import {
  RECHARGE_TOLERANCE_SECONDS,
  signRechargeLegacy,
  signRechargeTimestamped,
  verifyRechargeSignature,
} from '../../../shared/signatures/recharge-signature.js';
import { readRechargeSample } from '../../helpers/recharge-envelope.js';
import { signatureVector } from '../../helpers/recharge-vectors.js';
import { extendSha256, sha256Hex } from '../../helpers/sha256-length-extension.js';

const legacy = signatureVector('recharge_legacy_computed');
const stamped = signatureVector('recharge_timestamped_computed');
const T = Number(stamped.timestamp);
const AT_T = new Date(T * 1000);

describe('verifyRechargeSignature: a length extension of a captured legacy-signed body (finding 3)', () => {
  const secret = 'recharge_client_secret';
  const captured = Buffer.from(readRechargeSample('charge-paid.legacy.json'));
  const capturedHash = signRechargeLegacy(captured, secret);

  it.each([
    ['a second document', ',{"charge":{"id":1,"status":"SUCCESS"}}'],
    ['a closing fragment', '"total_price":"0.00"}'],
    ['nothing but padding', ''],
  ])('refuses the extension with %s as malformed_body, though its hash is valid', (_label, suffix) => {
    // The attacker knows the body and its hash; the secret's length is the only guess (here: right first time).
    const forged = extendSha256(capturedHash, secret.length + captured.length, Buffer.from(suffix));
    const body = Buffer.concat([captured, forged.appended]);
    expect(forged.digest).toBe(sha256Hex(secret, body));
    expect(verifyRechargeSignature(body, { legacy: forged.digest }, [secret], AT_T)).toEqual({
      ok: false,
      reason: 'malformed_body',
    });
    expect(verifyRechargeSignature(captured, { legacy: capturedHash }, [secret], AT_T)).toEqual({ ok: true });
  });

  it('refuses any legacy-signed body that is not exactly one UTF-8 JSON document', () => {
    for (const text of ['{"a":1} {"b":2}', '{"a":1}\u0000', '', 'null x']) {
      const body = Buffer.from(text);
      expect(
        verifyRechargeSignature(body, { legacy: signRechargeLegacy(body, secret) }, [secret], AT_T),
      ).toEqual({
        ok: false,
        reason: 'malformed_body',
      });
    }
    const invalidUtf8 = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(
      verifyRechargeSignature(
        invalidUtf8,
        { legacy: signRechargeLegacy(invalidUtf8, secret) },
        [secret],
        AT_T,
      ),
    ).toEqual({ ok: false, reason: 'malformed_body' });
    const spaced = Buffer.from(' \n{"a":1}\r\n ');
    expect(
      verifyRechargeSignature(spaced, { legacy: signRechargeLegacy(spaced, secret) }, [secret], AT_T),
    ).toEqual({
      ok: true,
    });
  });
});

describe('verifyRechargeSignature: legacy X-Recharge-Hmac-Sha256 (plain SHA-256 of secret + body)', () => {
  const body = Buffer.from(legacy.body);

  it('accepts the computed vector and signs it identically', () => {
    expect(signRechargeLegacy(body, legacy.secret)).toBe(legacy.expected);
    expect(verifyRechargeSignature(body, { legacy: legacy.expected }, [legacy.secret], AT_T)).toEqual({
      ok: true,
    });
  });

  it('is a plain hash, not an HMAC, and accepts upper-case hex', () => {
    expect(
      verifyRechargeSignature(body, { legacy: legacy.expected?.toUpperCase() }, [legacy.secret], AT_T),
    ).toEqual({ ok: true });
  });

  it('rejects a tampered body, even by one space', () => {
    const tampered = Buffer.from(legacy.body.replace(':123', ': 123'));
    expect(verifyRechargeSignature(tampered, { legacy: legacy.expected }, [legacy.secret], AT_T)).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('accepts either secret during a rotation and rejects when neither matches', () => {
    expect(
      verifyRechargeSignature(body, { legacy: legacy.expected }, ['new-secret', legacy.secret], AT_T),
    ).toEqual({ ok: true });
    expect(verifyRechargeSignature(body, { legacy: legacy.expected }, ['new-secret', 'other'], AT_T)).toEqual(
      {
        ok: false,
        reason: 'invalid_signature',
      },
    );
  });

  it('reports missing, malformed and unconfigured distinctly', () => {
    expect(verifyRechargeSignature(body, {}, [legacy.secret], AT_T)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verifyRechargeSignature(body, { legacy: '  ' }, [legacy.secret], AT_T)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(verifyRechargeSignature(body, { legacy: 'zz' }, [legacy.secret], AT_T)).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(verifyRechargeSignature(body, { legacy: legacy.expected }, [], AT_T)).toEqual({
      ok: false,
      reason: 'missing_secret',
    });
  });
});

describe('verifyRechargeSignature: X-Recharge-Webhook-Signature t=<epoch>,v1=<hex HMAC("<t>." + body)>', () => {
  const body = Buffer.from(stamped.body);
  const header = `t=${stamped.timestamp},v1=${stamped.expected_v1}`;

  it('accepts the computed vector and signs it identically', () => {
    expect(signRechargeTimestamped(body, stamped.secret, T)).toBe(header);
    expect(verifyRechargeSignature(body, { timestamped: header }, [stamped.secret], AT_T)).toEqual({
      ok: true,
    });
  });

  it('wins over the legacy header: a valid legacy hash does not rescue a bad timestamped signature', () => {
    const bad = `t=${T},v1=${'0'.repeat(64)}`;
    expect(
      verifyRechargeSignature(
        body,
        { timestamped: bad, legacy: signRechargeLegacy(body, stamped.secret) },
        [stamped.secret],
        AT_T,
      ),
    ).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('refuses a capture with the timestamped header stripped when the deployment requires it (replay downgrade)', () => {
    const legacyOnly = { legacy: signRechargeLegacy(body, stamped.secret) };
    expect(verifyRechargeSignature(body, legacyOnly, [stamped.secret], AT_T)).toEqual({ ok: true });
    expect(
      verifyRechargeSignature(body, legacyOnly, [stamped.secret], AT_T, { requireTimestamped: true }),
    ).toEqual({ ok: false, reason: 'missing_signature' });
    expect(
      verifyRechargeSignature(body, { timestamped: header }, [stamped.secret], AT_T, {
        requireTimestamped: true,
      }),
    ).toEqual({ ok: true });
  });

  it('rejects a tampered body and a shifted timestamp (the timestamp is signed)', () => {
    expect(
      verifyRechargeSignature(
        Buffer.from(`${stamped.body} `),
        { timestamped: header },
        [stamped.secret],
        AT_T,
      ),
    ).toEqual({ ok: false, reason: 'invalid_signature' });
    const shifted = `t=${T + 1},v1=${stamped.expected_v1}`;
    expect(verifyRechargeSignature(body, { timestamped: shifted }, [stamped.secret], AT_T)).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('accepts the old secret during a rotation, and any of several v1 entries', () => {
    expect(verifyRechargeSignature(body, { timestamped: header }, ['rotated', stamped.secret], AT_T)).toEqual(
      {
        ok: true,
      },
    );
    const two = `t=${T},v1=${'a'.repeat(64)},v1=${stamped.expected_v1}`;
    expect(verifyRechargeSignature(body, { timestamped: two }, [stamped.secret], AT_T)).toEqual({ ok: true });
  });

  it('accepts a retry up to 48 hours old and rejects one older (window is a parameter)', () => {
    const edge = new Date((T + RECHARGE_TOLERANCE_SECONDS) * 1000);
    expect(verifyRechargeSignature(body, { timestamped: header }, [stamped.secret], edge)).toEqual({
      ok: true,
    });
    const late = new Date((T + RECHARGE_TOLERANCE_SECONDS + 1) * 1000);
    expect(verifyRechargeSignature(body, { timestamped: header }, [stamped.secret], late)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    const hourLater = new Date((T + 3600) * 1000);
    expect(
      verifyRechargeSignature(body, { timestamped: header }, [stamped.secret], hourLater, {
        toleranceSeconds: 600,
      }),
    ).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('allows five minutes of clock skew into the future, not more', () => {
    const early = new Date((T - 300) * 1000);
    expect(verifyRechargeSignature(body, { timestamped: header }, [stamped.secret], early)).toEqual({
      ok: true,
    });
    const tooEarly = new Date((T - 301) * 1000);
    expect(verifyRechargeSignature(body, { timestamped: header }, [stamped.secret], tooEarly)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it('takes the timestamp from X-Recharge-Webhook-Timestamp when the signature has no t=', () => {
    expect(
      verifyRechargeSignature(
        body,
        { timestamped: `v1=${stamped.expected_v1}`, timestamp: stamped.timestamp },
        [stamped.secret],
        AT_T,
      ),
    ).toEqual({ ok: true });
  });

  it('reports malformed headers', () => {
    for (const value of [
      `v1=${stamped.expected_v1}`,
      `t=${T}`,
      `t=abc,v1=${stamped.expected_v1}`,
      `t=${T},v1=xyz`,
      'garbage',
    ]) {
      expect(verifyRechargeSignature(body, { timestamped: value }, [stamped.secret], AT_T)).toEqual({
        ok: false,
        reason: 'malformed_signature',
      });
    }
  });
});
