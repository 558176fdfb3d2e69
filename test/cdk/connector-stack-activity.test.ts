import { describe, expect, it } from 'vitest';
import { actionsOf, buildConnectorStack } from './helpers/connector-stacks.js';

const WRITERS = ['process', 'deliver', 'cart-check'] as const;

describe('ConnectorStack: the activity record setting', () => {
  it('is on by default, kept 30 days, and lets deliver write it with PutItem only', () => {
    // Prepare
    const { functionByService, statementsOf } = buildConnectorStack('prod');
    const vars = (service: string) => functionByService(service).Properties.Environment.Variables;

    // Assess
    for (const service of WRITERS) {
      expect(vars(service), service).toMatchObject({ ACTIVITY_LOG: 'on', ACTIVITY_RETENTION_DAYS: '30' });
      expect(vars(service).TABLE_NAME, service).toBeDefined();
    }
    expect(vars('ingest').ACTIVITY_LOG).toBeUndefined();
    const deliverDynamo = statementsOf('deliver')
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('dynamodb:'));
    expect(deliverDynamo).toEqual(['dynamodb:PutItem']);
  });

  it('turns off for a brand that does not want the cost: every writer told, deliver granted nothing', () => {
    const { functionByService, statementsOf } = buildConnectorStack('dev', {
      activityLog: { enabled: false, retentionDays: 7 },
    });
    for (const service of WRITERS) {
      expect(functionByService(service).Properties.Environment.Variables, service).toMatchObject({
        ACTIVITY_LOG: 'off',
        ACTIVITY_RETENTION_DAYS: '7',
      });
    }
    expect(
      statementsOf('deliver')
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:')),
    ).toEqual([]);
  });
});
