import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The published sample payloads, copied into the repository (provenance in samples/SOURCES.md). */
const SAMPLES_DIR = resolve(import.meta.dirname, '..', 'fixtures', 'samples');

/** Raw text of a sample, by its path under test/fixtures/samples (e.g. `shopify/orders-create.json`). */
export const readSample = (relativePath: string): string =>
  readFileSync(resolve(SAMPLES_DIR, relativePath), 'utf8');
