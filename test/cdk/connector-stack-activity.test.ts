import { describe, expect, it } from 'vitest';
import { actionsOf, buildConnectorStack } from './helpers/connector-stacks.js';

const WRITERS = ['process', 'deliver', 'cart-check'] as const;

describe('ConnectorStack: the activity record setting', () => {
  it('is on by default, kept 30 days, and adds only PutItem to what deliver may do', () => {
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
    // GetItem and UpdateItem are the identify-ordering claim's; PutItem is the activity record's.
    expect(deliverDynamo.sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  it('turns off for a brand that does not want the cost: every writer told, deliver keeps only its ordering claim', () => {
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
        .filter((a) => a.startsWith('dynamodb:'))
        .sort(),
    ).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
  });
});
