import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  DomainName,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IngestEnvSchema } from '../../shared/config/env.js';
import type { ShopsConfig } from '../../shared/config/shops.js';
import { ConnectorFunction, lambdaEntry } from './connector-function.js';
import type { ConnectorSecret } from './connector-secret.js';

/** A route's throttle: steady requests per second, and how many a burst may take at once. */
interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** A custom domain for the API: the name and an ACM certificate for it in the API's Region. */
export interface CustomDomain {
  readonly domainName: string;
  readonly certificateArn: string;
}

/** The webhook routes: one per shape of webhook URL. */
const WEBHOOK_ROUTES = ['/webhooks/{source}', '/webhooks/{source}/{token}'] as const;

/** Props of {@link WebhookIngress}. */
export interface WebhookIngressProps {
  /** Where accepted deliveries are queued. */
  readonly inbox: IQueue;
  /** The webhook-verification secret (signing secrets and Yotpo tokens per shop): the only secret ingest reads. */
  readonly webhookSecret: ConnectorSecret;
  /**
   * Throttle of each webhook route. Webhook senders retry on 429, so throttling loses nothing; it caps what a
   * flood of unsigned requests to the public endpoints can cost.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly webhookThrottle?: RouteThrottle;
  /** Throttle of the public `/collect` beacon route, separate from the webhooks'. @default 50 rps, burst 100 */
  readonly beaconThrottle?: RouteThrottle;
  /** Retention of the stage's access logs and the function's logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Serve the API under this domain as well. @default - the execute-api URL only */
  readonly customDomain?: CustomDomain;
  /** @default false */
  readonly tracing?: boolean;
  /** Reserved concurrency of ingest. @default - none */
  readonly reservedConcurrency?: number;
  /**
   * The configured shops (SHOPS): deliveries for any other shop are refused; storefront keys and origins per shop.
   * They travel in the Lambda's environment, which Lambda caps at 4 KB in all: room for a few dozen shops.
   * @default - none: every delivery and beacon is refused
   */
  readonly shops?: ShopsConfig;
  /** Path of the ingest handler. @default lambdaEntry('ingest') */
  readonly entry?: string;
}

/** The public edge: an HTTP API whose webhook and beacon routes all go to the ingest Lambda, which queues them. */
export class WebhookIngress extends Construct {
  /** The HTTP API. */
  readonly api: HttpApi;
  /** The `$default` stage, with access logging and throttling. */
  readonly stage: HttpStage;
  /** The ingest Lambda. */
  readonly ingest: ConnectorFunction<typeof IngestEnvSchema>;
  /** The stage's access log group. */
  readonly accessLogGroup: LogGroup;
  /** The custom domain, when one is configured. */
  readonly domainName?: DomainName;
  private readonly customDomainName?: string;

  constructor(scope: Construct, id: string, props: WebhookIngressProps) {
    super(scope, id);

    this.ingest = new ConnectorFunction(this, 'Ingest', {
      entry: props.entry ?? lambdaEntry('ingest'),
      description: 'Verifies webhook signatures and storefront beacons, then queues them in the inbox',
      serviceName: 'ingest',
      // Shopify and Recharge wait 5 s for an answer, Okendo 15 s: 10 s lets a slow SendMessage still land for the
      // more patient senders, and a sender that gave up retries anyway.
      timeout: Duration.seconds(10),
      envSchema: IngestEnvSchema,
      logRetention: props.logRetention,
      tracing: props.tracing,
      reservedConcurrency: props.reservedConcurrency,
      environment: {
        INBOX_QUEUE_URL: props.inbox.queueUrl,
        WEBHOOK_SECRETS_ARN: props.webhookSecret.secretArn,
        ...(props.shops !== undefined && { SHOPS: JSON.stringify(props.shops) }),
      },
    });
    props.inbox.grantSendMessages(this.ingest);
    props.webhookSecret.grantRead(this.ingest);

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });

    this.customDomainName = props.customDomain?.domainName;
    if (props.customDomain !== undefined) {
      this.domainName = new DomainName(this, 'Domain', {
        domainName: props.customDomain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
      });
    }

    const webhooks = props.webhookThrottle ?? { rateLimit: 100, burstLimit: 200 };
    const beacons = props.beaconThrottle ?? { rateLimit: 50, burstLimit: 100 };

    // The default stage is added by hand: HttpApi's own cannot take access-log settings.
    this.api = new HttpApi(this, 'Api', {
      description: 'Commerce webhook connector: platform webhooks and storefront beacons',
      createDefaultStage: false,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // Routes not listed below (none today) fall back to the webhooks' throttle.
      throttle: webhooks,
      ...(this.domainName !== undefined && { domainMapping: { domainName: this.domainName } }),
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        // The route key, not the path: Yotpo's secret token travels in the path.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('IngestIntegration', this.ingest.lambdaFunction);
    const webhookReason =
      'Each webhook is authenticated inside the ingest Lambda by its HMAC over the raw body (or by the Yotpo URL ' +
      'token), which an API Gateway authorizer cannot see. Unverified requests get 401 and are not queued.';
    // Yotpo signs nothing; it proves itself with a secret token in the URL instead (the second route).
    const webhookRoutes = WEBHOOK_ROUTES.flatMap((routePath) =>
      this.addPublicRoute(routePath, HttpMethod.POST, integration, webhookReason),
    );
    // CORS is answered by the Lambda: the allowed origins differ per shop.
    const collectRoutes = this.addPublicRoute(
      '/collect',
      HttpMethod.ANY,
      integration,
      'Storefront beacons come from anonymous shoppers, so there is no caller identity to authorize; the Lambda ' +
        "checks the Origin against the shop's allow-list and caps the body size.",
    );
    // Every route has its own token bucket, so no route can drain another's. The public beacon route gets a lower
    // one: a flood of beacons must never starve the signed webhooks (Shopify drops a subscription after failed
    // retries; a lost beacon is only analytics), and a flood on one webhook URL leaves the other its own budget.
    const setting = (throttle: RouteThrottle) => ({
      ThrottlingRateLimit: throttle.rateLimit,
      ThrottlingBurstLimit: throttle.burstLimit,
    });
    (this.stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', {
      ...Object.fromEntries(WEBHOOK_ROUTES.map((routePath) => [`POST ${routePath}`, setting(webhooks)])),
      'ANY /collect': setting(beacons),
    });
    // CloudFormation refuses route settings for a route that does not exist yet.
    for (const route of [...webhookRoutes, ...collectRoutes]) this.stage.node.addDependency(route);
  }

  /** Base URL of the API, ending in `/`: the custom domain's when there is one. */
  get url(): string {
    return this.customDomainName !== undefined ? `https://${this.customDomainName}/` : this.stage.url;
  }

  /** Adds a route without an authorizer, acknowledging cdk-nag's APIG4 on that route with the reason. */
  private addPublicRoute(
    routePath: string,
    method: HttpMethod,
    integration: HttpLambdaIntegration,
    reason: string,
  ): HttpRoute[] {
    const routes = this.api.addRoutes({ path: routePath, methods: [method], integration });
    for (const route of routes) Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
    return routes;
  }
}
