import { describe, expect, it } from 'vitest';
import {
  CartCheckEnvSchema,
  DeliverEnvSchema,
  IngestEnvSchema,
  ProcessEnvSchema,
} from '../../shared/config/env.js';
import { ShopsConfigSchema } from '../../shared/config/shops.js';
import { ReconcileEnvSchema } from '../../shared/config/sync-env.js';
import { buildConnectorStack } from './helpers/connector-stacks.js';
import { nagFindings } from './helpers/test-app.js';

const HOUSE_VARIABLES = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE'];
// The only variables set to literal strings; anything secret must arrive as a reference (ARN).
const NON_SECRET_LITERALS = [
  'ACTIVITY_LOG',
  'ACTIVITY_RETENTION_DAYS',
  'SHOPIFY_ADMIN_API_VERSION',
  'RECHARGE_API_VERSION',
  'RECONCILE_OVERLAP_MINUTES',
  'RECONCILE_INITIAL_LOOKBACK_MINUTES',
  'RECONCILE_SHOPIFY_WEBHOOKS',
  'RECONCILE_RECHARGE_WEBHOOKS',
  'IDENTIFIER_STRATEGY',
  'CIO_REGION',
  'EVENT_NAME_OVERRIDES',
  'DELIVERY_INFLIGHT_SECONDS',
  'SCHEDULE_GROUP_NAME',
  'SHOPS',
  'DEDUPE_LEASE_SECONDS',
  'DEDUPE_RETENTION_DAYS',
  'CART_RECOVERY_STEPS_MINUTES',
  'CART_RETENTION_DAYS',
  'MAX_ATTEMPTS',
  'RETRY_BASE_SECONDS',
  'RETRY_MAX_SECONDS',
];
const EXISTING_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:connector-AbCdEf';
const EXISTING_DESTINATION_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:destination-AbCdEf';
const EXISTING_ADMIN_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf';
const SCHEMAS = {
  ingest: IngestEnvSchema,
  process: ProcessEnvSchema,
  deliver: DeliverEnvSchema,
  'cart-check': CartCheckEnvSchema,
  reconcile: ReconcileEnvSchema,
};

const prod = buildConnectorStack('prod');
const { template, variablesOf } = prod;

describe('ConnectorStack: functions and their environment', () => {
  it('runs every function on Node 24, arm64', () => {
    // Assess
    expect(Object.keys(prod.functions)).toHaveLength(5);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
  });

  it('gives each function only variables of its env schema, and no local-only ones', () => {
    // Assess
    for (const [service, schema] of Object.entries(SCHEMAS)) {
      const contract = Object.keys(variablesOf(service)).filter((name) => !HOUSE_VARIABLES.includes(name));
      expect(
        contract.filter((name) => !(name in schema.shape)),
        service,
      ).toEqual([]);
      expect(
        contract.filter((name) => name.startsWith('LOCAL_')),
        service,
      ).toEqual([]);
      expect(
        contract.filter((name) => name.endsWith('_ENDPOINT')),
        service,
      ).toEqual([]);
    }
  });

  it('passes the configured shops to every function, normalized and with their defaults', () => {
    // Prepare
    const shops = { 'UK.myshopify.com.': { phoneCountry: 'GB', workspace: 'eu' } };
    const configured = buildConnectorStack('dev', { shops });

    // Assess
    for (const service of ['ingest', 'process', 'deliver', 'cart-check']) {
      expect(configured.functionByService(service).Properties.Environment.Variables.SHOPS, service).toBe(
        JSON.stringify({
          'uk.myshopify.com': {
            phoneCountry: 'GB',
            workspace: 'eu',
            customerIdPrefix: '',
            customDomains: [],
          },
        }),
      );
    }
  });

  it('passes secrets by ARN only: no literal value in any Lambda environment', () => {
    // Assess
    for (const fn of Object.values(prod.functions)) {
      const literals = Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>)
        .filter(([name, value]) => typeof value === 'string' && !HOUSE_VARIABLES.includes(name))
        .map(([name]) => name);
      expect(literals.filter((name) => !NON_SECRET_LITERALS.includes(name))).toEqual([]);
    }
  });

  it('passes every runtime setting from the configuration to the functions that read it', () => {
    // Prepare
    const shops = { 'demo.myshopify.com': { phoneCountry: 'GB', workspace: 'eu', customerIdPrefix: 'uk-' } };
    const custom = buildConnectorStack('dev', {
      cioRegion: 'eu',
      identifierStrategy: 'email',
      eventNameOverrides: { 'Added to Cart': 'Product Added' },
      cartRecoveryStepsMinutes: [15, 120],
      cartRetentionDays: 10,
      dedupeLeaseSeconds: 90,
      dedupeRetentionDays: 7,
      shops,
      concurrency: { process: 20, deliver: 3, cartCheckReserved: 4, ingestReserved: 25 },
      logRetentionDays: 14,
      tracing: true,
    });
    const vars = (service: string) => custom.functionByService(service).Properties.Environment.Variables;

    // Assess
    expect(vars('deliver')).toMatchObject({
      CIO_REGION: 'eu',
      EVENT_NAME_OVERRIDES: '{"Added to Cart":"Product Added"}',
    });
    for (const service of ['process', 'cart-check']) {
      expect(vars(service), service).toMatchObject({
        IDENTIFIER_STRATEGY: 'email',
        CART_RECOVERY_STEPS_MINUTES: '15,120',
        CART_RETENTION_DAYS: '10',
      });
    }
    expect(vars('process')).toMatchObject({
      DEDUPE_LEASE_SECONDS: '90',
      DEDUPE_RETENTION_DAYS: '7',
    });
    for (const service of ['ingest', 'process', 'deliver', 'cart-check']) {
      expect(vars(service).SHOPS, service).toBe(JSON.stringify(ShopsConfigSchema.parse(shops)));
      expect(custom.functionByService(service).Properties.TracingConfig, service).toEqual({ Mode: 'Active' });
    }
    const concurrency = Object.values(custom.template.findResources('AWS::Lambda::EventSourceMapping')).map(
      (mapping) => mapping.Properties.ScalingConfig.MaximumConcurrency,
    );
    expect(concurrency.sort()).toEqual([20, 3]);
    expect(custom.functionByService('cart-check').Properties.ReservedConcurrentExecutions).toBe(4);
    expect(custom.functionByService('ingest').Properties.ReservedConcurrentExecutions).toBe(25);
    custom.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    expect(nagFindings(custom.stack)).toEqual([]);
  });

  it('uses existing secrets when given their complete ARNs, creating none', () => {
    // Act
    const custom = buildConnectorStack('dev', {
      existingWebhookSecretArn: EXISTING_ARN,
      existingDestinationSecretArn: EXISTING_DESTINATION_ARN,
      existingAdminSecretArn: EXISTING_ADMIN_ARN,
    });

    // Assess
    custom.template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(custom.functionByService('ingest').Properties.Environment.Variables.WEBHOOK_SECRETS_ARN).toBe(
      EXISTING_ARN,
    );
    expect(custom.functionByService('deliver').Properties.Environment.Variables.DESTINATION_SECRETS_ARN).toBe(
      EXISTING_DESTINATION_ARN,
    );
    expect(custom.functionByService('reconcile').Properties.Environment.Variables.ADMIN_SECRETS_ARN).toBe(
      EXISTING_ADMIN_ARN,
    );
    expect(nagFindings(custom.stack)).toEqual([]);
  });
});
