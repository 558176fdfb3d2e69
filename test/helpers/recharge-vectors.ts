import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One computed vector of the shared `hmac-test-vectors.json`. */
export interface SignatureVector {
  readonly secret: string;
  readonly body: string;
  readonly expected?: string;
  readonly expected_v1?: string;
  readonly timestamp?: string;
}

/** A named entry of `../shared/samples/hmac-test-vectors.json` (CI checks out ../shared beside the repository). */
export const signatureVector = (name: string): SignatureVector => {
  const all = JSON.parse(
    readFileSync(path.resolve(process.cwd(), '../shared/samples/hmac-test-vectors.json'), 'utf8'),
  ) as Record<string, SignatureVector>;
  const vector = all[name];
  if (!vector) throw new Error(`no vector ${name}`);
  return vector;
};
