import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { awsCallsSection } from './aws-calls/aws-calls-section.js';
import { coldStartSection } from './cold-start/cold-start-section.js';
import { costSection } from './cost/cost-section.js';
import { cpuSection } from './cpu/cpu-section.js';
import { loadSection } from './load/load-section.js';
import { machineInfo } from './machine.js';
import {
  type BenchReport,
  type BenchSection,
  markdownReport,
  type SectionResult,
  sectionSummary,
} from './report.js';

/**
 * `npm run bench`: the performance targets of issue 12, each printed with PASS or FAIL, and a JSON result
 * (default bench/results/latest.json, beside it the same tables as markdown for docs/benchmarks.md).
 *
 *   npm run bench                        every section
 *   npm run bench -- --only cpu          some sections (comma-separated ids: cpu, cold-start, aws-calls, load, cost)
 *   npm run bench:load                    Target 3 alone, 60 s per offered load
 *   npm run bench -- --quick             a smoke run: fewer rounds, numbers not for publishing
 *   npm run bench -- --out path.json     where the JSON goes (the markdown goes beside it, .md)
 *
 * Exits 1 when a target is missed, 2 when the benchmark itself failed.
 */
const SECTIONS: readonly BenchSection[] = [
  cpuSection,
  coldStartSection,
  awsCallsSection,
  loadSection,
  costSection,
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string', default: resolve(import.meta.dirname, 'results', 'latest.json') },
    'load-seconds': { type: 'string' },
  },
});

const main = async (): Promise<number> => {
  const wanted = values.only?.split(',').map((s) => s.trim());
  const unknown = wanted?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown section(s): ${unknown.join(', ')}`);
  const started = Date.now();
  const machine = machineInfo();
  process.stdout.write(
    `bench on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}, load ${machine.loadAverage}\n`,
  );
  const results: SectionResult[] = [];
  for (const section of SECTIONS.filter((s) => !wanted || wanted.includes(s.id))) {
    const result = await section.run({
      quick: values.quick,
      ...(values['load-seconds'] ? { loadSeconds: Number(values['load-seconds']) } : {}),
      progress: (line) => process.stderr.write(`  … ${line}\n`),
    });
    results.push(result);
    process.stdout.write(`${sectionSummary(result)}\n`);
  }
  const report: BenchReport = {
    startedAt: new Date(started).toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    quick: values.quick,
    machine,
    pass: results.every((s) => s.checks.every((c) => c.pass)),
    sections: results,
  };
  const out = resolve(values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${out.replace(/\.json$/, '')}.md`, markdownReport(report));
  process.stdout.write(
    `\n${report.pass ? 'all targets met' : 'targets missed'} in ${Math.round(report.durationSeconds)} s; results in ${out}\n`,
  );
  return report.pass ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
