import { parseArgs } from 'node:util';

/** One option of a command: its type, placeholder and help line (the help text is generated from these). */
interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** Placeholder in the help, e.g. `<name>`. */
  readonly value?: string;
  readonly help: string;
}

/** The options of a command. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Values parsed from the command line, typed after the specs. */
type ParsedOptions<O extends OptionSpecs> = {
  -readonly [K in keyof O]?: O[K]['type'] extends 'boolean'
    ? boolean
    : O[K]['multiple'] extends true
      ? string[]
      : string;
};

/** A command's description for `--help`. */
export interface CommandHelp {
  readonly name: string;
  /** One line, for the command list. */
  readonly summary: string;
  readonly usage: string;
  /** Paragraphs after the usage line. */
  readonly description: string;
  readonly examples: readonly string[];
}

/** Wrong usage: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Options every command takes: where it works. */
export const TARGET_OPTIONS = {
  stack: { type: 'string', value: '<name>', help: 'a deployed stack: queue URLs come from its outputs' },
  profile: { type: 'string', value: '<profile>', help: 'AWS profile (with --stack)' },
  region: { type: 'string', value: '<region>', help: 'AWS region (with --stack)' },
  'local-data': {
    type: 'string',
    value: '<dir>',
    help: 'the local stack of this data folder (default LOCAL_DATA_DIR or .local-data)',
  },
  help: { type: 'boolean', help: 'this help' },
} as const satisfies OptionSpecs;

/** Parses `argv` strictly against the specs: unknown options and missing values are usage errors. */
export const parseOptions = <O extends OptionSpecs>(command: string, specs: O, argv: readonly string[]) => {
  const config = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      {
        type: spec.type,
        ...(spec.multiple ? { multiple: true } : {}),
        ...(name === 'help' ? { short: 'h' } : {}),
      },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: config,
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0 && !values.help) {
      throw new UsageError(`unexpected argument "${positionals[0]}" for ${command}`);
    }
    return values as ParsedOptions<O>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const option = /'(-[^']+)'/.exec((error as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`unknown option ${option} for ${command}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(
        `option ${option?.split(' ')[0] ?? ''} of ${command} needs a value`.replace(/\s+/g, ' '),
      );
    }
    throw new UsageError((error as Error).message);
  }
};

/** A positive whole number from an option, or the default. */
export const positiveInt = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a whole number ≥ 1, not "${value}"`);
  return n;
};

/** The help text of a command, generated from its specs so it never drifts from what is parsed. */
export const renderHelp = (help: CommandHelp, specs: OptionSpecs): string => {
  const rows = Object.entries(specs).map(([name, spec]) => {
    // A repeatable option is repeated whole (`--id a --id b`), never followed by several values.
    const flag = `${name === 'help' ? '-h, ' : ''}--${name}${spec.value ? ` ${spec.value}` : ''}${spec.multiple ? ' (repeatable)' : ''}`;
    return [flag, spec.help] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return [
    `usage: npm run ops -- ${help.usage}`,
    '',
    help.description,
    '',
    'options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
    ...(help.examples.length > 0 ? ['', 'examples:', ...help.examples.map((e) => `  ${e}`)] : []),
    '',
  ].join('\n');
};
