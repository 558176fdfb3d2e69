import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(import.meta.dirname, '..', '..', '..');
const RUNTIME = path.join(ROOT, 'shared', 'runtime');

/**
 * Who may import the composition root: the root itself, the Lambda handlers and the local stack (they wire), the
 * bench (it drives the wired ingest like the local stack does) and tests (they test the wiring).
 */
const MAY_IMPORT_RUNTIME = ['shared/runtime/', 'lambdas/', 'scripts/', 'local/', 'bench/', 'test/'];
/** Trees whose TypeScript is checked. */
const SCANNED = ['shared', 'lambdas', 'local', 'cdk', 'scripts', 'bench', 'storefront'];

const typescriptFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`));

/** Every relative module a file names: static imports and re-exports (type-only too), and dynamic imports. */
const relativeSpecifiers = (source: string): string[] => [
  ...[...source.matchAll(/(?:import|export)\s[^;]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map(
    (m) => m[1] ?? '',
  ),
  ...[...source.matchAll(/import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? ''),
];

/** `file → imported runtime module` for every file outside the allowed trees that imports shared/runtime/. */
const runtimeImportsOutsideTheRoot = (files: readonly string[]): string[] =>
  files.flatMap((file) => {
    const relative = path.relative(ROOT, file).split(path.sep).join('/');
    if (MAY_IMPORT_RUNTIME.some((prefix) => relative.startsWith(prefix))) return [];
    return relativeSpecifiers(readFileSync(file, 'utf8'))
      .map((specifier) => path.resolve(path.dirname(file), specifier))
      .filter((target) => target === RUNTIME || target.startsWith(`${RUNTIME}${path.sep}`))
      .map((target) => `${relative} → ${path.relative(ROOT, target)}`);
  });

describe('the composition root (shared/runtime/)', () => {
  it('is imported by no concern: only the handlers, the command scripts, the local stack, the bench and tests wire', () => {
    // Prepare
    const files = SCANNED.flatMap((dir) => {
      try {
        return typescriptFiles(path.join(ROOT, dir));
      } catch {
        return [];
      }
    });

    // Act
    const offenders = runtimeImportsOutsideTheRoot(files);

    // Assess
    expect(files.length).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });

  it('finds an import of it, static, type-only or dynamic (the scan is not vacuous)', () => {
    // Prepare
    const source = [
      "import { a } from '../runtime/aws-clients.js';",
      "import type { StageContext } from '../runtime/process-stages.js';",
      "const m = await import('../runtime/wire-deliver.js');",
      "import { b } from '../cart/cart-store.js';",
    ].join('\n');

    // Act
    const targets = relativeSpecifiers(source).map((s) => path.resolve(path.join(ROOT, 'shared', 'cart'), s));

    // Assess
    expect(targets.filter((t) => t.startsWith(`${RUNTIME}${path.sep}`))).toHaveLength(3);
  });
});
