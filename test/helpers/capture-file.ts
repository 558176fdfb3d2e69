import { readFileSync } from 'node:fs';
import { type CapturedCall, CapturedCallSchema } from '../../shared/journeys/capture-people.js';

/** The requests the local Customer.io capture appended to its `.jsonl` file, in arrival order. */
export const readCaptureFile = (path: string): CapturedCall[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => CapturedCallSchema.parse(JSON.parse(line)));
