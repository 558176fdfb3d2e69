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
        identifierStrategy: 'email',
        concurrency: { process: 20 },
        alarms: { email: 'file@brand.example' },
        stages: { prod: { concurrency: { deliver: 8 } }, dev: { identifierStrategy: 'customer_id' } },
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
      identifierStrategy: 'email',
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
    expect(config.shops).toEqual({
      'b.myshopify.com': { workspace: 'eu', customerIdPrefix: '', customDomains: [] },
    });
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
          shops: { 'shop.example': {}, 'b.myshopify.com': { phoneCountry: 'gb' } },
          existingWebhookSecretArn: 'my-secret',
          phoneDefaultCountries: { '*': 'US' },
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
      'phoneCountry',
      'existingWebhookSecretArn',
      'phoneDefaultCountries was removed: set shops.<shop>.phoneCountry',
    ]) {
      expect(message, where).toContain(where);
    }
  });

  it('validates the shops with the schema every function uses: keys normalized, defaults filled in', () => {
    // Prepare
    const shops = {
      'Demo.MyShopify.com.': {
        storefront: { publicKey: 'pk_demo_12345', origins: ['https://shop.demo.example'] },
        phoneCountry: 'GB',
      },
    };
    const parsed = {
      'demo.myshopify.com': {
        ...shops['Demo.MyShopify.com.'],
        workspace: 'default',
        customerIdPrefix: '',
        customDomains: [],
      },
    };

    // Act: an object in the config file, a JSON string on the command line (-c shops='{…}').
    const fromFile = resolveConnectorConfig({ file: { shops } });
    const fromCli = resolveConnectorConfig({ context: { shops: JSON.stringify(shops) } });

    // Assess
    expect(fromFile.shops).toEqual(parsed);
    expect(fromCli.shops).toEqual(parsed);
  });

  it('refuses a shop listed twice in two spellings, and a storefront origin the ingest Lambda would refuse', () => {
    // Act & Assess
    expect(() =>
      connectorConfig('dev', { shops: { 'a.myshopify.com': {}, 'A.myshopify.com.': {} } }),
    ).toThrow(/listed twice/);
    expect(() =>
      connectorConfig('dev', {
        shops: {
          'a.myshopify.com': { storefront: { publicKey: 'pk_a_12345678', origins: ['http://a.example'] } },
        },
      }),
    ).toThrow(/shops/);
  });

  it.each([
    ['customerIdPrefix', 'uk-', 'shops.<shop>.customerIdPrefix'],
    ['phoneDefaultCountries', { '*': 'US' }, 'shops.<shop>.phoneCountry'],
    ['storefrontShops', {}, 'shops.<shop>.storefront'],
  ])(
    'refuses the folded-in setting %s, naming the shops field that replaces it',
    (key, value, replacement) => {
      // Act & Assess
      expect(() => connectorConfig('dev', { [key]: value })).toThrow(
        `${key} was removed: set ${replacement}`,
      );
      expect(() => resolveConnectorConfig({ context: { [key]: JSON.stringify(value) } })).toThrow(
        replacement,
      );
    },
  );

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
      identifierStrategy: 'email',
      'alarms.email.extra': 'x',
      stage: 'prod',
      'aws:cdk:bundling-stacks': [],
    });

    // Assess
    expect(settings).toEqual({
      tracing: true,
      waf: { enabled: true, webhookRatePerIp: 5000 },
      identifierStrategy: 'email',
    });
  });
});
