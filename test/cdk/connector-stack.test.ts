import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  CartCheckEnvSchema,
  DeliverEnvSchema,
  IngestEnvSchema,
  ProcessEnvSchema,
} from '../../shared/config/env.js';
import { ShopsConfigSchema } from '../../shared/config/shops.js';
import { ReconcileEnvSchema } from '../../shared/config/sync-env.js';
import { actionsOf, buildConnectorStack, resourcesOf } from './helpers/connector-stacks.js';
import { acknowledgements, nagFindings } from './helpers/test-app.js';

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
// Resource types CloudFormation cannot tag.
const UNTAGGABLE = new Set([
  'AWS::SQS::QueuePolicy',
  'AWS::IAM::Policy',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::ApiMapping',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::CDK::Metadata',
]);

const prod = buildConnectorStack('prod');
const { template, functionByService, statementsOf } = prod;
const queues = template.findResources('AWS::SQS::Queue');
const queueId = (prefix: string): string => {
  const id = Object.keys(queues).find((key) => key.startsWith(prefix));
  if (id === undefined) throw new Error(`no queue ${prefix}`);
  return id;
};
const ref = (prefix: string) => ({ Ref: queueId(prefix) });
const arn = (prefix: string) => JSON.stringify({ 'Fn::GetAtt': [queueId(prefix), 'Arn'] });
const variablesOf = (service: string) =>
  functionByService(service).Properties.Environment.Variables as Record<string, unknown>;
const statementsWith = (service: string, action: string) =>
  statementsOf(service).filter((statement) => actionsOf(statement).includes(action));

