import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildConnectorStack } from './helpers/connector-stacks.js';
import { nagFindings } from './helpers/test-app.js';

const { template } = buildConnectorStack('prod');

describe('ConnectorStack: API, custom domain and outputs', () => {
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
});
