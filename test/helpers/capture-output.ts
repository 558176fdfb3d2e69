import { vi } from 'vitest';

/** What a test captured from the process's stdout and stderr (Powertools writes warnings and errors to stderr). */
export interface CapturedOutput {
  readonly chunks: string[];
  /** Everything written, as one string. */
  text(): string;
  restore(): void;
}

/** Captures (and silences) stdout and stderr until `restore`. */
export const captureOutput = (): CapturedOutput => {
  const chunks: string[] = [];
  const record = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(record),
    vi.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
  return {
    chunks,
    text: () => chunks.join(''),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
};
