import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConnectorFunction, lambdaEntry } from '../../../cdk/constructs/connector-function.js';
import { createTestApp, FIXTURE_ENTRY, nagFindings } from '../helpers/test-app.js';

const EnvSchema = z.object({
  QUEUE_URL: z.string().min(1),
  MODE: z.enum(['fast', 'safe']).default('safe'),
  LOCAL_WEBHOOK_SECRETS_JSON: z.string().optional(),
});

const build = (environment: { QUEUE_URL: string; MODE?: string }) => {
  const stack = new Stack(createTestApp(), 'Test');
  const fn = new ConnectorFunction(stack, 'Worker', {
    entry: FIXTURE_ENTRY,
    envSchema: EnvSchema,
    environment,
    serviceName: 'worker',
  });
  return { stack, fn, template: Template.fromStack(stack) };
};

describe('ConnectorFunction', () => {
  it('runs Node 24 on arm64 with the house defaults', () => {
    // Act
    const { template } = build({ QUEUE_URL: 'https://sqs.example/q' });

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 30,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^WorkerLogGroup') } },
    });
  });

  it('is tested on the Node major it deploys (the node devDependency runs every npm script)', () => {
    // Assess
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('sets the contract variables plus the Node and Powertools ones, and nothing else', () => {
    // Act
    const { template } = build({ QUEUE_URL: 'https://sqs.example/q', MODE: 'fast' });

    // Assess
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fn?.Properties.Environment.Variables).toEqual({
      QUEUE_URL: 'https://sqs.example/q',
      MODE: 'fast',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'worker',
      POWERTOOLS_METRICS_NAMESPACE: 'CommerceConnector',
    });
  });

  it('fails the synth when the environment breaks its schema', () => {
    // Act & Assess
    expect(() => build({ QUEUE_URL: '', MODE: 'reckless' })).toThrow(/QUEUE_URL[\s\S]*MODE/);
  });

  it('checks deploy-time values (tokens) at deploy time, and literals at synth time', () => {
    // Prepare
    const stack = new Stack(createTestApp(), 'Test');
    const ArnSchema = z.object({ TARGET_ARN: z.string().startsWith('arn:') });
    const withTarget = (id: string, value: string) => () =>
      new ConnectorFunction(stack, id, {
        entry: FIXTURE_ENTRY,
        envSchema: ArnSchema,
        environment: { TARGET_ARN: value },
        serviceName: 'worker',
      });

    // Act & Assess
    expect(withTarget('Resolved', new Queue(stack, 'Target').queueArn)).not.toThrow();
    expect(withTarget('Literal', 'queue-name')).toThrow(/TARGET_ARN/);
  });

  it('writes to its own log group, kept for a month by default', () => {
    // Act
    const { template } = build({ QUEUE_URL: 'q' });

    // Assess
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: RetentionDays.ONE_MONTH });
  });

  it('has a role without managed policies, allowed only to write its logs', () => {
    // Act
    const { template } = build({ QUEUE_URL: 'q' });

    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
      ManagedPolicyArns: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkerLogGroup'), 'Arn'] },
          },
        ],
      },
    });
  });

  it('takes timeout, memory and log retention from props', () => {
    // Prepare
    const stack = new Stack(createTestApp(), 'Test');

    // Act
    new ConnectorFunction(stack, 'Worker', {
      entry: FIXTURE_ENTRY,
      envSchema: EnvSchema,
      environment: { QUEUE_URL: 'q' },
      serviceName: 'worker',
      timeout: Duration.seconds(5),
      memorySize: 1024,
      logRetention: RetentionDays.ONE_WEEK,
    });

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 5, MemorySize: 1024 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it("turns on active tracing and reserved concurrency when asked, acknowledging only X-Ray's wildcard", () => {
    // Prepare
    const stack = new Stack(createTestApp(), 'Test');

    // Act
    new ConnectorFunction(stack, 'Worker', {
      entry: FIXTURE_ENTRY,
      envSchema: EnvSchema,
      environment: { QUEUE_URL: 'q' },
      serviceName: 'worker',
      tracing: true,
      reservedConcurrency: 7,
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: 7,
    });
    expect(nagFindings(stack)).toEqual([]);
  });

  it("fails the synth when the environment cannot fit Lambda's 4 KB", () => {
    // Prepare
    const stack = new Stack(createTestApp(), 'Test');

    // Act & Assess
    expect(
      () =>
        new ConnectorFunction(stack, 'Worker', {
          entry: FIXTURE_ENTRY,
          envSchema: EnvSchema,
          environment: { QUEUE_URL: 'q'.repeat(4_000) },
          serviceName: 'worker',
        }),
    ).toThrow(/over Lambda's 4096/);
  });

  it('leaves no cdk-nag finding unacknowledged', () => {
    // Act
    const { stack } = build({ QUEUE_URL: 'q' });

    // Assess
    expect(nagFindings(stack)).toEqual([]);
  });

  it('points lambdaEntry at lambdas/<name>/handler.ts in the repository', () => {
    // Act
    const entry = lambdaEntry('ingest');

    // Assess
    expect(path.relative(process.cwd(), entry)).toBe(path.join('lambdas', 'ingest', 'handler.ts'));
  });
});
