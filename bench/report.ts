import type { MachineInfo } from './machine.js';

/** One checked number: what was measured, its target, and whether it meets it. */
export interface TargetCheck {
  readonly id: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** The value must be at most this. */
  readonly max: number;
  readonly pass: boolean;
  /** Anything needed to read the value (spread, inputs). */
  readonly detail?: string;
}

/** A table of supporting numbers, printed and rendered into docs/benchmarks.md. */
export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

/** What one section of the benchmark (one target of issue 12) reports. */
export interface SectionResult {
  readonly id: string;
  readonly title: string;
  readonly checks: readonly TargetCheck[];
  readonly tables: readonly Table[];
  readonly notes: readonly string[];
  /** Raw measurements for whoever wants to recompute (kept in the JSON only). */
  readonly data?: unknown;
}

/**
 * A section of `npm run bench`. Each target of issue 12 is one section (CPU, cold start; AWS requests, load and
 * cost come later); sections run in turn and share nothing but the options.
 */
export interface BenchSection {
  readonly id: string;
  readonly title: string;
  run(options: BenchOptions): Promise<SectionResult>;
}

/** Options every section receives. */
export interface BenchOptions {
  /** Fewer rounds and repetitions: a smoke run, not a measurement to publish. */
  readonly quick: boolean;
  /** Progress lines (stderr), so a long section shows it is alive. */
  readonly progress: (line: string) => void;
  /** Seconds of each offered load in Target 3 (default 15; `npm run bench:load` runs 60). */
  readonly loadSeconds?: number;
}

/** The JSON written by a run. */
export interface BenchReport {
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly pass: boolean;
  readonly sections: readonly SectionResult[];
}

/** A number rounded for humans: 3 significant digits below 100, integers above. */
export const fmt = (value: number): string => {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(3)));
};

/** A markdown table. */
export const markdownTable = (table: Table): string => {
  const cell = (v: string | number) => (typeof v === 'number' ? fmt(v) : v);
  const lines = [
    `| ${table.columns.join(' | ')} |`,
    `| ${table.columns.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  return `**${table.title}**\n\n${lines.join('\n')}\n`;
};

/** The lines `npm run bench` prints for a section: each target with PASS or FAIL. */
export const sectionSummary = (section: SectionResult): string => {
  const lines = [`\n== ${section.title}`];
  for (const check of section.checks) {
    const verdict = check.pass ? 'PASS' : 'FAIL';
    const value = `${fmt(check.value)}${check.unit}`;
    lines.push(
      `${verdict}  ${check.label.padEnd(62)} ${value.padStart(11)}  (target ≤ ${fmt(check.max)}${check.unit})${check.detail ? `  ${check.detail}` : ''}`,
    );
  }
  return lines.join('\n');
};

/** The whole report as markdown: machine, then each section's checks and tables (pasted into docs/benchmarks.md). */
export const markdownReport = (report: BenchReport): string => {
  const m = report.machine;
  const parts = [
    `Run ${report.startedAt} (${Math.round(report.durationSeconds)} s${report.quick ? ', quick' : ''}) on ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node} (V8 ${m.v8}), ${m.platform}/${m.arch}, load average ${m.loadAverage} at start.\n`,
  ];
  for (const section of report.sections) {
    parts.push(`### ${section.title}\n`);
    parts.push(
      markdownTable({
        title: 'Targets',
        columns: ['target', 'value', 'limit', 'result'],
        rows: section.checks.map((c) => [
          c.label,
          `${fmt(c.value)}${c.unit}`,
          `≤ ${fmt(c.max)}${c.unit}`,
          c.pass ? 'PASS' : 'FAIL',
        ]),
      }),
    );
    for (const table of section.tables) parts.push(markdownTable(table));
    for (const note of section.notes) parts.push(`- ${note}`);
    parts.push('');
  }
  return parts.join('\n');
};
