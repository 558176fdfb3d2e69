import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConnectorConfigError,
  connectorConfig,
  resolveConnectorConfig,
  settingsFromContext,
} from '../../../cdk/config/connector-config.js';

const EXAMPLE = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'connector.config.example.json'), 'utf8'),
) as unknown;

describe('resolveConnectorConfig', () => {
  it('gives prod safe defaults: alarms on, table kept and protected, DLQs kept 14 days, cart-check capped', () => {
    // Act
    const config = resolveConnectorConfig({ stage: 'prod' });

    // Assess
    expect(config).toMatchObject({
      stage: 'prod',
      alarms: { enabled: true, runbookUrl: 'docs/runbook.md' },
      table: { removalPolicy: 'retain', deletionProtection: true },
      dlqRetentionDays: 14,
      logRetentionDays: 30,
      concurrency: { process: 10, deliver: 5, cartCheckReserved: 10, ingestReserved: null },
      waf: { enabled: false },
      tracing: false,
      cartRecoveryStepsMinutes: [60, 1440],
      dedupeLeaseSeconds: 120,
    });
  });

  it('defaults to a cheap, destroyable dev stage', () => {
    // Act
    const config = resolveConnectorConfig({});

    // Assess
    expect(config).toMatchObject({
      stage: 'dev',
      alarms: { enabled: false },
      table: { removalPolicy: 'destroy', deletionProtection: false },
      logRetentionDays: 7,
      concurrency: { cartCheckReserved: null },
    });
  });

  it('layers stage defaults, the file, the file’s stage section and context, merging groups key by key', () => {
    // Act
    const config = resolveConnectorConfig({
      stage: 'prod',
      file: {
        customerIdPrefix: 'file-',
        concurrency: { process: 20 },
        alarms: { email: 'file@brand.example' },
        stages: { prod: { concurrency: { deliver: 8 } }, dev: { customerIdPrefix: 'never-' } },
      },
      context: {
        'alarms.email': 'oncall@brand.example',
        cioRegion: 'eu',
        cartRecoveryStepsMinutes: '[15,120]',
        'concurrency.cartCheckReserved': 'null',
        '@aws-cdk/core:someFeatureFlag': true,
      },
    });

    // Assess
    expect(config).toMatchObject({
      customerIdPrefix: 'file-',
      cioRegion: 'eu',
      cartRecoveryStepsMinutes: [15, 120],
      concurrency: { process: 20, deliver: 8, cartCheckReserved: null, ingestReserved: null },
      alarms: { enabled: true, email: 'oncall@brand.example', runbookUrl: 'docs/runbook.md' },
    });
  });

  it('replaces records such as shops whole instead of merging them', () => {
    // Act
    const config = resolveConnectorConfig({
      stage: 'dev',
      file: {
        shops: { 'a.myshopify.com': {} },
        stages: { dev: { shops: { 'b.myshopify.com': { workspace: 'eu' } } } },
      },
    });

    // Assess
    expect(config.shops).toEqual({ 'b.myshopify.com': { workspace: 'eu' } });
  });

  it('lists every problem at once, with where it is', () => {
    // Act
    const resolve = () =>
      resolveConnectorConfig({
        stage: 'staging',
        file: {
          cioRegion: 'ap',
          unknownSetting: 1,
          cartRecoveryStepsMinutes: [60, 30],
          concurrency: { process: 1 },
          alarms: { email: 'not-an-email' },
          logRetentionDays: 8,
          dlqRetentionDays: 3,
          shops: { 'Shop.MyShopify.com.': {} },
          existingWebhookSecretArn: 'my-secret',
        },
      });

    // Assess
    expect(resolve).toThrow(ConnectorConfigError);
    const message = (() => {
      try {
        resolve();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const where of [
      'stage',
      'cioRegion',
      'unknownSetting',
      'cartRecoveryStepsMinutes',
      'concurrency.process',
      'alarms.email',
      'logRetentionDays',
      'dlqRetentionDays',
      'shops',
      'existingWebhookSecretArn',
    ]) {
      expect(message, where).toContain(where);
    }
  });

  it('refuses a WAF-fronted custom domain whose certificate is not in us-east-1 (CloudFront’s Region)', () => {
    // Act & Assess
    expect(() =>
      connectorConfig('prod', {
        waf: { enabled: true },
        customDomain: {
          domainName: 'hooks.brand.example',
          certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
        },
      }),
    ).toThrow(/customDomain\.certificateArn/);
  });

  it('accepts the example config file for both stages', () => {
    // Act
    const prod = resolveConnectorConfig({ stage: 'prod', file: EXAMPLE });
    const dev = resolveConnectorConfig({ stage: 'dev', file: EXAMPLE });

    // Assess
    expect(prod.alarms.email).toBe('oncall@my-brand.example');
    expect(prod.logRetentionDays).toBe(90);
    expect(dev.cartRecoveryStepsMinutes).toEqual([5, 15]);
    expect(dev.alarms.email).toBeUndefined();
  });
});

describe('settingsFromContext', () => {
  it('takes known top-level keys and group fields, parses JSON values, and ignores everything else', () => {
    // Act
    const settings = settingsFromContext({
      tracing: 'true',
      'waf.enabled': 'true',
      'waf.webhookRatePerIp': '5000',
      customerIdPrefix: 'uk-',
      'alarms.email.extra': 'x',
      stage: 'prod',
      'aws:cdk:bundling-stacks': [],
    });

    // Assess
    expect(settings).toEqual({
      tracing: true,
      waf: { enabled: true, webhookRatePerIp: 5000 },
      customerIdPrefix: 'uk-',
    });
  });
});
