import { Aws, CfnRule, Fn, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { CustomDomain, WebhookIngress } from './webhook-ingress.js';

/** Props of {@link EdgeProtection}. */
export interface EdgeProtectionProps {
  /** The API to put behind the web ACL. */
  readonly ingress: WebhookIngress;
  /** Requests one client IP may send to the webhook routes in 5 minutes before it is blocked. */
  readonly webhookRatePerIp: number;
  /** Requests one client IP may send to `/collect` in 5 minutes before it is blocked. */
  readonly collectRatePerIp: number;
  /** Serve the distribution under this domain (certificate in us-east-1). @default - the cloudfront.net name */
  readonly customDomain?: CustomDomain;
}

/**
 * An AWS WAF web ACL with per-IP rate rules in front of the webhook API. WAF cannot attach to an HTTP API, so the
 * ACL sits on a CloudFront distribution (no caching, every header, query and body passed through unchanged, so
 * signatures still verify) whose origin is the API. A CloudFront-scope ACL can only be created in us-east-1: the
 * stack refuses to deploy anywhere else while this is on.
 */
export class EdgeProtection extends Construct {
  /** The per-IP rate-limiting web ACL. */
  readonly webAcl: CfnWebACL;
  /** The distribution the platforms should call. */
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: EdgeProtectionProps) {
    super(scope, id);

    new CfnRule(this, 'UsEast1Only', {
      assertions: [
        {
          assert: Fn.conditionEquals(Aws.REGION, 'us-east-1'),
          assertDescription:
            'waf.enabled creates a CloudFront-scope AWS WAF web ACL, which exists only in us-east-1: deploy the ' +
            'stack there or turn waf off.',
        },
      ],
    });

    const rateRule = (name: string, priority: number, pathPrefix: string, limit: number) => ({
      name,
      priority,
      action: { block: {} },
      statement: {
        rateBasedStatement: {
          limit,
          aggregateKeyType: 'IP',
          scopeDownStatement: {
            byteMatchStatement: {
              fieldToMatch: { uriPath: {} },
              positionalConstraint: 'STARTS_WITH',
              searchString: pathPrefix,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
        },
      },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: 'ConnectorEdge',
        sampledRequestsEnabled: true,
      },
      rules: [
        rateRule('CollectRatePerIp', 0, '/collect', props.collectRatePerIp),
        rateRule('WebhookRatePerIp', 1, '/webhooks/', props.webhookRatePerIp),
      ],
    });

    const stack = Stack.of(this);
    const apiDomain = `${props.ingress.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Commerce webhook connector: WAF in front of the webhook API',
      defaultBehavior: {
        origin: new HttpOrigin(apiDomain, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // Every header but Host: the signatures ride in headers, and API Gateway routes on its own host name.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      // The platforms call from North America and Europe; the cheapest class serves both.
      priceClass: PriceClass.PRICE_CLASS_100,
      webAclId: this.webAcl.attrArn,
      ...(props.customDomain !== undefined && {
        domainNames: [props.customDomain.domainName],
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: "Webhooks come from the platforms' own infrastructure worldwide; no country can be excluded.",
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'Every request that passes the web ACL is logged by the API stage behind it (without the Yotpo token path); ' +
        'blocked ones are counted per rule in the WAF metrics.',
    });
    if (props.customDomain === undefined) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'The default cloudfront.net certificate cannot set a minimum TLS version; configure customDomain to get ' +
          'TLSv1.2_2021. The senders (Shopify, Recharge, review platforms) all negotiate TLS 1.2 or later.',
      });
    }
  }

  /** The URL the platforms should call, ending in `/`. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}
