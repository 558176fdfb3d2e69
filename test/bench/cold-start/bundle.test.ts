import { describe, expect, it } from 'vitest';
import { groupBytes, packageOf } from '../../../bench/cold-start/bundle.js';

describe('bundle attribution', () => {
  it('names the innermost package of a bundled file, scoped or not, and the folder of our own code', () => {
    expect(packageOf('node_modules/@smithy/core/dist-es/submodules/protocols/json/x.js')).toBe(
      '@smithy/core',
    );
    expect(packageOf('node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(
      packageOf(
        'node_modules/@aws-lambda-powertools/logger/node_modules/@aws-lambda-powertools/commons/lib/a.js',
      ),
    ).toBe('@aws-lambda-powertools/commons');
    expect(packageOf('shared/sources/shopify/shopify-schemas.ts')).toBe('shared/sources');
  });

  it('sums packages into the groups of the docs table, the rest under other', () => {
    const groups = groupBytes(
      new Map([
        ['@smithy/core', 100],
        ['@aws-sdk/client-sqs', 20],
        ['zod', 50],
        ['shared/ingest', 7],
        ['mnemonist', 3],
      ]),
    );
    expect(groups.get('AWS SDK')).toBe(120);
    expect(groups.get('zod')).toBe(50);
    expect(groups.get('connector code')).toBe(7);
    expect(groups.get('other')).toBe(3);
    expect(groups.get('libphonenumber-js')).toBe(0);
  });
});
