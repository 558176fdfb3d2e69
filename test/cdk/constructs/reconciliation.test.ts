import { describe, expect, it } from 'vitest';
import { actionsOf, buildConnectorStack, resourcesOf } from '../helpers/connector-stacks.js';
import { nagFindings } from '../helpers/test-app.js';

const SHOPS = { 'brand-a.myshopify.com': {}, 'brand-b.myshopify.com': {} };

describe('Reconciliation', () => {
  const built = buildConnectorStack('prod', {
    shops: SHOPS,
    reconciliation: { everyMinutes: 30, webhooks: { shopify: 'recreate' }, initialLookbackMinutes: 120 },
  });
  const { template, functionByService, statementsOf } = built;
  const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
  const reconcileSchedules = schedules.filter((s) =>
    JSON.stringify(s.Properties.Target.Arn).includes('Reconcil'),
  );

  it('runs one recurring schedule per shop that invokes the reconcile function with the shop, without retries', () => {
    // Assess
    expect(
      reconcileSchedules
        .map((s) => JSON.parse(s.Properties.Target.Input))
        .sort((a, b) => a.shop.localeCompare(b.shop)),
    ).toEqual([{ shop: 'brand-a.myshopify.com' }, { shop: 'brand-b.myshopify.com' }]);
    for (const schedule of reconcileSchedules) {
      expect(schedule.Properties).toMatchObject({
        ScheduleExpression: 'rate(30 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 1_800 } },
      });
    }
  });

  it('passes the configuration to the function and reads the Admin API secret by ARN', () => {
    // Assess
    expect(functionByService('reconcile').Properties.Environment.Variables).toMatchObject({
      SHOPIFY_ADMIN_API_VERSION: '2026-07',
      RECHARGE_API_VERSION: '2021-11',
      RECONCILE_OVERLAP_MINUTES: '15',
      RECONCILE_INITIAL_LOOKBACK_MINUTES: '120',
      RECONCILE_SHOPIFY_WEBHOOKS: 'recreate',
      RECONCILE_RECHARGE_WEBHOOKS: 'check',
      ADMIN_SECRETS_ARN: { Ref: expect.stringMatching(/^AdminSecret/) },
    });
  });

  it('grants the function its table reads and writes, SendMessage on the inbox and the Admin API secret, nothing else', () => {
    // Assess
    const actions = statementsOf('reconcile')
      .flatMap(actionsOf)
      .filter((a) => !a.startsWith('logs:'));
    expect(actions.sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'secretsmanager:GetSecretValue',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ].sort(),
    );
    const sqs = statementsOf('reconcile').filter((s) => actionsOf(s).includes('sqs:SendMessage'));
    expect(sqs.flatMap(resourcesOf)).toEqual([expect.stringMatching(/InboxQueue/)]);
  });

  it('lets only this schedule group assume the role that may invoke only the reconcile function', () => {
    // Assess
    const roleId = reconcileSchedules[0]?.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
    const role = template.findResources('AWS::IAM::Role')[roleId];
    expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toMatch(
      /aws:SourceArn.*ReconciliationScheduleGroup/,
    );
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId),
    );
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    // The function and its $LATEST alias: no other version, no wildcard.
    expect(statements.flatMap(resourcesOf)).toEqual([
      expect.stringMatching(/^\{"Fn::GetAtt":\["ReconciliationReconcileFunction\w+","Arn"\]\}$/),
      expect.stringMatching(/ReconciliationReconcileFunction\w+.*:\$LATEST/),
    ]);
  });

  it('alarms on records found missing two runs out of three, on missing subscriptions and on failing runs', () => {
    // Assess
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) =>
      id.startsWith('Reconciliation'),
    );
    const byRunbook = Object.fromEntries(
      alarms.map(([, a]) => [/#([a-z-]+)$/.exec(a.Properties.AlarmDescription)?.[1], a.Properties]),
    );
    expect(byRunbook['reconciliation-missing']).toMatchObject({
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 1,
    });
    const missing = JSON.stringify(byRunbook['reconciliation-missing']?.Metrics);
    expect(missing).toContain('ReconciledMissing_orders_create');
    expect(missing).toContain('ReconciledMissing_charge_paid');
    expect(missing).not.toContain('ReconciledMissing_customers_update');
    expect(JSON.stringify(byRunbook['webhook-subscriptions']?.Metrics)).toContain(
      'WebhookSubscriptionMissing_shopify',
    );
    expect(JSON.stringify(byRunbook['reconciliation-failures']?.Metrics)).toContain('ReconcileFailed');
    expect(alarms).toHaveLength(4);
  });

  it('leaves no cdk-nag finding unacknowledged', () => {
    // Assess
    expect(nagFindings(built.stack)).toEqual([]);
  });

  it('is left out when reconciliation is off, keeping the Admin API secret for the backfill command', () => {
    // Act
    const off = buildConnectorStack('prod', { shops: SHOPS, reconciliation: { enabled: false } });

    // Assess
    expect(() => off.functionByService('reconcile')).toThrow();
    expect(off.template.findOutputs('AdminSecretArn').AdminSecretArn).toBeDefined();
  });
});
