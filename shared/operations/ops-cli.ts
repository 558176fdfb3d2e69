import { UsageError } from './cli-args.js';
import type { OpsCommand, OpsIo } from './commands/command.js';
import { purgeCommand } from './commands/purge-command.js';
import { redriveCommand } from './commands/redrive-command.js';
import { replayCommand } from './commands/replay-command.js';
import { showCommand } from './commands/show-command.js';
import { statsCommand } from './commands/stats-command.js';
import { DLQ_NAMES, DLQS } from './dead-letter-queues.js';
import { TargetError } from './ops-target.js';

/** Every command, in the order the help lists them. */
const COMMANDS: readonly OpsCommand[] = [
  statsCommand,
  showCommand,
  redriveCommand,
  purgeCommand,
  replayCommand,
];

// `list` was the DLQ tool's first command; it still works.
const ALIASES: Readonly<Record<string, string>> = { list: 'show' };

const find = (name: string): OpsCommand | undefined =>
  COMMANDS.find((c) => c.help.name === (ALIASES[name] ?? name));

/** The top-level help: commands, targets, DLQs. */
const topHelp = (): string =>
  [
    'usage: npm run ops -- <command> [options]      (npm run dlq -- ... is the same tool)',
    '',
    "The on-call tool for the connector's dead-letter queues: see, explain, fix, redrive.",
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.help.name.padEnd(9)}${c.help.summary}`),
    '  help     this list; `help <command>` or `<command> --help` for one command',
    '',
    'target (every command):',
    '  --stack <name> [--profile <p>] [--region <r>]   a deployed stack (queue URLs from its outputs)',
    '  (none) or --local-data <dir>                    the local stack `npm start` is running',
    '',
    'DLQs (--dlq):',
    ...DLQ_NAMES.map((d) => `  ${d.padEnd(11)}${DLQS[d].holds}`),
    '',
    'Runbook: docs/runbook.md. Exit codes: 0 done, 1 failed or left something, 2 wrong usage.',
    '',
  ].join('\n');

/** Runs the ops CLI with `argv` (after the script name); returns the process exit code. */
export const runOps = async (argv: readonly string[], io: OpsIo): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.out(topHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === 'help') {
    const command = rest[0] === undefined ? undefined : find(rest[0]);
    if (rest[0] !== undefined && !command) {
      io.err(`unknown command "${rest[0]}"\n\n${topHelp()}`);
      return 2;
    }
    io.out(command ? await captureHelp(command, io) : topHelp());
    return 0;
  }
  const command = find(name);
  if (!command) {
    io.err(`unknown command "${name}"\n\n${topHelp()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\nsee: npm run ops -- ${command.help.name} --help\n`);
      return 2;
    }
    if (error instanceof TargetError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    io.err(`${command.help.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
};

const captureHelp = async (command: OpsCommand, io: OpsIo): Promise<string> => {
  let text = '';
  await command.run(['--help'], { ...io, out: (t) => (text += t) });
  return text;
};
