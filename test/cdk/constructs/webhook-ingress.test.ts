import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ConnectorSecret } from '../../../cdk/constructs/connector-secret.js';
import { WebhookIngress } from '../../../cdk/constructs/webhook-ingress.js';
import { type ShopsConfig, ShopsConfigSchema } from '../../../shared/config/shops.js';
import { createTestApp, FIXTURE_ENTRY, nagFindings } from '../helpers/test-app.js';

const SHOPS = ShopsConfigSchema.parse({
  'demo.myshopify.com': {
    storefront: { publicKey: 'pk_demo_12345', origins: ['https://shop.demo.example'] },
  },
});

const build = (shops?: ShopsConfig) => {
  const stack = new Stack(createTestApp(), 'Test');
  const inbox = new Queue(stack, 'Inbox');
  const webhookSecret = new ConnectorSecret(stack, 'Secret', {
    description: 'webhook verification secrets',
    initialValue: { shops: {} },
    existingSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:connector-AbCdEf',
  });
  const ingress = new WebhookIngress(stack, 'Ingress', {
    inbox,
    webhookSecret,
    shops,
    entry: FIXTURE_ENTRY,
  });
  return { stack, ingress, template: Template.fromStack(stack) };
};

describe('WebhookIngress', () => {
  it('routes both webhook shapes and the beacon endpoint to one Lambda integration', () => {
    // Act
    const { template } = build();

    // Assess
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
      'ANY /collect',
      'POST /webhooks/{source}',
      'POST /webhooks/{source}/{token}',
    ]);
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('leaves CORS to the Lambda', () => {
    // Act
    const { template } = build();

    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
  });

  it('logs access to a log group without the request path, and throttles every route on its own', () => {
    // Act
    const { template } = build();

    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      // The public beacon route has its own lower throttle, so beacons cannot starve the webhooks.
      RouteSettings: {
        'POST /webhooks/{source}': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        'POST /webhooks/{source}/{token}': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        'ANY /collect': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngressAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
    });
    const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(JSON.stringify(stage?.DependsOn ?? [])).toMatch(/collect/i);
    expect(JSON.stringify(stage?.DependsOn ?? [])).toMatch(/webhookssourcetoken/i);
    expect(stage?.Properties.AccessLogSettings.Format).not.toMatch(/\$context\.path/);
  });

  it('lets the ingest Lambda queue to the inbox and read the webhook secret, and gives it only their addresses', () => {
    // Act
    const { template } = build();

    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Inbox'), 'Arn'] },
          }),
          Match.objectLike({
            Action: 'secretsmanager:GetSecretValue',
            Resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:connector-AbCdEf',
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          INBOX_QUEUE_URL: { Ref: Match.stringLikeRegexp('^Inbox') },
          WEBHOOK_SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:connector-AbCdEf',
        }),
      },
    });
  });

  it('refuses every delivery until shops are configured, then passes them to the Lambda', () => {
    // Act
    const { template: bare } = build();
    const { template: withShops } = build(SHOPS);

    // Assess
    bare.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SHOPS: Match.absent() }) },
    });
    withShops.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SHOPS: JSON.stringify(SHOPS) }) },
    });
  });

  it('fails the synth on a storefront origin the ingest Lambda would reject', () => {
    // Prepare
    const shops = {
      'demo.myshopify.com': {
        storefront: { publicKey: 'pk_demo_12345', origins: ['http://shop.demo.example'] },
        workspace: 'default',
        customerIdPrefix: '',
        customDomains: [],
      },
    };

    // Act & Assess
    expect(() => build(shops)).toThrow(/SHOPS/);
  });

  it('exposes the stage URL', () => {
    // Act
    const { stack, ingress } = build();

    // Assess
    expect(stack.resolve(ingress.url)).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: expect.stringMatching(/^IngressApi/) },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
          '/',
        ],
      ],
    });
  });

  it('acknowledges the missing authorizer on each route, and leaves no other finding', () => {
    // Act
    const { ingress } = build();

    // Assess
    expect(nagFindings(ingress)).toEqual([]);
  });
});
