import { readSample } from './fixtures.js';

/** One computed vector of the shared `hmac-test-vectors.json`. */
export interface SignatureVector {
  readonly secret: string;
  readonly body: string;
  readonly expected?: string;
  readonly expected_v1?: string;
  readonly timestamp?: string;
}

/** A named entry of `test/fixtures/samples/hmac-test-vectors.json`. */
export const signatureVector = (name: string): SignatureVector => {
  const all = JSON.parse(readSample('hmac-test-vectors.json')) as Record<string, SignatureVector>;
  const vector = all[name];
  if (!vector) throw new Error(`no vector ${name}`);
  return vector;
};
