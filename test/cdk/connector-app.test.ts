import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { configureConnectorApp } from '../../cdk/connector-app.js';
import { createTestApp, FEATURE_FLAGS } from './helpers/test-app.js';

const outdir = mkdtempSync(path.join(tmpdir(), 'connector-synth-'));
const configDir = mkdtempSync(path.join(tmpdir(), 'connector-config-'));

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(outdir, { recursive: true, force: true });
  rmSync(configDir, { recursive: true, force: true });
});

/** A test app (bundling skipped) with extra context. */
const appWith = (context: Record<string, unknown>): App => {
  const app = createTestApp();
  for (const [key, value] of Object.entries(context)) app.node.setContext(key, value);
  return app;
};

describe('configureConnectorApp', () => {
  // The one synth with bundling and the built-in CloudFormation validation on, as `cdk synth` runs them. Each
  // function's bundling spawns `npx esbuild` (about 1 s idle, several under load), hence the longer timeout.
  it('synthesizes the prod stage cleanly with local esbuild bundling, never Docker', {
    timeout: 120_000,
  }, () => {
    // Prepare
    vi.stubEnv('CDK_DOCKER', 'docker-is-not-used-here');
    // Configured as docs/deploy.md says a prod deploy is: someone is paged, and alarm emails link the runbook.
    const app = new App({
      outdir,
      context: {
        ...FEATURE_FLAGS,
        stage: 'prod',
        'alarms.email': 'oncall@brand.example',
        'alarms.runbookUrl': 'https://github.com/brand/connector/blob/main/docs/runbook.md',
      },
    });

    // Act
    const stack = configureConnectorApp(app, configDir);
    app.synth();

    // Assess
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
    const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(5);
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

  it('names one stack per stage, so dev and prod live side by side, and protects prod from deletion', () => {
    // Act
    const dev = configureConnectorApp(appWith({}), configDir);
    const prod = configureConnectorApp(appWith({ stage: 'prod' }), configDir);

    // Assess
    expect(dev.stackName).toBe('CommerceWebhookConnector-dev');
    expect(prod.stackName).toBe('CommerceWebhookConnector-prod');
    expect(dev.terminationProtection).toBe(false);
    expect(prod.terminationProtection).toBe(true);
    expect(prod.tags.tagValues()).toEqual({ app: 'commerce-webhook-connector', stage: 'prod' });
  });

  it('reads connector.config.json from the project directory, with context taking precedence', () => {
    // Prepare
    const dir = mkdtempSync(path.join(configDir, 'project-'));
    writeFileSync(
      path.join(dir, 'connector.config.json'),
      JSON.stringify({
        cioRegion: 'eu',
        shops: { 'uk.myshopify.com': { customerIdPrefix: 'file-' } },
        stages: { dev: { tags: { team: 'growth' } } },
      }),
    );

    // Act
    const stack = configureConnectorApp(
      appWith({ shops: JSON.stringify({ 'uk.myshopify.com': { customerIdPrefix: 'ctx-' } }) }),
      dir,
    );

    // Assess
    const template = Template.fromStack(stack);
    const vars = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (fn) => fn.Properties.Environment.Variables,
    );
    expect(vars).toContainEqual(expect.objectContaining({ CIO_REGION: 'eu' }));
    expect(vars).toContainEqual(
      expect.objectContaining({
        SHOPS: JSON.stringify({
          'uk.myshopify.com': { workspace: 'default', customerIdPrefix: 'ctx-', customDomains: [] },
        }),
      }),
    );
    expect(stack.tags.tagValues()).toMatchObject({ team: 'growth' });
  });

  it('refuses a missing or malformed named config file, and the retired single-secret setting', () => {
    // Prepare
    const broken = path.join(configDir, 'broken.json');
    writeFileSync(broken, '{ not json');

    // Act & Assess
    expect(() => configureConnectorApp(appWith({ config: 'nope.json' }), configDir)).toThrow(
      /does not exist/,
    );
    expect(() => configureConnectorApp(appWith({ config: broken }), configDir)).toThrow(/not valid JSON/);
    expect(() =>
      configureConnectorApp(
        appWith({ existingSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf' }),
        configDir,
      ),
    ).toThrow(/existingWebhookSecretArn/);
  });
});
