import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { QA_SCENARIOS } from '../../shared/qa/qa-scenarios.js';

/** Runs `npm run qa` (the script itself, on this Node) and collects its output and exit status. */
const runQa = (args: readonly string[]): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/qa.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CIO_APP_API_KEY: '', QA_SHOPIFY_SECRET: '' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });

describe('npm run qa', () => {
  it('passes every scenario of the QA plan on a local stack, and exits 0', async () => {
    // Act
    const { code, output } = await runQa([]);

    // Assess
    expect(output).toContain(`${QA_SCENARIOS.length} passed, 0 failed, 0 to check by hand, 0 not run`);
    for (const scenario of QA_SCENARIOS)
      expect(output).toMatch(new RegExp(`PASS\\s+${scenario.title.replace(/[()]/g, '\\$&')}`));
    expect(output).toMatch(/person: qa\+r[0-9a-z]+-devices@example\.com/);
    expect(code).toBe(0);
  }, 120_000);

  it('against a deployed stack without secrets, runs nothing, says which variables to set, and exits 2', async () => {
    const { code, output } = await runQa([
      '--url',
      'http://127.0.0.1:9',
      '--shop',
      'qa-shop.myshopify.com',
      '--only',
      'profile,review',
    ]);
    expect(output).toContain('not run: set QA_SHOPIFY_SECRET\n');
    expect(output).toContain('not run: set QA_SHOPIFY_SECRET, QA_JUDGEME_SECRET\n');
    expect(code).toBe(2);
  }, 60_000);
});
