import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { HOSTILE_CASES, HOSTILE_SEED } from '../test/hostile/catalogue.js';
import { HOSTILE_DOC, renderHostileDoc } from '../test/hostile/render-doc.js';

/** Writes docs/hostile-inputs.md from the hostile-input catalogue, formatted as `npm run lint` wants it. */
writeFileSync(HOSTILE_DOC, renderHostileDoc(HOSTILE_CASES, HOSTILE_SEED));
spawnSync('npx', ['biome', 'format', '--write', HOSTILE_DOC], { stdio: 'inherit' });
process.stdout.write(`wrote ${HOSTILE_DOC} (${HOSTILE_CASES.length} cases)\n`);
