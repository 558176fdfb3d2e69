import { statSync } from 'node:fs';
import { join } from 'node:path';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { CONNECTOR_BUNDLING } from '../../cdk/constructs/connector-function.js';

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
 * esbuild options equal to what NodejsFunction runs for CONNECTOR_BUNDLING (cdk/constructs/connector-function.ts):
 * `esbuild --bundle --platform=node --format=esm --target=… --minify --sourcemap --sources-content=false
 * --external:… --main-fields=… --banner:js=…` (aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js).
 */
export const esbuildOptionsOf = (bundling: typeof CONNECTOR_BUNDLING): BuildOptions => ({
  bundle: true,
  platform: 'node',
  format: bundling.format === OutputFormat.ESM ? 'esm' : 'cjs',
  target: bundling.target,
  minify: bundling.minify,
  sourcemap: bundling.sourceMap,
  sourcesContent: bundling.sourcesContent,
  mainFields: [...bundling.mainFields],
  banner: { js: bundling.banner },
  external: [...bundling.externalModules],
});

/** Builds `lambdas/<name>/handler.ts` exactly as the CDK does, and attributes its bytes (esbuild metafile). */
export const buildFunction = async (root: string, name: string, outDir: string): Promise<FunctionBundle> => {
  const file = join(outDir, name, 'index.mjs');
  const result = await build({
    ...esbuildOptionsOf(CONNECTOR_BUNDLING),
    entryPoints: [join(root, 'lambdas', name, 'handler.ts')],
    outfile: file,
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
