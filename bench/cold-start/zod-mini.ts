import { build } from 'esbuild';

/**
 * The same schemas, the shapes the connector's env, input and canonical modules use (objects, strings with checks,
 * integers, enums, optionals, arrays, ISO datetimes, a discriminated union) and `safeParse` + `prettifyError`,
 * written once with classic zod and once with zod/mini, each bundled and minified alone.
 */
const SCHEMAS = {
  classic: `import * as z from 'zod';
const S = z.object({ a: z.string().min(1), b: z.number().int().positive(), c: z.enum(['x', 'y']).optional(),
  d: z.array(z.object({ e: z.string() })), f: z.iso.datetime(),
  g: z.discriminatedUnion('t', [z.object({ t: z.literal('a') }), z.object({ t: z.literal('b') })]) });
export const parse = (v) => { const r = S.safeParse(v); return r.success ? r.data : z.prettifyError(r.error); };`,
  mini: `import * as z from 'zod/mini';
const S = z.object({ a: z.string().check(z.minLength(1)), b: z.number().check(z.int(), z.positive()),
  c: z.optional(z.enum(['x', 'y'])), d: z.array(z.object({ e: z.string() })), f: z.iso.datetime(),
  g: z.discriminatedUnion('t', [z.object({ t: z.literal('a') }), z.object({ t: z.literal('b') })]) });
export const parse = (v) => { const r = S.safeParse(v); return r.success ? r.data : z.prettifyError(r.error); };`,
};

/** Minified bytes of the same validation with classic zod and with zod/mini. */
export const zodMiniComparison = async (root: string): Promise<{ classic: number; mini: number }> => {
  const size = async (contents: string) => {
    const result = await build({
      stdin: { contents, resolveDir: root, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      mainFields: ['module', 'main'],
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0]?.contents.length ?? 0;
  };
  return { classic: await size(SCHEMAS.classic), mini: await size(SCHEMAS.mini) };
};
