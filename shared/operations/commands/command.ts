import type { CommandHelp, OptionSpecs } from '../cli-args.js';
import { UsageError } from '../cli-args.js';
import type { DeadLetter } from '../dead-letter.js';
import { matchesId } from '../dead-letter.js';
import { DLQ_NAMES, type DlqName, isDlqName } from '../dead-letter-queues.js';
import type { OpsTarget, TargetOptions } from '../ops-target.js';

/** The terminal the CLI talks to (tests pass their own). */
export interface OpsIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether a person is at the keyboard (confirmation prompts). */
  readonly interactive: boolean;
  readonly ask: (question: string) => Promise<string>;
  readonly now: () => Date;
  /** Finds the target (tests and the entry use {@link resolveTarget}). */
  readonly target: (options: TargetOptions) => Promise<OpsTarget>;
  /** Milliseconds between move-task polls. */
  readonly pollMs?: number;
}

/** One ops command: its help, options and what it does. */
export interface OpsCommand {
  readonly help: CommandHelp;
  readonly options: OptionSpecs;
  /** Runs with the raw arguments after the command name; returns the exit code. */
  run(argv: readonly string[], io: OpsIo): Promise<number>;
}

/** `--dlq` values: the named DLQs, or every one when none is named. */
export const dlqsOf = (values: readonly string[] | undefined, all = true): DlqName[] => {
  if (!values || values.length === 0) {
    if (all) return [...DLQ_NAMES];
    throw new UsageError(`--dlq is required: one of ${DLQ_NAMES.join(', ')}`);
  }
  return values.map((v) => {
    if (!isDlqName(v)) throw new UsageError(`unknown DLQ "${v}": one of ${DLQ_NAMES.join(', ')}`);
    return v;
  });
};

/** Exactly one `--dlq` (for the commands that change a queue). */
export const oneDlq = (values: readonly string[] | undefined): DlqName => {
  const dlqs = dlqsOf(values, false);
  if (dlqs.length !== 1) throw new UsageError('name exactly one --dlq for this command');
  return dlqs[0] as DlqName;
};

/** The options that pick dead letters: which DLQ, and the `--code` / `--id` filter (redrive and purge). */
export const SELECTION_OPTIONS = {
  dlq: {
    type: 'string',
    multiple: true,
    value: '<name>',
    help: 'inbox, outbox, cart-check or scheduler (required)',
  },
  code: {
    type: 'string',
    multiple: true,
    value: '<failure_code>',
    help: 'only messages with this failure code',
  },
  id: {
    type: 'string',
    multiple: true,
    value: '<id>',
    help: 'only this message (SQS message id or delivery id)',
  },
} as const satisfies OptionSpecs;

/** The `--code` / `--id` filter; undefined when neither is given. */
export const selectorOf = (
  codes: readonly string[] | undefined,
  ids: readonly string[] | undefined,
): ((letter: DeadLetter) => boolean) | undefined => {
  if ((!codes || codes.length === 0) && (!ids || ids.length === 0)) return undefined;
  return (letter) =>
    (!codes || codes.length === 0 || codes.includes(letter.failure.code)) &&
    (!ids || ids.length === 0 || matchesId(letter, ids));
};

/** Target options out of parsed values. */
export const targetOptionsOf = (values: {
  stack?: string;
  profile?: string;
  region?: string;
  'local-data'?: string;
}): TargetOptions => ({
  stack: values.stack,
  profile: values.profile,
  region: values.region,
  localData: values['local-data'],
});

/** Runs `work` against the target and always closes its clients. */
export const withTarget = async <T>(
  io: OpsIo,
  values: Parameters<typeof targetOptionsOf>[0],
  work: (target: OpsTarget) => Promise<T>,
): Promise<T> => {
  const target = await io.target(targetOptionsOf(values));
  try {
    return await work(target);
  } finally {
    target.close();
  }
};
