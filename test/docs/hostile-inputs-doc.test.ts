import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOSTILE_CASES } from '../hostile/catalogue.js';
import {
  HOSTILE_DOC,
  HOSTILE_DOC_COMMAND,
  renderHostileDoc,
  withoutTablePadding,
} from '../hostile/render-doc.js';

describe('docs/hostile-inputs.md', () => {
  it('is the catalogue as it stands', () => {
    // The committed page documents the CI seed, whatever HOSTILE_SEED a run explores.
    expect(
      withoutTablePadding(readFileSync(HOSTILE_DOC, 'utf8')),
      `${HOSTILE_DOC} is stale: run \`${HOSTILE_DOC_COMMAND}\``,
    ).toBe(withoutTablePadding(renderHostileDoc(HOSTILE_CASES, 8)));
  });

  it('lists every case once, with its status and where it ends', () => {
    const page = renderHostileDoc(HOSTILE_CASES, 8);
    for (const hostile of HOSTILE_CASES) {
      expect(page.split(`| \`${hostile.id}\` |`)).toHaveLength(2);
      expect(page).toContain(`| ${hostile.status} |`);
    }
  });
});