describe('ConnectorStack', () => {
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

  it('gives process and deliver their retry budget, own queue and DLQ (CONTRACTS.md), cart-check its DLQs', () => {
    // Assess
    expect(variablesOf('process')).toMatchObject({
      MAX_ATTEMPTS: '15',
      RETRY_BASE_SECONDS: '30',
      RETRY_MAX_SECONDS: '900',
      SOURCE_QUEUE_URL: ref('InboxQueue'),
      INBOX_DLQ_URL: ref('InboxDlq'),
      OUTBOX_QUEUE_URL: ref('OutboxQueue'),
    });
    expect(variablesOf('deliver')).toMatchObject({
      MAX_ATTEMPTS: '20',
      RETRY_BASE_SECONDS: '30',
      RETRY_MAX_SECONDS: '1800',
      SOURCE_QUEUE_URL: ref('OutboxQueue'),
      OUTBOX_DLQ_URL: ref('OutboxDlq'),
    });
    expect(variablesOf('cart-check')).toMatchObject({
      CART_CHECK_DLQ_URL: ref('CartRecoveryCartCheckDlq'),
      SCHEDULER_DLQ_ARN: { 'Fn::GetAtt': [queueId('CartRecoverySchedulerDlq'), 'Arn'] },
    });
    expect(variablesOf('process').SCHEDULER_DLQ_ARN).toEqual(variablesOf('cart-check').SCHEDULER_DLQ_ARN);
  });

  it('redrives after the worker budget plus three (inbox 18, outbox 23), keeping queues 4 days and DLQs 14', () => {
    // Assess
    expect(queues[queueId('InboxQueue')]?.Properties).toMatchObject({
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [queueId('InboxDlq'), 'Arn'] },
        maxReceiveCount: 18,
      },
      MessageRetentionPeriod: 4 * 86_400,
    });
    expect(queues[queueId('OutboxQueue')]?.Properties).toMatchObject({
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [queueId('OutboxDlq'), 'Arn'] },
        maxReceiveCount: 23,
      },
      MessageRetentionPeriod: 4 * 86_400,
    });
    for (const dlq of ['InboxDlq', 'OutboxDlq', 'CartRecoveryCartCheckDlq', 'CartRecoverySchedulerDlq']) {
      expect(queues[queueId(dlq)]?.Properties.MessageRetentionPeriod, dlq).toBe(14 * 86_400);
    }
    expect(Object.keys(queues)).toHaveLength(6);
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

  it('keeps each queue invisible for at least six timeouts of its consumer', () => {
    // Assess
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) {
      const queue = queues[mapping.Properties.EventSourceArn['Fn::GetAtt'][0]];
      const consumer = prod.functions[mapping.Properties.FunctionName.Ref];
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * consumer?.Properties.Timeout);
    }
  });

  describe('least privilege', () => {
    it('keeps three secrets: ingest reads only the webhook secret, deliver the destination, reconcile the Admin API one', () => {
      // Assess
      template.resourceCountIs('AWS::SecretsManager::Secret', 3);
      const secretReaders = (service: string) =>
        statementsWith(service, 'secretsmanager:GetSecretValue').flatMap(resourcesOf);
      expect(secretReaders('ingest')).toEqual([expect.stringMatching(/"Ref":"WebhookSecret/)]);
      expect(secretReaders('deliver')).toEqual([expect.stringMatching(/"Ref":"DestinationSecret/)]);
      expect(secretReaders('reconcile')).toEqual([expect.stringMatching(/"Ref":"AdminSecret/)]);
      expect(variablesOf('reconcile').ADMIN_SECRETS_ARN).toEqual({
        Ref: expect.stringMatching(/^AdminSecret/),
      });
      for (const service of ['ingest', 'process', 'deliver', 'cart-check', 'reconcile']) {
        const actions = statementsOf(service).flatMap(actionsOf);
        expect(
          actions.filter(
            (action) => action.startsWith('secretsmanager:') && action !== 'secretsmanager:GetSecretValue',
          ),
        ).toEqual([]);
      }
      expect(secretReaders('process')).toEqual([]);
      expect(secretReaders('cart-check')).toEqual([]);
      expect(variablesOf('ingest').WEBHOOK_SECRETS_ARN).toEqual({
        Ref: expect.stringMatching(/^WebhookSecret/),
      });
      expect(variablesOf('deliver').DESTINATION_SECRETS_ARN).toEqual({
        Ref: expect.stringMatching(/^DestinationSecret/),
      });
      expect(variablesOf('ingest').DESTINATION_SECRETS_ARN).toBeUndefined();
      expect(variablesOf('deliver').WEBHOOK_SECRETS_ARN).toBeUndefined();
    });

    it('grants only the DynamoDB actions each function sends, Query on gsi1 by name, no wildcard', () => {
      // Assess
      const dynamo = (service: string) =>
        statementsOf(service)
          .filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')))
          .map((statement) => ({ actions: actionsOf(statement).sort(), resources: resourcesOf(statement) }));
      const table = JSON.stringify({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      expect(dynamo('process')).toEqual([
        {
          actions: [
            'dynamodb:BatchGetItem',
            'dynamodb:DeleteItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:UpdateItem',
          ],
          resources: [expect.stringMatching(/^\{"Fn::GetAtt":\["Table\w+","Arn"\]\}$/)],
        },
        { actions: ['dynamodb:Query'], resources: [expect.stringMatching(/\/index\/gsi1"\]\]\}$/)] },
      ]);
      expect(dynamo('cart-check')).toEqual([
        {
          actions: [
            'dynamodb:BatchGetItem',
            'dynamodb:DeleteItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
          ],
          resources: [expect.stringMatching(/^\{"Fn::GetAtt":\["Table\w+","Arn"\]\}$/)],
        },
      ]);
      expect(dynamo('ingest')).toEqual([]);
      // Identify ordering: claim an identify's version (UpdateItem), read versions when a claim loses (GetItem);
      // the activity record (on by default) adds PutItem.
      expect(dynamo('deliver')).toEqual([
        {
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          resources: [expect.stringMatching(/^\{"Fn::GetAtt":\["Table\w+","Arn"\]\}$/)],
        },
      ]);
      expect(table).toBeDefined();
    });

    it('lets each consumer back off (ChangeMessageVisibility) and park (SendMessage) only on its own queues', () => {
      // Assess
      const on = (service: string, action: string) =>
        statementsWith(service, action).flatMap(resourcesOf).sort();
      expect(on('process', 'sqs:ChangeMessageVisibility')).toEqual([arn('InboxQueue')]);
      expect(on('deliver', 'sqs:ChangeMessageVisibility')).toEqual([arn('OutboxQueue')]);
      expect(on('ingest', 'sqs:ChangeMessageVisibility')).toEqual([]);
      expect(on('cart-check', 'sqs:ChangeMessageVisibility')).toEqual([]);
      expect(on('process', 'sqs:SendMessage')).toEqual([arn('InboxDlq'), arn('OutboxQueue')].sort());
      expect(on('deliver', 'sqs:SendMessage')).toEqual([arn('OutboxDlq')]);
      expect(on('cart-check', 'sqs:SendMessage')).toEqual(
        [arn('CartRecoveryCartCheckDlq'), arn('OutboxQueue')].sort(),
      );
      expect(on('ingest', 'sqs:SendMessage')).toEqual([arn('InboxQueue')]);
    });

    it('passes the scheduler role to EventBridge Scheduler only, and the role trusts only this schedule group', () => {
      // Assess
      for (const service of ['process', 'cart-check']) {
        expect(statementsWith(service, 'iam:PassRole'), service).toEqual([
          expect.objectContaining({
            Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
            Resource: { 'Fn::GetAtt': [expect.stringMatching(/^CartRecoverySchedulerRole/), 'Arn'] },
          }),
        ]);
        expect(
          statementsWith(service, 'scheduler:CreateSchedule').flatMap(actionsOf).sort(),
          service,
        ).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
      }
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: {
                StringEquals: {
                  'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                  'aws:SourceArn': {
                    'Fn::GetAtt': [Match.stringLikeRegexp('^CartRecoveryScheduleGroup'), 'Arn'],
                  },
                },
              },
            }),
          ],
        },
      });
    });

    it('has no wildcard action anywhere, and no resource wildcard but the schedule group', () => {
      // Assess
      for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          expect(actionsOf(statement).filter((action) => action.endsWith('*'))).toEqual([]);
          for (const resource of resourcesOf(statement)) {
            if (resource.includes('*')) expect(resource).toMatch(/:schedule\/[\w-]+\/\*"/);
          }
        }
      }
    });
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

  it('outputs the URLs, queues, DLQs, secrets, table, alarm topic and dashboard an operator needs', () => {
    // Assess
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual([
      'AdminSecretArn',
      'AlarmTopicArn',
      'ApiUrl',
      'CartCheckDlqUrl',
      'CollectUrl',
      'DashboardName',
      'DestinationSecretArn',
      'InboxDlqUrl',
      'InboxQueueUrl',
      'OutboxDlqUrl',
      'OutboxQueueUrl',
      'SchedulerDlqUrl',
      'TableName',
      'WebhookSecretArn',
      'WebhookUrlJudgeme',
      'WebhookUrlOkendo',
      'WebhookUrlRecharge',
      'WebhookUrlShopify',
      'WebhookUrlStamped',
      'WebhookUrlYotpo',
    ]);
  });

  it('throttles each route on its own, the public beacon route lower than the webhooks', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: {
        'POST /webhooks/{source}': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        'POST /webhooks/{source}/{token}': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        'ANY /collect': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      },
    });
  });

  describe('stages', () => {
    const dev = buildConnectorStack('dev');

    it('prod keeps the table (deletion protection, RETAIN) and pages people; dev can be destroyed and is quiet', () => {
      // Assess
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
      });
      template.resourceCountIs('AWS::CloudWatch::Alarm', 25);
      dev.template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] }),
      });
      dev.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      dev.template.resourceCountIs('AWS::SNS::Topic', 0);
      dev.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });

    it('keeps logs 30 days in prod, 7 in dev, and caps cart-check in prod only', () => {
      // Assess
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
      dev.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
      expect(prod.functionByService('cart-check').Properties.ReservedConcurrentExecutions).toBe(10);
      expect(dev.functionByService('cart-check').Properties.ReservedConcurrentExecutions).toBeUndefined();
    });

    it('tags every taggable resource with the app and the stage', () => {
      // Assess
      for (const [stage, built] of [
        ['prod', prod],
        ['dev', dev],
      ] as const) {
        const resources = built.template.toJSON().Resources as Record<
          string,
          { Type: string; Properties: { Tags?: unknown; Replicas?: { Tags: unknown }[] } }
        >;
        for (const [id, resource] of Object.entries(resources)) {
          if (UNTAGGABLE.has(resource.Type)) continue;
          const tags =
            resource.Type === 'AWS::DynamoDB::GlobalTable'
              ? resource.Properties.Replicas?.[0]?.Tags
              : resource.Properties.Tags;
          const asMap = Array.isArray(tags)
            ? Object.fromEntries(tags.map((tag: { Key: string; Value: string }) => [tag.Key, tag.Value]))
            : tags;
          expect(asMap, `${id} (${resource.Type})`).toMatchObject({
            app: 'commerce-webhook-connector',
            stage,
          });
        }
      }
    });

    it('leaves no cdk-nag AwsSolutions finding unacknowledged in either stage', () => {
      // Assess
      expect(nagFindings(prod.stack)).toEqual([]);
      expect(nagFindings(dev.stack)).toEqual([]);
    });
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

  it('serves the API under a custom domain, and points the webhook URLs at it', () => {
    // Prepare
    const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123';
    const custom = buildConnectorStack('prod', {
      customDomain: { domainName: 'hooks.brand.example', certificateArn },
    });

    // Assess
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'hooks.brand.example',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: certificateArn })],
    });
    custom.template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    expect(custom.template.findOutputs('WebhookUrlShopify').WebhookUrlShopify?.Value).toBe(
      'https://hooks.brand.example/webhooks/shopify',
    );
    expect(custom.template.findOutputs('CustomDomainTarget').CustomDomainTarget).toBeDefined();
    expect(nagFindings(custom.stack)).toEqual([]);
  });

  it('acknowledges findings only on single resources, never the whole stack, always with a reason', () => {
    // Act
    const found = acknowledgements(prod.stack);

    // Assess
    const listed = found.map(({ path, id }) =>
      `${id} at ${path}`.replace(/ScheduleGroup-\w+/, 'ScheduleGroup-*'),
    );
    const schedules = 'arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule';
    expect(listed.sort()).toEqual([
      'AwsSolutions-APIG4 at Connector/Ingress/Api/ANY--collect',
      'AwsSolutions-APIG4 at Connector/Ingress/Api/POST--webhooks--{source}',
      'AwsSolutions-APIG4 at Connector/Ingress/Api/POST--webhooks--{source}--{token}',
      `AwsSolutions-IAM5[Resource::${schedules}/Connector-CartRecovery-ScheduleGroup-*/*] at Connector/CartRecovery/CartCheck/Role`,
      `AwsSolutions-IAM5[Resource::${schedules}/Connector-CartRecovery-ScheduleGroup-*/*] at Connector/Process/Role`,
      'AwsSolutions-SMG4 at Connector/AdminSecret/Secret',
      'AwsSolutions-SMG4 at Connector/DestinationSecret/Secret',
      'AwsSolutions-SMG4 at Connector/WebhookSecret/Secret',
      'AwsSolutions-SNS2 at Connector/AlarmTopic/Topic',
      'AwsSolutions-SQS3 at Connector/CartRecovery/CartCheckDlq/Queue',
      'AwsSolutions-SQS3 at Connector/CartRecovery/SchedulerDlq/Queue',
    ]);
    for (const { reason } of found) {
      expect(reason.length).toBeGreaterThan(40);
    }
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
