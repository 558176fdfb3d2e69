import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALARM_RUNBOOK_ANCHORS } from '../../cdk/constructs/monitoring/alarm-topic.js';
import { parseOptions } from '../../shared/operations/cli-args.js';
import type { OpsCommand } from '../../shared/operations/commands/command.js';
import { purgeCommand } from '../../shared/operations/commands/purge-command.js';
import { redriveCommand } from '../../shared/operations/commands/redrive-command.js';
import { replayCommand } from '../../shared/operations/commands/replay-command.js';
import { showCommand } from '../../shared/operations/commands/show-command.js';
import { statsCommand } from '../../shared/operations/commands/stats-command.js';

const read = (file: string) => readFileSync(path.resolve(process.cwd(), file), 'utf8');
const runbook = read('docs/runbook.md');
const readme = read('README.md');

/** The anchors alarm descriptions link to, and the incident sections the runbook promises besides them. */
const ALARM_ANCHORS = [
  ...ALARM_RUNBOOK_ANCHORS,
  'poison-payloads',
  'redact-request',
  'backlog',
  'rotated-secret',
];

const COMMANDS: Record<string, OpsCommand> = {
  stats: statsCommand,
  show: showCommand,
  redrive: redriveCommand,
  purge: purgeCommand,
  replay: replayCommand,
};

/** The text of the section an anchor opens, up to the next anchor. */
const section = (anchor: string): string => {
  const start = runbook.indexOf(`<a id="${anchor}"></a>`);
  const next = runbook.indexOf('<a id="', start + 1);
  return runbook.slice(start, next < 0 ? undefined : next);
};

/** Every `npm run ops -- ...` command line of a document, placeholders filled in, comments dropped. */
const opsLines = (doc: string): string[][] =>
  [...doc.matchAll(/npm run ops -- ([^\n`|]*)/g)].map((m) =>
    (m[1] ?? '')
      .replace(/\s#.*$/, '')
      .replace(/\\$/, '')
      .replace(/<[^>]*>/g, 'X')
      .replace(/\$\w+/g, 'X')
      .trim()
      .split(/\s+/),
  );

describe('docs/runbook.md', () => {
  it.each(ALARM_ANCHORS)('has a section for #%s: what it means, what to run, when it is fixed', (anchor) => {
    const text = section(anchor);
    expect(text).toMatch(new RegExp(`^<a id="${anchor}"></a>\n\n?## `));
    expect(text).toMatch(/\*\*Means\.\*\*/);
    expect(text).toMatch(/```bash\n/);
    expect(text).toMatch(/\*\*Fixed when\*\*/);
  });

  it('covers the incidents on-call meets: rotated secret, Customer.io outage and revoked key, poison payloads, throttling, silent cart recovery, redact, backlog', () => {
    for (const heading of [
      '## A rotated secret',
      '## Customer.io failure rate (an outage)',
      '## Customer.io authentication failures (a revoked key)',
      '## Poison payloads after a platform API version change',
      '## DynamoDB throttling',
      '## Cart recovery that does not fire',
      '## A redact request',
      '## Backlog after a traffic spike',
    ]) {
      expect(runbook).toContain(heading);
    }
  });

  it('links only to anchors it has', () => {
    const anchors = new Set([...runbook.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    const links = [...runbook.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
  });

  it.each([
    ['docs/runbook.md', runbook],
    ['README.md', readme],
  ])('%s: every ops command it shows parses (no drift from the CLI)', (_file, doc) => {
    const lines = opsLines(doc);
    expect(lines.length).toBeGreaterThan(5);
    // `npm run ops -- <command> --help` names no command in particular.
    for (const [name, ...args] of lines.filter(([first]) => first !== 'X')) {
      const command = COMMANDS[name ?? ''];
      expect(command, `unknown command in: ${name} ${args.join(' ')}`).toBeDefined();
      expect(() => parseOptions(name ?? '', command?.options ?? {}, args)).not.toThrow();
    }
  });

  it('includes the worked example transcript of the main incident', () => {
    const example = runbook.slice(runbook.indexOf('## Worked example'));
    expect(example).toContain('$ npm run ops -- stats');
    expect(example).toContain('$ npm run ops -- redrive --dlq inbox --code person_unresolved');
    expect(example).toContain('"contact_email": "[email]"');
    expect(example).not.toMatch(/[a-z0-9._%+-]+@[a-z0-9-]+\.[a-z]{2,}/i);
  });

  it('is linked from the README "Operating it" section', () => {
    const operating = readme.slice(readme.indexOf('## Operating it'));
    expect(operating).toContain('[docs/runbook.md](docs/runbook.md)');
  });
});
