import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  OKENDO_TOLERANCE_SECONDS,
  signOkendoBody,
  svixHeaders,
  verifyOkendoSignature,
} from '../../../shared/signatures/okendo-signature.js';

// The expected values below are recomputed independently with node:crypto.
const KEY_BYTES = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
const SECRET = `whsec_${KEY_BYTES.toString('base64')}`;
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1_742_800_337;
const NOW = new Date(TS * 1000);
const BODY = '{"resource":{"reviewId":"r-1"},"resourceType":"review","topic":"create"}';

const independentSignature = (key: Buffer, body: string): string =>
  `v1,${createHmac('sha256', key).update(`${ID}.${TS}.${body}`).digest('base64')}`;

const headers = (signature: string) => ({ id: ID, timestamp: String(TS), signature });

describe('verifyOkendoSignature (Svix scheme)', () => {
  it('accepts the Standard Webhooks / Svix published test vector, with or without the whsec_ prefix', () => {
    const vector = {
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: '1614265330',
      signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const body = Buffer.from('{"test": 2432232314}');
    const at = new Date(1_614_265_330_000);
    expect(verifyOkendoSignature(body, vector, ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], at)).toEqual({
      ok: true,
    });
    expect(verifyOkendoSignature(body, vector, ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], at)).toEqual({
      ok: true,
    });
    expect(signOkendoBody(body, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', vector.id, 1_614_265_330)).toBe(
      vector.signature,
    );
  });

  it('signs HMAC-SHA256("id.timestamp.body") with the base64 key after whsec_', () => {
    expect(signOkendoBody(BODY, SECRET, ID, TS)).toBe(independentSignature(KEY_BYTES, BODY));
    expect(
      verifyOkendoSignature(Buffer.from(BODY), headers(independentSignature(KEY_BYTES, BODY)), [SECRET], NOW),
    ).toEqual({
      ok: true,
    });
  });

  it('rejects a tampered body and a swapped message id', () => {
    const signature = signOkendoBody(BODY, SECRET, ID, TS);
    expect(verifyOkendoSignature(Buffer.from(`${BODY} `), headers(signature), [SECRET], NOW)).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
    expect(
      verifyOkendoSignature(Buffer.from(BODY), { ...headers(signature), id: 'msg_other' }, [SECRET], NOW),
    ).toEqual({ ok: false, reason: 'invalid_signature' });
  });

  it('accepts any entry of a space-separated list and skips other versions', () => {
    const good = signOkendoBody(BODY, SECRET, ID, TS);
    const list = `v1a,AAAA v1,${Buffer.alloc(32).toString('base64')} ${good}`;
    expect(verifyOkendoSignature(Buffer.from(BODY), headers(list), [SECRET], NOW)).toEqual({ ok: true });
  });

  it('accepts the old secret during a rotation', () => {
    const old = `whsec_${Buffer.from('old-key-bytes-000000').toString('base64')}`;
    const signature = signOkendoBody(BODY, old, ID, TS);
    expect(verifyOkendoSignature(Buffer.from(BODY), headers(signature), [SECRET, old], NOW)).toEqual({
      ok: true,
    });
    expect(verifyOkendoSignature(Buffer.from(BODY), headers(signature), [SECRET], NOW)).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('enforces a five-minute tolerance in both directions', () => {
    const signature = signOkendoBody(BODY, SECRET, ID, TS);
    const at = (offset: number) => new Date((TS + offset) * 1000);
    expect(
      verifyOkendoSignature(Buffer.from(BODY), headers(signature), [SECRET], at(OKENDO_TOLERANCE_SECONDS)),
    ).toEqual({
      ok: true,
    });
    expect(verifyOkendoSignature(Buffer.from(BODY), headers(signature), [SECRET], at(301))).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifyOkendoSignature(Buffer.from(BODY), headers(signature), [SECRET], at(-301))).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it('reports missing and malformed headers', () => {
    const signature = signOkendoBody(BODY, SECRET, ID, TS);
    expect(
      verifyOkendoSignature(Buffer.from(BODY), { timestamp: String(TS), signature }, [SECRET], NOW),
    ).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(
      verifyOkendoSignature(Buffer.from(BODY), { ...headers(signature), timestamp: 'soon' }, [SECRET], NOW),
    ).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(verifyOkendoSignature(Buffer.from(BODY), headers('v2,abc'), [SECRET], NOW)).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(verifyOkendoSignature(Buffer.from(BODY), headers(signature), [], NOW)).toEqual({
      ok: false,
      reason: 'missing_secret',
    });
  });

  it('reads svix-* headers, falling back to the Standard Webhooks webhook-* names', () => {
    expect(svixHeaders({ 'svix-id': 'a', 'svix-timestamp': '1', 'svix-signature': 'v1,x' })).toEqual({
      id: 'a',
      timestamp: '1',
      signature: 'v1,x',
    });
    expect(svixHeaders({ 'webhook-id': 'b', 'webhook-timestamp': '2', 'webhook-signature': 'v1,y' })).toEqual(
      {
        id: 'b',
        timestamp: '2',
        signature: 'v1,y',
      },
    );
  });
});
