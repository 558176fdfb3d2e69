import { statSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';

/** A function's bundle as the CDK ships it, and where its bytes come from. */
export interface FunctionBundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly sourceMapBytes: number;
  /** Output bytes per input package (node_modules package name, or the repository folder). */
  readonly byPackage: ReadonlyMap<string, number>;
}

/**
 * Builds `lambdas/<name>/handler.ts` with the options cdk/constructs/connector-function.ts gives NodejsFunction
 * (which runs esbuild with --bundle --platform=node and these): ESM, node24, minified, module before main, the AWS
 * SDK bundled, a source map without sources, and the createRequire banner.
 */
export const buildFunction = async (root: string, name: string, outDir: string): Promise<FunctionBundle> => {
  const file = join(outDir, name, 'index.mjs');
  const result = await build({
    entryPoints: [join(root, 'lambdas', name, 'handler.ts')],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    outfile: file,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    external: [],
    metafile: true,
    logLevel: 'silent',
  });
  return {
    name,
    file,
    bytes: statSync(file).size,
    sourceMapBytes: statSync(`${file}.map`).size,
    byPackage: bytesByPackage(result.metafile),
  };
};

/** The package an input belongs to: `@scope/name` or `name` after its last node_modules/, else its top two folders. */
export const packageOf = (input: string): string => {
  const cut = input.lastIndexOf('node_modules/');
  if (cut < 0) return input.split('/').slice(0, 2).join('/');
  const [first = input, second = ''] = input.slice(cut + 'node_modules/'.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
};

const bytesByPackage = (metafile: Metafile): Map<string, number> => {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const key = packageOf(input);
    totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
  }
  return totals;
};

/** Coarse groups for the docs table. */
export const GROUPS: readonly { readonly label: string; readonly test: (pkg: string) => boolean }[] = [
  { label: 'AWS SDK', test: (p) => /^@(aws-sdk|smithy|aws-crypto)\//.test(p) || p === 'tslib' },
  { label: 'zod', test: (p) => p === 'zod' },
  { label: 'libphonenumber-js', test: (p) => p === 'libphonenumber-js' },
  { label: 'Powertools + middy', test: (p) => /^@(aws-lambda-powertools|middy)\//.test(p) },
  { label: 'connector code', test: (p) => /^(shared|lambdas)\//.test(p) },
];

/** Bytes per group (everything unmatched under "other"). */
export const groupBytes = (byPackage: ReadonlyMap<string, number>): Map<string, number> => {
  const totals = new Map<string, number>([...GROUPS.map((g) => [g.label, 0] as const), ['other', 0]]);
  for (const [pkg, bytes] of byPackage) {
    const label = GROUPS.find((g) => g.test(pkg))?.label ?? 'other';
    totals.set(label, (totals.get(label) ?? 0) + bytes);
  }
  return totals;
};
