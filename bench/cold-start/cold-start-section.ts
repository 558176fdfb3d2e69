import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchOptions, BenchSection, SectionResult } from '../report.js';
import { median, spread } from '../stats.js';
import { buildFunction, type FunctionBundle, GROUPS, groupBytes } from './bundle.js';
import { type LoadTime, loadOnce } from './load-time.js';
import { zodMiniComparison } from './zod-mini.js';

/** Target 4: each function's minified bundle, in KiB (the "KB": 460–710 today). */
const MAX_KIB = 400;
const KIB = 1024;

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Target 4 (cold start): per function, the minified bundle bytes (built as the CDK builds it) and the module-load
 * time in a fresh Node process, median of several loads taken round-robin across the functions.
 */
export const coldStartSection: BenchSection = {
  id: 'cold-start',
  title: 'Target 4 — Cold start: bundle size and module load per function',
  async run(options: BenchOptions): Promise<SectionResult> {
    const names = readdirSync(join(ROOT, 'lambdas'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const outDir = mkdtempSync(join(tmpdir(), 'connector-bench-'));
    try {
      const bundles: FunctionBundle[] = [];
      for (const name of names) {
        options.progress(`cold-start: building ${name}`);
        bundles.push(await buildFunction(ROOT, name, outDir));
      }
      const loads = options.quick ? 3 : 21;
      const times = new Map<string, LoadTime[]>(names.map((n) => [n, []]));
      const cpuMs = (name: string) => (times.get(name) ?? []).map((t) => t.cpuMs);
      const wallMs = (name: string) => (times.get(name) ?? []).map((t) => t.wallMs);
      for (const bundle of bundles) loadOnce(bundle.file, bundle.name); // first load warms the disk cache
      for (let i = 0; i < loads; i += 1) {
        options.progress(`cold-start: load round ${i + 1}/${loads}`);
        for (const bundle of bundles) times.get(bundle.name)?.push(loadOnce(bundle.file, bundle.name));
      }
      const groupLabels = [...GROUPS.map((g) => g.label), 'other'];
      const zod = await zodMiniComparison(ROOT);
      return {
        id: 'cold-start',
        title: this.title,
        checks: bundles.map((b) => {
          const load = spread(cpuMs(b.name));
          return {
            id: `cold-start.${b.name}.bytes`,
            label: `${b.name}: minified bundle`,
            value: b.bytes / KIB,
            unit: ' KiB',
            max: MAX_KIB,
            pass: b.bytes <= MAX_KIB * KIB,
            detail: `load ${load.median.toFixed(0)} ms CPU (${load.p25.toFixed(0)}–${load.p75.toFixed(0)}), ${median(wallMs(b.name)).toFixed(0)} ms wall`,
          };
        }),
        tables: [
          {
            title: `Bundles (KiB) and module load (ms; median of ${loads} fresh processes)`,
            columns: [
              'function',
              'bundle',
              ...groupLabels,
              'source map',
              'load CPU ms',
              'p25–p75',
              'load wall ms',
            ],
            rows: bundles.map((b) => {
              const groups = groupBytes(b.byPackage);
              const load = spread(cpuMs(b.name));
              return [
                b.name,
                b.bytes / KIB,
                ...groupLabels.map((g) => (groups.get(g) ?? 0) / KIB),
                b.sourceMapBytes / KIB,
                load.median,
                `${load.p25.toFixed(0)}–${load.p75.toFixed(0)}`,
                median(wallMs(b.name)),
              ];
            }),
          },
          {
            title: 'zod classic vs zod/mini: the same schemas and error formatting, bundled alone (KiB)',
            columns: ['build', 'KiB'],
            rows: [
              ['zod (classic API)', zod.classic / KIB],
              ['zod/mini', zod.mini / KIB],
            ],
          },
          {
            title: 'Largest packages per function (KiB, from the esbuild metafile)',
            columns: ['function', 'packages'],
            rows: bundles.map((b) => [
              b.name,
              [...b.byPackage]
                .sort((x, y) => y[1] - x[1])
                .slice(0, 8)
                .map(([pkg, bytes]) => `${pkg} ${(bytes / KIB).toFixed(0)}`)
                .join(', '),
            ]),
          },
        ],
        notes: [
          'Built with esbuild as cdk/constructs/connector-function.ts bundles (ESM, node24, minify, mainFields module,main, AWS SDK bundled); bytes of index.mjs, the source map is shipped beside it.',
          `Load: \`await import()\` of the bundle in a fresh \`node --enable-source-maps\` (the functions' NODE_OPTIONS) with a Lambda-like environment; includes env validation and client construction, not Node's own start-up. CPU time (user + system of the child) is the robust number on a shared machine; wall time beside it. Median of ${loads}.`,
        ],
        data: Object.fromEntries(
          bundles.map((b) => [
            b.name,
            {
              bytes: b.bytes,
              sourceMapBytes: b.sourceMapBytes,
              loadCpuMs: cpuMs(b.name).map((t) => Math.round(t * 10) / 10),
              loadWallMs: wallMs(b.name).map((t) => Math.round(t * 10) / 10),
              loadCpuMedianMs: median(cpuMs(b.name)),
              byPackage: Object.fromEntries([...b.byPackage].sort((x, y) => y[1] - x[1])),
            },
          ]),
        ),
      };
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  },
};
