import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { configureConnectorApp } from '../../cdk/connector-app.js';
import { FEATURE_FLAGS } from './helpers/test-app.js';

const outdir = mkdtempSync(path.join(tmpdir(), 'connector-synth-'));

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(outdir, { recursive: true, force: true });
});

describe('configureConnectorApp', () => {
  // The one synth with bundling and the built-in CloudFormation validation on, as `cdk synth` runs them. Each
  // function's bundling spawns `npx esbuild` (about 1 s idle, several under load), hence the longer timeout.
  it('synthesizes cleanly with local esbuild bundling, never Docker', { timeout: 120_000 }, () => {
    // Prepare
    vi.stubEnv('CDK_DOCKER', 'docker-is-not-used-here');
    const app = new App({ outdir, context: FEATURE_FLAGS });

    // Act
    const stack = configureConnectorApp(app);
    app.synth();

    // Assess
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
    const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(4);
    for (const fn of functions) {
      const assetDir = path.join(outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
      const code = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire } from 'node:module';")).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
      expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(statSync(path.join(assetDir, 'index.mjs.map')).size).toBeGreaterThan(0);
      expect(code.length).toBeLessThan(2_000_000);
    }
  });
});
