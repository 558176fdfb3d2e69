import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptionsOf } from '../../../bench/cold-start/bundle.js';
import { CONNECTOR_BUNDLING } from '../../../cdk/constructs/connector-function.js';

/**
 * The bundling leaves modules out that the AWS SDK only imports lazily, on paths a Lambda never takes. This builds
 * the four clients the functions use exactly that way, outside the repository (so nothing left out can be found
 * in node_modules), and checks that the bundle loads and that every client still finds the credentials Lambda
 * puts in the environment.
 */
const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const ENTRY = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
const clients = [DynamoDBClient, SchedulerClient, SecretsManagerClient, SQSClient].map((C) => new C({ region: 'us-east-1' }));
const keys = await Promise.all(clients.map(async (c) => (await c.config.credentials()).accessKeyId));
process.stdout.write(JSON.stringify(keys));
`;

describe('CONNECTOR_BUNDLING', () => {
  let dir = '';
  let bundle = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'connector-bundling-'));
    bundle = join(dir, 'index.mjs');
    await build({
      ...esbuildOptionsOf(CONNECTOR_BUNDLING),
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts', sourcefile: 'sdk-clients.ts' },
      outfile: bundle,
      logLevel: 'silent',
    });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bundles the SDK without the lazily imported credential providers and event-stream codec', () => {
    const code = readFileSync(bundle, 'utf8');
    for (const left of CONNECTOR_BUNDLING.externalModules) {
      expect(code.includes(`import("${left}")`), `${left} imported lazily`).toBe(true);
      expect(code.includes(`from"${left}"`), `${left} never imported statically`).toBe(false);
    }
  });

  it('loads outside the repository and resolves credentials from the environment in every client', () => {
    const child = spawnSync(process.execPath, [bundle], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_ACCESS_KEY_ID: 'ASIABUNDLINGTEST0001',
        AWS_SECRET_ACCESS_KEY: 'bundling-test-secret',
        AWS_SESSION_TOKEN: 'bundling-test-token',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual(Array(4).fill('ASIABUNDLINGTEST0001'));
  });
});
