import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildConnectorStack } from '../helpers/connector-stacks.js';
import { nagFindings } from '../helpers/test-app.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123';

describe('EdgeProtection (waf.enabled)', () => {
  const { stack, template } = buildConnectorStack('prod', {
    waf: { enabled: true, webhookRatePerIp: 5_000, collectRatePerIp: 200 },
  });

  it('is off by default', () => {
    // Act
    const { template: plain } = buildConnectorStack('prod');

    // Assess
    plain.resourceCountIs('AWS::WAFv2::WebACL', 0);
    plain.resourceCountIs('AWS::CloudFront::Distribution', 0);
  });

  it('blocks a client IP past its rate per 5 minutes, /collect and the webhooks each with their own limit', () => {
    // Assess
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Name: 'CollectRatePerIp',
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: 200,
              AggregateKeyType: 'IP',
              ScopeDownStatement: {
                ByteMatchStatement: Match.objectLike({
                  SearchString: '/collect',
                  PositionalConstraint: 'STARTS_WITH',
                }),
              },
            }),
          },
        }),
        Match.objectLike({
          Name: 'WebhookRatePerIp',
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: 5_000,
              ScopeDownStatement: { ByteMatchStatement: Match.objectLike({ SearchString: '/webhooks/' }) },
            }),
          },
        }),
      ],
    });
  });

  it('puts the ACL on an uncached CloudFront distribution in front of the API, and the URLs on it', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EdgeWebAcl'), 'Arn'] },
        DefaultCacheBehavior: Match.objectLike({
          AllowedMethods: Match.arrayWith(['OPTIONS', 'POST']),
          ViewerProtocolPolicy: 'https-only',
        }),
      }),
    });
    expect(JSON.stringify(template.findOutputs('WebhookUrlShopify'))).toMatch(
      /EdgeDistribution\w+","DomainName"/,
    );
  });

  it('refuses to deploy outside us-east-1, where CloudFront-scope web ACLs live', () => {
    // Assess
    const rules = template.toJSON().Rules as Record<string, { Assertions: { Assert: unknown }[] }>;
    expect(Object.values(rules).flatMap((rule) => rule.Assertions.map((a) => a.Assert))).toContainEqual({
      'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'],
    });
  });

  it('serves a custom domain from CloudFront with TLS 1.2, and leaves no cdk-nag finding unacknowledged', () => {
    // Act
    const withDomain = buildConnectorStack('prod', {
      waf: { enabled: true },
      customDomain: { domainName: 'hooks.brand.example', certificateArn: CERTIFICATE },
    });

    // Assess
    withDomain.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['hooks.brand.example'],
        ViewerCertificate: Match.objectLike({
          AcmCertificateArn: CERTIFICATE,
          MinimumProtocolVersion: 'TLSv1.2_2021',
        }),
      }),
    });
    withDomain.template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    expect(nagFindings(withDomain.stack)).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });
});
